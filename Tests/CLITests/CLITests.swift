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
        ["simulate", "mlp", "--width", "0", "--critical"],
        ["simulate", "mlp", "--sigma-w", "1", "--critical"],
        ["simulate", "mlp", "--sigma-w", "1", "--samples", "-3"],
        ["simulate", "mlp", "--sigma-w", "1", "--method", "magic"],
        ["simulate", "mlp", "--sigma-w", "1", "--c0", "1.5"],
        ["simulate", "mlp", "--sigma-w", "1", "--input", "/no/such/file.csv"],
        ["simulate", "mlp", "--sigma-w", "1", "--label-column", "last"],
        ["simulate", "mlp", "--sigma-w", "nan"],
        ["lyapunov", "mlp", "--sigma-w", "1", "--burn-in", "300"],
        ["lyapunov", "mlp", "--scan", "1:2:5", "--sigma-w", "1"],
        ["lyapunov", "mlp", "--scan", "1:x:5"],
        // Sizes that cannot fit (0.2.0: allocation failures with a 45-line backtrace, or runs that never end).
        ["simulate", "mlp", "--critical", "--width", "100000000000"],
        ["simulate", "mlp", "--critical", "--samples", "10000000000"],
        ["simulate", "mlp", "--critical", "--depth", "2147483648"],
        ["simulate", "cnn", "--critical", "--channels", "100000000000"],
        ["simulate", "cnn", "--critical", "--depth", "2147483648"],
        ["simulate", "dp", "--depth", "2147483648"],
        ["simulate", "dp", "--size", "100000000000"],
        ["simulate", "dp", "--p-noise", "0.1", "--p-noise-law", "uniform"],
        ["simulate", "dp", "--p-noise", "0.1", "--p-noise-hold", "0"],
        ["meanfield", "boundary", "--sigma-b", "0:1:100000000000"],
        ["meanfield", "phase", "--sigma-w", "0.5:3:100000", "--sigma-b", "0:1:100000"],
        ["meanfield", "trajectory", "--activation", "tanh", "--sigma-w", "1", "--depth", "2147483648"],
        ["lyapunov", "mlp", "--scan", "1.1:1.7:100000000000"],
        // Variances that overflow (0.2.0: rows of q = nan, rho = 0 with exit status 0).
        ["simulate", "mlp", "--sigma-w", "1e308"],
        ["simulate", "cnn", "--sigma-w", "1e200"],
        ["simulate", "mlp", "--sigma-w", "1", "--sigma-b", "1e160"],
        ["lyapunov", "mlp", "--sigma-w", "1e300"],
    ]

    @Test("huge but finite inputs compute or refuse, never trap (0.2.0: --q0 1e50 trapped on a conversion, exit 132)")
    func hugeFiniteInputs() throws {
        let r = try runCLI(["meanfield", "point", "--activation", "tanh", "--sigma-w", "1.5", "--q0", "1e50", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((jsonObject(r.stdout)?["q_star"] as? Double).map { $0 > 0 && $0.isFinite } == true)
        let t = try runCLI(["meanfield", "trajectory", "--activation", "erf", "--sigma-w", "1.2", "--q0", "1e300", "--depth", "5"])
        #expect(t.status == 0 || (t.status == 2 && t.stderrLines.count == 1), "\(t.stderr)")
    }

    @Test("a seed is printed as given, in the CSV and the sidecar (0.2.0 printed 2^64 - 1 as -1)")
    func largeSeed() throws {
        let folder = try temporaryFolder()
        let csv = folder.appendingPathComponent("s.csv").path
        let r = try runCLI(["simulate", "dp", "--size", "64", "--depth", "4", "--samples", "2", "--seed", "18446744073709551615", "-o", csv])
        #expect(r.status == 0, "\(r.stderr)")
        let table = parseCSV(try String(contentsOfFile: csv, encoding: .utf8))
        let k = try #require(table.header.firstIndex(of: "seed"))
        #expect(table.rows.allSatisfy { $0[k] == "18446744073709551615" })
        let sidecar = try String(contentsOfFile: folder.appendingPathComponent("s.json").path, encoding: .utf8)
        #expect(sidecar.contains("\"seed\": 18446744073709551615"))
        #expect(try runCLI(["simulate", "dp", "--size", "64", "--depth", "4", "--seed", "-1"]).status == 2)
    }

    @Test("a malformed grid names the FROM:TO:STEPS form (0.2.0 said only that the value was invalid)", arguments: [
        ["meanfield", "boundary", "--sigma-b", "0:1"],
        ["meanfield", "phase", "--sigma-w", "0.5:3"],
        ["meanfield", "phase", "--sigma-b", "0:1:1"],
        ["lyapunov", "mlp", "--scan", "1.1:1.7"],
    ])
    func gridMessage(arguments: [String]) throws {
        let r = try runCLI(arguments)
        #expect(r.status == 2 && r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("FROM:TO:STEPS"), "\(r.stderr)")
    }

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
        #expect(try runCLI(["--version"]).stdout.contains("0.2.0"))
    }

    @Test("demo writes its files and summary")
    func demo() throws {
        let folder = try temporaryFolder()
        let r = try runCLI(["demo", "-o", folder.path, "--depth", "200", "--widths", "16,32", "--samples", "64", "--no-verdicts", "--no-training"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["boundary.csv", "boundary.svg", "trajectories.csv", "trajectories.svg", "collapse.svg",
                     "phase_tanh.csv", "phase_tanh.svg", "finite_width.csv", "finite_width.svg", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
        #expect(r.stdout.contains("tanh") && r.stdout.contains("1.39558"))
        #expect(r.stdout.contains("Finite-width collapse"))
        // The claims table heads the summary; without the verdict and training runs those claims are open.
        #expect(r.stdout.contains("The paper's claims"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as? [String: Any])
        let claims = try #require(summary["claims"] as? [[String: Any]])
        #expect(claims.count == 5)
        let findings = Dictionary(uniqueKeysWithValues: claims.map { ($0["id"] as? String ?? "", $0["finding"] as? String ?? "") })
        #expect(findings["mlp-mean-field"] == "open" && findings["kappa-depth-window"] == "open", "\(findings)")
        #expect(findings["metric-factor-collapse"] != nil)
        #expect((summary["failed_parts"] as? [Any])?.isEmpty == true)
        // Progress on stderr: every part numbered.
        #expect(r.stderr.contains("[1/9]") && r.stderr.contains("[9/9]"), "\(r.stderr)")
        let csv = parseCSV(try String(contentsOf: folder.appendingPathComponent("finite_width.csv"), encoding: .utf8))
        #expect(csv.header.suffix(3) == ["l_over_n", "n_rho", "n_rho_err"])
        #expect(csv.rows.count == 4 * 16 + 4 * 32)
        // The inputs are synthetic, so every row carries the mean-field trajectory (0.2.0: empty).
        let mf = try #require(csv.header.firstIndex(of: "rho_mf"))
        #expect(csv.rows.allSatisfy { Double($0[mf]).map { $0 > 0 && $0 <= 1 } ?? false })
    }

    @Test("a demo part that fails is named, the other parts' files are written, and the exit status is 1")
    func demoPartFails() throws {
        let folder = try temporaryFolder()
        let archive = folder.appendingPathComponent("damaged.tar.gz")
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x42]).write(to: archive)
        let out = folder.appendingPathComponent("demo")
        let r = try runCLI(["demo", "-o", out.path, "--depth", "200", "--widths", "16,32", "--samples", "32", "--no-verdicts",
                            "--no-training", "--evidence", archive.path])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("FAILED: the CNN precision campaign"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").last?.hasPrefix("criticality: demo: 1 part failed") == true, "\(r.stderr)")
        for name in ["boundary.svg", "trajectories.svg", "phase_tanh.svg", "finite_width.svg", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        #expect((summary["failed_parts"] as? [Any])?.count == 1)
    }

    @Test("simulate mlp: one row per layer with the documented columns, a JSON sidecar and a plot")
    func simulateMLP() throws {
        let folder = try temporaryFolder()
        let csvPath = folder.appendingPathComponent("mlp.csv").path
        let svg = folder.appendingPathComponent("mlp.svg").path
        let r = try runCLI(["simulate", "mlp", "--critical", "--width", "64", "--depth", "30", "--samples", "16",
                            "-o", csvPath, "--plot", svg])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        let csv = parseCSV(try String(contentsOfFile: csvPath, encoding: .utf8))
        #expect(csv.header == ["model", "method", "activation", "sigma_w", "sigma_b", "width", "depth", "rho", "rho_err",
                               "q", "q_err", "absorbed", "rho_mf", "samples", "seed"])
        #expect(csv.rows.count == 30)
        #expect(csv.rows.map { $0[6] } == (1...30).map(String.init))
        for row in csv.rows {
            let rho = try #require(Double(row[7])), err = try #require(Double(row[8])), mf = try #require(Double(row[12]))
            #expect(rho > 0 && err > 0)
            #expect(abs(rho - mf) < 6 * err)
        }
        let sidecar = folder.appendingPathComponent("mlp.json").path
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sidecar))) as? [String: Any])
        #expect(object["seed"] as? Int == 1)
        #expect(object["width"] as? Int == 64)
        #expect(abs((object["sigma_w"] as? Double ?? 0) - 1.3955839752) < 1e-9)
        #expect((object["neuron_layers_per_second"] as? Double ?? 0) > 0)
        #expect(object["mean_field"] is [String: Any])
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("mean field"))
    }

    @Test("simulate mlp: the same seed gives the same bytes on 1 and 2 threads")
    func simulateReproducible() throws {
        let args = ["simulate", "mlp", "--sigma-w", "1.5", "--width", "40", "--depth", "12", "--samples", "19", "--seed", "9"]
        let one = try runCLI(args + ["--threads", "1"]), two = try runCLI(args + ["--threads", "2"])
        #expect(one.status == 0)
        #expect(one.stdout == two.stdout)
    }

    @Test("simulate mlp reads input pairs from a CSV file and from the shipped digits data")
    func simulateDataInput() throws {
        let folder = try temporaryFolder()
        let data = folder.appendingPathComponent("x.csv")
        try "a,b,c,label\n1,2,3,0\n3,1,0,1\n0,1,1,1\n".write(to: data, atomically: true, encoding: .utf8)
        let r = try runCLI(["simulate", "mlp", "--sigma-w", "1.4", "--width", "16", "--depth", "5", "--samples", "8",
                            "--input", data.path, "--label-column", "4", "--format", "json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let input = try #require(object["input"] as? [String: Any])
        #expect(input["dimension"] as? Int == 3)
        #expect(input["rows"] as? Int == 3)
        #expect((object["rows"] as? [Any])?.count == 5)

        let digits = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data/digits.csv.gz").path
        let d = try runCLI(["simulate", "mlp", "--critical", "--width", "32", "--depth", "4", "--samples", "4",
                            "--input", digits, "--label-column", "last"])
        #expect(d.status == 0, "\(d.stderr)")
        #expect(parseCSV(d.stdout).rows.count == 4)
    }

    @Test("lyapunov mlp --scan: one row per sigma_w and the boundary in the JSON output")
    func lyapunovScan() throws {
        let r = try runCLI(["lyapunov", "mlp", "--scan", "1.2:1.6:5", "--width", "128", "--depth", "60", "--samples", "8",
                            "--format", "json"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("finite-width boundary"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0["lambda"] is Double && $0["lambda_err"] is Double && $0["lambda_mf"] is Double })
        let boundary = try #require(object["boundary"] as? [String: Any])
        let sigmaW = try #require(boundary["sigma_w"] as? Double)
        #expect(sigmaW > 1.3 && sigmaW < 1.5)
        #expect((boundary["sigma_w_err"] as? Double ?? 0) > 0)
    }
}

@Suite struct KernelCLITests {
    @Test("kernel mlp: one row per depth and pair i <= j, the documented columns; erf's first layer is exact")
    func kernelRows() throws {
        let folder = try temporaryFolder()
        let data = folder.appendingPathComponent("d.csv").path
        try "a,b,c,label\n1,2,3,0\n3,1,0,1\n0,1,1,1\n2,2,1,0\n".write(toFile: data, atomically: true, encoding: .utf8)
        let r = try runCLI(["kernel", "mlp", "--activation", "erf", "--sigma-w", "1.3", "--sigma-b", "0.2", "--input", data,
                            "--label-column", "last", "--depth", "1,5"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == ["activation", "sigma_w", "sigma_b", "depth", "i", "j", "rho", "nngp", "ntk"])
        #expect(csv.rows.count == 2 * 10)
        // Depth 1: K = σ_w² x·x′/n₀ + σ_b² with rows rescaled to mean square 1; Θ¹ = K¹.
        let rows = [[1.0, 2, 3], [3, 1, 0], [0, 1, 1], [2, 2, 1]].map { r -> [Double] in
            let s = (3 / r.reduce(0) { $0 + $1 * $1 }).squareRoot(); return r.map { $0 * s }
        }
        for row in csv.rows where row[3] == "1" {
            let i = Int(row[4])!, j = Int(row[5])!
            let k = 1.69 * zip(rows[i], rows[j]).reduce(0) { $0 + $1.0 * $1.1 } / 3 + 0.04
            #expect(abs(Double(row[7])! - k) < 1e-12 * abs(k) + 1e-15, "\(row)")
            #expect(abs(Double(row[8])! - k) < 1e-12 * abs(k) + 1e-15)
        }
        // --raw-input: the rows as they are, K¹ = σ_w² x·x′/n₀ + σ_b² without rescaling; ρ from K.
        let raw = try runCLI(["kernel", "mlp", "--activation", "erf", "--sigma-w", "1.3", "--sigma-b", "0.2", "--input", data,
                              "--label-column", "last", "--depth", "1,5", "--raw-input"])
        #expect(raw.status == 0, "\(raw.stderr)")
        let rawRows = [[1.0, 2, 3], [3, 1, 0], [0, 1, 1], [2, 2, 1]]
        for row in parseCSV(raw.stdout).rows where row[3] == "1" {
            let i = Int(row[4])!, j = Int(row[5])!
            let k = 1.69 * zip(rawRows[i], rawRows[j]).reduce(0) { $0 + $1.0 * $1.1 } / 3 + 0.04
            #expect(abs(Double(row[7])! - k) < 1e-12 * abs(k), "\(row)")
            if i == j { #expect(Double(row[6]) == 0) }
        }
        for bad in [["--depth", "0"], ["--depth", "20000"], ["--rows", "0"], ["--rows", "9"]] {
            let b = try runCLI(["kernel", "mlp", "--critical", "--input", data, "--label-column", "last"] + bad)
            #expect(b.status == 2 && b.stderrLines.count == 1, "\(bad): \(b.stderr)")
        }
    }

    @Test("kernel mlp reads an IDX images file (MNIST's format), as a user with MNIST would")
    func kernelIDX() throws {
        let folder = try temporaryFolder()
        var bytes: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 3]
        bytes += [0, 10, 200, 30, 0, 0, 5, 5, 5, 5, 5, 5, 0, 255, 0, 255, 0, 255, 1, 2, 3, 4, 5, 6]
        let path = folder.appendingPathComponent("t10k-images-idx3-ubyte").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let svg = folder.appendingPathComponent("k.svg").path
        let r = try runCLI(["kernel", "mlp", "--critical", "--input", path, "--depth", "1,3", "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(parseCSV(r.stdout).rows.count == 2 * 10)
        #expect((try? String(contentsOfFile: svg, encoding: .utf8))?.contains("median over pairs") == true)
        let bad = try runCLI(["kernel", "mlp", "--critical", "--input", path, "--label-column", "last"])
        #expect(bad.status == 2 && bad.stderrLines.count == 1)
    }
}
