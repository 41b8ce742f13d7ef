import Foundation
import Testing

@Suite struct LatticeCLITests {
    static let columns = ["model", "protocol", "activation", "sigma_w", "sigma_b", "p", "channels", "kernel", "dim", "size",
                          "depth", "rho", "rho_err", "delta_eff", "delta_eff_err", "survival", "survival_err", "active", "active_err",
                          "r2", "r2_err", "log_rho", "log_rho_err", "log_rho_sd", "samples", "seed"]

    @Test("simulate cnn: tidy columns, a sidecar, the field file and a four-panel plot")
    func simulateCNN() throws {
        let folder = try temporaryFolder()
        let csvPath = folder.appendingPathComponent("cnn.csv").path
        let field = folder.appendingPathComponent("field.csv").path
        let svg = folder.appendingPathComponent("cnn.svg").path
        let r = try runCLI(["simulate", "cnn", "--sigma-w", "1.6", "--channels", "6", "--size", "30", "--depth", "20",
                            "--samples", "4", "--protocol", "spreading", "-o", csvPath, "--field", field, "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(try String(contentsOfFile: csvPath, encoding: .utf8))
        #expect(csv.header == Self.columns)
        #expect(csv.rows.count == 20)
        let first = csv.rows[0]
        #expect(first[0] == "cnn" && first[1] == "spreading" && first[2] == "tanh" && first[5].isEmpty && first[6] == "6")
        // Layer 1: only the seed and its two neighbours can differ.
        #expect(Double(first[17]) ?? 99 <= 3)
        #expect(!first[19].isEmpty)
        let fieldCSV = parseCSV(try String(contentsOfFile: field, encoding: .utf8))
        #expect(fieldCSV.header == ["depth", "site", "rho_x"])
        #expect(fieldCSV.rows.count == 20 * 30)
        #expect(Set(fieldCSV.rows.map { $0[1] }) == Set((0..<30).map(String.init)))
        let sidecar = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.appendingPathComponent("cnn.json").path))) as? [String: Any])
        #expect(sidecar["channels"] as? Int == 6 && sidecar["protocol"] as? String == "spreading")
        let picture = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(picture.contains("P(l)") && picture.contains("longest-lived"))
    }

    @Test("simulate cnn: 2D, --critical, and the same bytes on 1 and 2 threads")
    func simulateCNN2D() throws {
        let args = ["simulate", "cnn", "--dim", "2", "--critical", "--channels", "4", "--size", "8", "--depth", "6", "--samples", "3"]
        let one = try runCLI(args + ["--threads", "1"]), two = try runCLI(args + ["--threads", "2"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout)
        let csv = parseCSV(one.stdout)
        #expect(csv.rows.count == 6 && csv.rows[0][8] == "2")
    }

    @Test("analyze decay --plot on CNN runs: a panel of the realisation spread, legends without file names")
    func decayFigureWithSpread() throws {
        let folder = try temporaryFolder()
        var inputs: [String] = []
        for (name, extra) in [("tied", [String]()), ("untied", ["--untied"])] {
            let path = folder.appendingPathComponent("\(name).csv").path
            let r = try runCLI(["simulate", "cnn", "--sigma-w", "1.55", "--channels", "4", "--size", "16", "--depth", "64",
                                "--samples", "8", "-o", path] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            inputs.append(path)
        }
        let svg = folder.appendingPathComponent("d.svg").path
        let r = try runCLI(["analyze", "decay"] + inputs + ["--window", "4:64", "--replicates", "10", "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        let picture = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(picture.contains("spread of ln ρ across realisations"))
        // The runs differ by model (tied, untied): the legend says so without the file names.
        #expect(picture.contains("model = cnn-untied") && !picture.contains("source ="))
        // A spreading run has no spread panel (the observable is P(t)).
        let spreading = folder.appendingPathComponent("s.csv").path
        _ = try runCLI(["simulate", "cnn", "--sigma-w", "1.55", "--channels", "4", "--size", "16", "--depth", "32", "--samples", "8",
                        "--protocol", "spreading", "--epsilon", "0.001", "-o", spreading])
        let r2 = try runCLI(["analyze", "decay", spreading, "--window", "4:32", "--replicates", "10", "--plot", svg])
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(!(try String(contentsOfFile: svg, encoding: .utf8)).contains("spread of ln ρ"))
    }

    @Test("simulate cnn --untied labels the runs cnn-untied")
    func simulateUntied() throws {
        let r = try runCLI(["simulate", "cnn", "--untied", "--sigma-w", "1.5", "--channels", "4", "--size", "16", "--depth", "5", "--samples", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(parseCSV(r.stdout).rows.allSatisfy { $0[0] == "cnn-untied" })
    }

    @Test("simulate dp: density, survival and spread from a seed at p_c")
    func simulateDP() throws {
        let r = try runCLI(["simulate", "dp", "--protocol", "spreading", "--size", "512", "--depth", "100", "--samples", "300"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == Self.columns)
        #expect(csv.rows.count == 100)
        let last = csv.rows[99]
        #expect(last[0] == "dp" && last[2].isEmpty && Double(last[5]) == 0.644700185)
        let survival = try #require(Double(last[15])), active = try #require(Double(last[17]))
        // P(100) ≈ 0.43 and N(100) ≈ 4.8 at p_c (measured with many more samples).
        #expect(survival > 0.3 && survival < 0.56)
        #expect(active > 3 && active < 7)
    }

    @Test("simulate dp --dim 2: 2+1 DP at its own p_c by default")
    func simulateDP2D() throws {
        let r = try runCLI(["simulate", "dp", "--dim", "2", "--size", "32", "--depth", "20", "--samples", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.rows.count == 20 && csv.rows[0][8] == "2" && csv.rows[0][5] == "0.2873383")
    }

    static let badInputs: [[String]] = [
        ["simulate", "cnn", "--sigma-w", "1", "--dim", "3"],
        ["simulate", "cnn", "--sigma-w", "1", "--kernel", "4"],
        ["simulate", "cnn", "--sigma-w", "1", "--kernel", "5", "--size", "3"],
        ["simulate", "cnn", "--sigma-w", "1", "--channels", "0"],
        ["simulate", "cnn", "--sigma-w", "1", "--protocol", "sideways"],
        ["simulate", "cnn", "--sigma-w", "-2"],
        ["simulate", "cnn", "--sigma-w", "1", "--samples", "0"],
        ["simulate", "cnn", "--sigma-w", "1", "--plot", "x.png"],
        ["simulate", "cnn", "--sigma-w", "1", "--epsilon", "-1"],
        ["simulate", "dp", "--p", "1.5"],
        ["simulate", "dp", "--p", "nan"],
        ["simulate", "dp", "--dim", "3"],
        ["simulate", "dp", "--size", "1"],
        ["bench", "cnn", "--channels", "8,x"],
    ]

    @Test("lattice commands: bad input gets one line on stderr and exit status 2", arguments: badInputs)
    func badInput(arguments: [String]) throws {
        let r = try runCLI(arguments)
        #expect(r.status == 2, "\(arguments)")
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
