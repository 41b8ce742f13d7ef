import Foundation
import Testing

/// JSON object of a command's standard output.
/// The classes a verdict compares with by default: DP 1+1, 2+1, 3+1, mean field, kinked mean field,
/// temporal-noise mean field.
enum UniversalityClassCount { static let known = 8 }

func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}

@Suite(.serialized) struct AnalysisCLITests {
    /// A DP scan around p_c stored in a campaign (shared by the tests below).
    static let store: String = {
        let folder = try! temporaryFolder()
        let spec = folder.appendingPathComponent("dp.toml").path
        try! """
            name = "dp-test-scan"
            model = "dp"
            protocol = "spreading"
            p = { from = 0.635, to = 0.655, steps = 5 }
            size = 1024
            depth = 1000
            samples = 3000
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("store").path
        let r = try! runCLI(["sweep", "run", spec, "--store", path, "--quiet"])
        precondition(r.status == 0, r.stderr)
        return path
    }()

    /// Writes `text` to a file in a fresh folder.
    func file(_ text: String, name: String = "data.csv") throws -> String {
        let path = try temporaryFolder().appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("analyze critical-point on a DP store: p_c near 0.6447 with an error, delta near 0.16")
    func criticalPoint() throws {
        let r = try runCLI(["analyze", "critical-point", Self.store, "--format", "json", "--replicates", "100"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        let pc = try #require(j["critical"] as? Double), err = try #require(j["critical_err"] as? Double)
        #expect(err > 0 && err < 0.003)
        #expect(abs(pc - 0.6447) < max(4 * err, 0.002), "p_c = \(pc) ± \(err)")
        let delta = try #require(j["exponent"] as? Double)
        #expect(abs(delta - 0.1595) < 0.05)
        // One key per name (0.2.0 printed "runs" twice: the count and the list).
        #expect(j["runs"] as? Int == 5)
        #expect((j["bends"] as? [Any])?.count == 5)
        #expect(r.stdout.components(separatedBy: "\"runs\"").count == 2, "\(r.stdout)")
    }

    @Test("classify a DP store: DP 1+1, mean field excluded; CSV lists every class")
    func classifyDP() throws {
        let r = try runCLI(["classify", Self.store, "--format", "json", "--replicates", "100"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(j["class"] as? String == "dp-1+1")
        let excluded = try #require(j["excluded"] as? [[String: Any]])
        #expect(excluded.contains { $0["class"] as? String == "mean-field" && ($0["sigmas"] as? Double ?? 0) > 5 })
        let exponents = try #require(j["exponents"] as? [String: Any])
        #expect(Set(exponents.keys) == ["delta", "theta", "z"])
        #expect(r.stderr.contains("verdict: DP 1+1"))
        let csv = parseCSV(try runCLI(["classify", Self.store, "--replicates", "20"]).stdout)
        #expect(csv.header == ["class", "name", "status", "sigmas", "worst_exponent", "chi2", "verdict"])
        #expect(csv.rows.count == UniversalityClassCount.known)
    }

    @Test("analyze decay: the documented columns per run; one run gives a JSON object with delta and delta_err")
    func decay() throws {
        let csv = parseCSV(try runCLI(["analyze", "decay", Self.store, "--replicates", "20"]).stdout)
        #expect(csv.header == ["run", "control", "size", "observable", "delta", "delta_err", "delta_stat_err", "delta_drift",
                               "delta_early", "delta_late", "window_from", "window_to", "points", "replicates", "error_method"])
        #expect(csv.rows.count == 5 && csv.rows.allSatisfy { $0[3] == "survival" && $0.last == "block-bootstrap" })
        // A foreign single-run CSV with named columns.
        let lines = (1...500).map { "\($0),\(pow(Double($0), -0.5) * 3),\(0.01 * pow(Double($0), -0.5))" }
        let path = try file("t,y,dy\n" + lines.joined(separator: "\n") + "\n")
        let folder = try temporaryFolder()
        let r = try runCLI(["analyze", "decay", path, "--depth-column", "t", "--rho-column", "y", "--error-column", "dy",
                            "--format", "json", "--plot", folder.appendingPathComponent("d.svg").path])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(abs((j["delta"] as? Double ?? 0) - 0.5) < 1e-9)
        #expect((j["delta_err"] as? Double).map { $0 >= 0 } == true)
        // Per-depth errors only: the output says which correlation model gave the error.
        #expect((j["error_method"] as? String)?.hasPrefix("errors-") == true, "\(j)")
        let svg = try String(contentsOf: folder.appendingPathComponent("d.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
    }

    @Test("classify a 1D lattice run with delta = 0.45: DP 2+1 and 3+1 are not compared; on a 2D lattice DP 2+1 fits")
    func latticeDimension() throws {
        for dim in [1, 2] {
            let lines = (1...2000).map { "cnn,\(dim),1.5,\($0),\(pow(Double($0), -0.4505)),\(0.002 * pow(Double($0), -0.4505))" }
            let path = try file("model,dim,sigma_w,depth,rho,rho_err\n" + lines.joined(separator: "\n") + "\n", name: "d\(dim).csv")
            let r = try runCLI(["classify", path, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let j = try #require(jsonObject(r.stdout))
            if dim == 1 {
                #expect(j["class"] is NSNull && (j["not_compared"] as? [String]) == ["dp-2+1", "dp-3+1"])
                #expect(r.stderr.contains("1-dimensional lattice: DP 2+1, DP 3+1 (other dimensions) not compared"))
                let csv = parseCSV(try runCLI(["classify", path]).stdout)
                #expect(csv.rows.count == UniversalityClassCount.known && csv.rows.filter { $0[2] == "other-dimension" }.count == 2)
            } else {
                #expect(j["class"] as? String == "dp-2+1" && (j["not_compared"] as? [String]) == ["dp-1+1", "dp-3+1", "mn-1+1", "infinite-noise-1+1"])
            }
        }
    }

    @Test("classify a foreign power law with delta = 0.3: no class fits")
    func noClassFits() throws {
        let lines = (1...2000).map { "\($0),\(pow(Double($0), -0.3)),\(0.002 * pow(Double($0), -0.3))" }
        let path = try file("t,y,dy\n" + lines.joined(separator: "\n") + "\n")
        let r = try runCLI(["classify", path, "--depth-column", "t", "--rho-column", "y", "--error-column", "dy", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(j["class"] is NSNull)
        #expect(j["outcome"] as? String == "no-class-fits")
        // A class added on the command line is compared too.
        let added = try runCLI(["classify", path, "--depth-column", "t", "--rho-column", "y", "--error-column", "dy", "--format", "json",
                                "--add-class", "Test class:delta=0.3,theta=0.1"])
        #expect(jsonObject(added.stdout)?["class"] as? String == "test-class", "\(added.stderr)")
        let bad = try runCLI(["classify", path, "--add-class", "nonsense"])
        #expect(bad.status == 2 && bad.stderrLines.count == 1)
        // A name that exists is rejected (0.2.0: a verdict naming DP 1+1 twice).
        for name in ["DP 1+1", "dp 1+1", "mean field"] {
            let clash = try runCLI(["classify", path, "--depth-column", "t", "--rho-column", "y", "--add-class", "\(name):delta=0.5"])
            #expect(clash.status == 2 && clash.stderrLines.count == 1 && clash.stderr.contains("clashes"), "\(clash.stderr)")
        }
    }

    @Test("non-monotone data (noise without decay, rows in random order): no confident wrong verdict")
    func nonMonotone() throws {
        var generator = SystemRandomNumberGenerator()
        var rows = (1...1000).map { t in "\(t),\(0.6 + 0.1 * sin(Double(t) * 1.7)),0.01" }
        rows.shuffle(using: &generator)
        let r = try runCLI(["classify", try file("depth,rho,rho_err\n" + rows.joined(separator: "\n") + "\n"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(j["class"] is NSNull)
        #expect(j["outcome"] as? String == "no-class-fits")
    }

    @Test("analyze stationary: beta of rho* = (p - p_c)^beta on the active side")
    func stationary() throws {
        var text = "p,depth,rho,rho_err\n"
        for p in [0.40, 0.45, 0.55, 0.6, 0.7, 0.8] {
            for t in 1...64 {
                let y = p > 0.5 ? pow(p - 0.5, 0.6) : pow(Double(t), -1)
                text += "\(p),\(t),\(y),\(0.001 * y)\n"
            }
        }
        let r = try runCLI(["analyze", "stationary", try file(text), "--critical", "0.5", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(abs((j["beta"] as? Double ?? 0) - 0.6) < 1e-6)
        #expect(j["runs"] as? Int == 4)
    }

    @Test("analyze collapse: a and b of a synthetic depth family n^-1 F(t/n)")
    func collapse() throws {
        var text = "n,t,y,dy\n"
        for n in [32, 64, 128, 256] {
            for t in 1...(4 * n) {
                let x = Double(t) / Double(n), y = exp(-x) / x / Double(n)
                text += "\(n),\(t),\(y),\(0.01 * y)\n"
            }
        }
        let r = try runCLI(["analyze", "collapse", try file(text), "--size-column", "n", "--depth-column", "t", "--rho-column", "y",
                            "--error-column", "dy", "--format", "json", "--replicates", "10"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(abs((j["a"] as? Double ?? 0) - 1) < 0.02 && abs((j["b"] as? Double ?? 0) - 1) < 0.02)
        #expect(j["a_err"] is Double && j["quality"] is Double)
    }

    @Test("analyze collapse --ansatz time: delta, 1/nu_par and x_c of a synthetic off-critical scan t^-0.5 F((x - 1) t^0.5)")
    func collapseInTime() throws {
        var text = "x,t,y,dy\n"
        for x in stride(from: 0.9, through: 1.1001, by: 0.01) {
            for t in 1...512 {
                let y = pow(Double(t), -0.5) * exp((x - 1) * pow(Double(t), 0.5))
                text += "\(x),\(t),\(y),\(0.01 * y)\n"
            }
        }
        let svg = try temporaryFolder().appendingPathComponent("c.svg").path
        let r = try runCLI(["analyze", "collapse", try file(text), "--ansatz", "time", "--control-column", "x", "--depth-column", "t",
                            "--rho-column", "y", "--error-column", "dy", "--depths", "64,128,256,512", "--format", "json",
                            "--replicates", "10", "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(j["ansatz"] as? String == "time")
        #expect(abs((j["a"] as? Double ?? 0) - 0.5) < 0.02 && abs((j["b"] as? Double ?? 0) - 0.5) < 0.02)
        #expect(abs((j["x_c"] as? Double ?? 0) - 1) < 0.005)
        #expect(r.stderr.contains("nu_par = 1/b = 2.0") || r.stderr.contains("nu_par = 1/b = 1.99"))
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("l^a"))
        let bad = try runCLI(["analyze", "collapse", try file(text), "--ansatz", "time", "--depths", "64"])
        #expect(bad.status == 2 && bad.stderrLines.count == 1)
    }

    @Test("report: one HTML page with inline SVG figures and the verdict")
    func report() throws {
        let out = try temporaryFolder().appendingPathComponent("report.html").path
        let r = try runCLI(["report", Self.store, "-o", out, "--replicates", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("DP 1+1") && html.contains("Critical point"))
        let open = html.components(separatedBy: "<svg").count, close = html.components(separatedBy: "</svg>").count
        #expect(open > 3 && open == close)
    }

    @Test("report on a foreign CSV with named columns, and on a bad path")
    func reportForeign() throws {
        let lines = (1...1000).map { "\($0),\(pow(Double($0), -1)),\(0.01 * pow(Double($0), -1))" }
        let path = try file("t,y,dy\n" + lines.joined(separator: "\n") + "\n")
        let out = try temporaryFolder().appendingPathComponent("r.html").path
        let r = try runCLI(["report", path, "--depth-column", "t", "--rho-column", "y", "--error-column", "dy", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("mean field"))
        let bad = try runCLI(["report", "/nonexistent.csv", "-o", out])
        #expect(bad.status == 2 && bad.stderrLines.count == 1)
    }

    @Test("find-critical dp: a small search finds p_c and resumes from its stores")
    func findCritical() throws {
        let folder = try temporaryFolder().appendingPathComponent("search").path
        let args = ["find-critical", "dp", "--size", "512", "--depth", "400", "--samples", "1500", "--steps", "5", "--rounds", "2",
                    "--store", folder, "--format", "json", "--replicates", "50"]
        let first = try runCLI(args)
        #expect(first.status == 0, "\(first.stderr)")
        let j = try #require(jsonObject(first.stdout))
        let pc = try #require(j["critical"] as? Double), err = try #require(j["critical_err"] as? Double)
        #expect(abs(pc - 0.6447) < max(4 * err, 0.004), "p_c = \(pc) ± \(err)")
        #expect(FileManager.default.fileExists(atPath: folder + "/round-2/campaign.json"))
        let again = try runCLI(args)
        #expect(again.stdout == first.stdout)
        #expect(again.stderr.contains("0 computed"))
    }

    @Test("find-critical cnn: common random numbers (each run is simulate cnn at the same seed), rounds that narrow the bracket, and the realisation spread")
    func findCriticalCNN() throws {
        let folder = try temporaryFolder().appendingPathComponent("search").path
        let r = try runCLI(["find-critical", "cnn", "--channels", "8", "--size", "32", "--depth", "200", "--samples", "64", "--steps", "5",
                            "--rounds", "2", "--from", "1.4", "--to", "1.8", "--store", folder, "--format", "json", "--replicates", "50"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        let critical = try #require(j["critical"] as? Double)
        #expect(critical > 1.4 && critical < 1.8)
        // Round 2 scans the inside of the bracket between the two runs around round 1's estimate.
        let rounds = r.stderr.split(separator: "\n").filter { $0.contains(": sigma_w = ") }.map { line in
            line.split(separator: "=").last!.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        #expect(rounds.count == 2 && rounds[0] == [1.4, 1.5, 1.6, 1.7, 1.8] && rounds[1].count == 5)
        if rounds.count == 2 {
            #expect(rounds[1].max()! - rounds[1].min()! < 0.1 && !rounds[1].contains { rounds[0].contains($0) })
        }
        // The spread of ln rho across realisations (shared weights) is reported, and exceeds 1 here.
        let sd = try #require(j["log_rho_sd"] as? Double)
        #expect(sd > 1 && r.stderr.contains("realisation spread of ln rho at l = 200"), "\(r.stderr)")
        // Common random numbers: the stored run at sigma_w = 1.6 is simulate cnn with the same seed.
        let stored = try runCLI(["sweep", "export", folder + "/round-1"])
        let rows = parseCSV(stored.stdout)
        let sw = try #require(rows.header.firstIndex(of: "sigma_w")), rho = try #require(rows.header.firstIndex(of: "rho"))
        let fromStore = rows.rows.filter { Double($0[sw]) == 1.6 }.map { $0[rho] }
        let direct = try runCLI(["simulate", "cnn", "--sigma-w", "1.6", "--channels", "8", "--size", "32", "--depth", "200",
                                 "--samples", "64", "--seed", "1"])
        let single = parseCSV(direct.stdout)
        #expect(fromStore.count == 200 && fromStore == single.rows.map { $0[single.header.firstIndex(of: "rho")!] })
        // classify states the precision and the spread.
        let c = try runCLI(["classify", folder + "/round-1", folder + "/round-2", "--replicates", "50"])
        #expect(c.stderr.contains("precision: delta to ±") && c.stderr.contains("the verdict rests on delta alone"), "\(c.stderr)")
        #expect(c.stderr.contains("the realisations do not self-average at this size"), "\(c.stderr)")
    }

    @Test("find-critical moves a first scan that misses the critical point")
    func findCriticalMoves() throws {
        let folder = try temporaryFolder().appendingPathComponent("search").path
        let r = try runCLI(["find-critical", "dp", "--size", "512", "--depth", "400", "--samples", "1500", "--steps", "5", "--rounds", "3",
                            "--from", "0.55", "--to", "0.60", "--store", folder, "--format", "json", "--replicates", "50"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("the critical point lies above 0.6; next scan 0.6…0.65"))
        let pc = try #require(jsonObject(r.stdout)?["critical"] as? Double)
        #expect(abs(pc - 0.6447) < 0.005)
        // The moved scan starts at 0.6, which has run already: it is not run again, so the stores
        // can be analysed together.
        #expect(r.stderr.contains("round 2: p = 0.6125, 0.625, 0.6375, 0.65"), "\(r.stderr)")
        let c = try runCLI(["classify", folder + "/round-1", folder + "/round-2", folder + "/round-3", "--replicates", "20"])
        #expect(c.status == 0, "\(c.stderr)")
    }

    @Test("bad inputs: one line on stderr and exit status 2", arguments: [
        ("", [String]()),
        ("depth,rho,rho_err\n1,nan,0.1\n2,nan,0.1\n", []),
        ("depth,rho,rho_err\n1,1,0.1\n2,0.5,0.1\n3,0.3,0.1\n", []),
        ("depth,rho,rho_err\n1,1,0.1\n1,0.5,0.1\n", []),
        ("depth,rho\n1,1\n2,0.5\n", ["--rho-column", "missing"]),
        ("depth,rho\n1,1\n2,0.5,7\n", []),
    ])
    func badInput(text: String, extra: [String]) throws {
        for command in [["analyze", "decay"], ["classify"]] {
            let r = try runCLI(command + [try file(text)] + extra)
            #expect(r.status == 2, "\(command) \(text): \(r.stdout)")
            #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("criticality: "), "\(r.stderr)")
        }
    }

    @Test("a missing file or a folder that is not a store: exit status 2")
    func missingInput() throws {
        for input in ["/nonexistent/file.csv", try temporaryFolder().path] {
            let r = try runCLI(["analyze", "critical-point", input])
            #expect(r.status == 2 && r.stderrLines.count == 1)
        }
    }

    @Test("a CSV without a depth column names the missing column and lists only the file's columns")
    func missingDepthColumn() throws {
        var text = "x,rho,rho_err\n"
        for t in 1...400 { text += "\(t),\(pow(Double(t), -0.5)),0.001\n" }
        let path = try file(text)
        for command in [["analyze", "decay"], ["classify"], ["analyze", "critical-point"]] {
            let r = try runCLI(command + [path])
            #expect(r.status == 2, "\(command): \(r.stdout)")
            #expect(r.stderrLines.count == 1 && r.stderr.contains("'depth'") && r.stderr.contains("--depth-column"), "\(r.stderr)")
            #expect(r.stderr.contains("x, rho, rho_err") && !r.stderr.contains("source"), "\(r.stderr)")
        }
        // Naming the column fits it.
        let named = try runCLI(["analyze", "decay", path, "--depth-column", "x", "--format", "json"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(abs((jsonObject(named.stdout)?["delta"] as? Double ?? 0) - 0.5) < 1e-9)
    }

    @Test("an MLP whose finite-size limit n/8 comes before 32 times the first layer is not fitted by default")
    func mlpWindowRule() throws {
        var text = "model,width,depth,rho,rho_err\n"
        for n in [128, 4096] {
            for l in 1...1024 { text += "mlp,\(n),\(l),\(1 / (0.23 * Double(l) + 1)),1e-4\n" }
        }
        let path = try file(text)
        let both = try runCLI(["analyze", "decay", path, "--format", "json"])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stderr.contains("width = 128: skipped: insufficient data") && both.stderr.contains("finite-size limit"), "\(both.stderr)")
        let row = try #require(jsonObject(both.stdout))
        #expect(row["size"] as? Double == 4096 && row["window_from"] as? Double == 32, "\(row)")
        var narrow = "model,width,depth,rho,rho_err\n"
        for l in 1...1024 { narrow += "mlp,128,\(l),\(1 / (0.23 * Double(l) + 1)),1e-4\n" }
        let alone = try runCLI(["analyze", "decay", try file(narrow)])
        #expect(alone.status == 2 && alone.stderrLines.count == 1 && alone.stderr.contains("insufficient data"), "\(alone.stderr)")
        // A window of the user's choice is still fitted.
        #expect(try runCLI(["analyze", "decay", try file(narrow), "--window", "4:16"]).status == 0)
    }

    @Test("a critical ReLU MLP (sigma_b = 0, sigma_w = sqrt 2) gets the kinked mean-field verdict (0.2.0: no class fits)")
    func reluVerdict() throws {
        let folder = try temporaryFolder()
        let csv = folder.appendingPathComponent("relu.csv").path
        let run = try runCLI(["simulate", "mlp", "--activation", "relu", "--sigma-w", "1.4142135623730951", "--sigma-b", "0",
                              "--width", "4096", "--depth", "512", "--samples", "48", "-o", csv])
        #expect(run.status == 0, "\(run.stderr)")
        let r = try runCLI(["classify", csv, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        #expect(j["class"] as? String == "mean-field-kinked", "\(r.stderr)")
        let excluded = try #require(j["excluded"] as? [[String: Any]])
        #expect(excluded.contains { $0["class"] as? String == "mean-field" })
    }

    @Test("analyze and classify read a real gzip file and plain text named .gz (0.2.0 refused the first, read the second)")
    func gzipInputs() throws {
        var text = "depth,rho,rho_err\n"
        for t in 1...400 { text += "\(t),\(pow(Double(t), -0.5)),0.001\n" }
        let plain = try file(text, name: "plain.csv.gz")
        let folder = try temporaryFolder()
        let source = folder.appendingPathComponent("data.csv").path
        try text.write(toFile: source, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", source]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        for path in [plain, source + ".gz"] {
            let r = try runCLI(["analyze", "decay", path, "--format", "json"])
            #expect(r.status == 0, "\(path): \(r.stderr)")
            #expect(abs((jsonObject(r.stdout)?["delta"] as? Double ?? 0) - 0.5) < 1e-9)
        }
        // A damaged gzip file: one line, exit 2.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: source + ".gz"))
        damaged = damaged.prefix(damaged.count / 2)
        let broken = folder.appendingPathComponent("broken.csv.gz")
        try damaged.write(to: broken)
        let r = try runCLI(["classify", broken.path])
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("damaged gzip"), "\(r.stderr)")
    }

    @Test("text cells in the value, depth or error columns are counted on stderr; a mostly unreadable column is refused")
    func unreadableCells() throws {
        func table(_ bad: (Int) -> (String?, String?, String?)) -> String {
            var text = "depth,rho,rho_err\n"
            for t in 1...400 {
                let (d, y, e) = bad(t)
                text += "\(d ?? String(t)),\(y ?? String(pow(Double(t), -0.5))),\(e ?? "0.001")\n"
            }
            return text
        }
        // A few text cells in the error column: said on stderr, not silently dropping the column's meaning.
        let fewErrors = try runCLI(["analyze", "decay", try file(table { $0 % 100 == 0 ? (nil, nil, "n/a") : (nil, nil, nil) })])
        #expect(fewErrors.status == 0, "\(fewErrors.stderr)")
        #expect(fewErrors.stderr.contains("column 'rho_err': 4 of 400 cells are not numbers"), "\(fewErrors.stderr)")
        let fewValues = try runCLI(["analyze", "decay", try file(table { $0 % 50 == 0 ? (nil, "x", nil) : (nil, nil, nil) })])
        #expect(fewValues.status == 0 && fewValues.stderr.contains("column 'rho': 8 of 400 cells are not numbers"), "\(fewValues.stderr)")
        // Mostly text in the error column (0.2.0: delta_err = 3e-17 from 0 replicates): refused.
        let mostly = try runCLI(["analyze", "decay", try file(table { $0 % 4 != 0 ? (nil, nil, "?") : (nil, nil, nil) })])
        #expect(mostly.status == 2 && mostly.stderrLines.count == 1 && mostly.stderr.contains("column 'rho_err': 300 of 400"), "\(mostly.stderr)")
    }
}
