import Foundation
import Testing

@Suite("criticality command line", .serialized)
struct CLITests {
    @Test("meanfield point prints one CSV row with every quantity")
    func point() throws {
        let r = try runCLI(["meanfield", "point", "--activation", "tanh", "--sigma-w", "1.5", "--sigma-b", "0.3"])
        #expect(r.status == 0)
        let csv = parseCSV(r.stdout)
        #expect(csv.header == ["activation", "sigma_w", "sigma_b", "phase", "q_star", "c_star", "rho_star", "chi1",
                               "chi_c", "xi_c", "lyapunov", "kappa", "kappa_3_2"])
        #expect(csv.rows.count == 1)
        #expect(csv.rows[0][3] == "chaotic")
        let chi1 = try #require(Double(csv.rows[0][7]))
        let lyapunov = try #require(Double(csv.rows[0][10]))
        #expect(abs(lyapunov - 0.5 * log(chi1)) < 1e-15)
    }

    @Test("meanfield critical --format json has sigma_w_c, q_star, chi1 and kappa")
    func critical() throws {
        let r = try runCLI(["meanfield", "critical", "--activation", "tanh", "--sigma-b", "0.3", "--format", "json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let sigmaW = try #require(object["sigma_w_c"] as? Double)
        let q = try #require(object["q_star"] as? Double)
        #expect(abs(sigmaW - 1.39558) < 1e-5)
        #expect(abs(q - 0.76347) < 1e-5)
        #expect(abs((object["chi1"] as? Double ?? 0) - 1) < 1e-12)
        #expect(object["kappa"] is Double)
        #expect(object["xi_c"] is NSNull, "an infinite correlation depth is null in JSON")
    }

    @Test("meanfield boundary writes CSV rows and a readable SVG")
    func boundary() throws {
        let folder = try temporaryFolder()
        let svg = folder.appendingPathComponent("b.svg").path
        let r = try runCLI(["meanfield", "boundary", "--activation", "tanh,erf,sin", "--sigma-b", "0:1:6", "--plot", svg])
        #expect(r.status == 0)
        let csv = parseCSV(r.stdout)
        #expect(csv.header.prefix(3) == ["activation", "sigma_w_c", "sigma_b"])
        #expect(csv.rows.count == 18)
        #expect(Set(csv.rows.map { $0[0] }) == ["tanh", "erf", "sin"])
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg") || text.hasPrefix("<?xml"))
        for label in ["tanh", "erf", "sin", "σ_b"] { #expect(text.contains(label)) }
    }

    @Test("boundary skips sigma_b values without a critical point, with a warning")
    func boundaryRelu() throws {
        let r = try runCLI(["meanfield", "boundary", "--activation", "relu", "--sigma-b", "0:0.5:3"])
        #expect(r.status == 0)
        #expect(parseCSV(r.stdout).rows.count == 1)
        #expect(r.stderr.contains("warning: relu: skipped 2 of 3"))
    }

    @Test("meanfield trajectory: one row per layer, and -o writes the file atomically")
    func trajectory() throws {
        let folder = try temporaryFolder()
        let csvPath = folder.appendingPathComponent("t.csv").path
        let svg = folder.appendingPathComponent("t.svg").path
        let r = try runCLI(["meanfield", "trajectory", "--activation", "erf", "--critical", "--sigma-b", "0.3",
                            "--depth", "300", "-o", csvPath, "--plot", svg])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        let csv = parseCSV(try String(contentsOfFile: csvPath, encoding: .utf8))
        #expect(csv.header == ["activation", "sigma_w", "sigma_b", "depth", "q", "rho", "rho_asymptote", "kappa_l_rho"])
        #expect(csv.rows.count == 300)
        #expect(csv.rows.map { Int($0[3])! } == Array(1...300))
        let last = try #require(Double(csv.rows[299][7]))
        #expect(abs(last - 1) < 0.1)
        #expect(FileManager.default.fileExists(atPath: svg))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test("meanfield phase: one row per grid cell")
    func phase() throws {
        let r = try runCLI(["meanfield", "phase", "--activation", "tanh", "--sigma-w", "0.8:2:4", "--sigma-b", "0:0.5:3", "--format", "json"])
        #expect(r.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 12)
        #expect(Set(rows.compactMap { $0["phase"] as? String }).isSuperset(of: ["ordered", "chaotic"]))
    }

    static let badInputs: [[String]] = [
        ["meanfield", "point", "--activation", "tanh", "--sigma-w", "-1"],
        ["meanfield", "point", "--activation", "foo", "--sigma-w", "1"],
        ["meanfield", "point", "--activation", "tanh", "--sigma-w", "1", "--sigma-b", "nan"],
        ["meanfield", "point", "--activation", "relu", "--sigma-w", "1.5"],
        ["meanfield", "critical", "--activation", "tanh", "--sigma-b", "inf"],
        ["meanfield", "boundary", "--activation", "tanh,bar"],
        ["meanfield", "boundary", "--sigma-b", "1:0"],
        ["meanfield", "trajectory", "--activation", "tanh", "--sigma-w", "1", "--depth", "0"],
        ["meanfield", "trajectory", "--activation", "tanh", "--sigma-w", "1", "--critical"],
        ["meanfield", "trajectory", "--activation", "tanh", "--sigma-w", "1", "--plot", "x.png"],
        ["meanfield", "phase", "--threads", "0"],
        ["meanfield", "point", "--activation", "tanh", "--sigma-w", "1", "--format", "xml"],
        ["meanfield", "nosuchcommand"],
    ]

    @Test("bad input: one line on stderr, exit status 2, nothing on stdout", arguments: badInputs)
    func badInput(arguments: [String]) throws {
        let r = try runCLI(arguments)
        #expect(r.status == 2, "\(arguments)")
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("criticality: "))
        #expect(r.stdout.isEmpty)
    }

    @Test("bad input leaves no output file behind")
    func noHalfWrittenOutput() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("out.csv").path
        let r = try runCLI(["meanfield", "point", "--activation", "relu", "--sigma-w", "2", "-o", path])
        #expect(r.status == 2)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("help and version exit 0")
    func help() throws {
        #expect(try runCLI(["--help"]).status == 0)
        #expect(try runCLI(["meanfield", "point", "--help"]).stdout.contains("--sigma-w"))
        #expect(try runCLI(["--version"]).stdout.contains("0.1.0"))
    }

    @Test("demo writes its files and summary")
    func demo() throws {
        let folder = try temporaryFolder()
        let r = try runCLI(["demo", "-o", folder.path, "--depth", "200"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["boundary.csv", "boundary.svg", "trajectories.csv", "trajectories.svg", "collapse.svg",
                     "phase_tanh.csv", "phase_tanh.svg", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
        #expect(r.stdout.contains("tanh") && r.stdout.contains("1.39558"))
    }
}
