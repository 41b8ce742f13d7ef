import Foundation
import Testing

/// `criticality atlas` as a user runs it: the smoke preset end to end, its files, resuming from the
/// stored rows, and bad input (docs/atlas.md).
@Suite struct AtlasCLITests {
    static let columns = [
        "row", "label", "model", "dim", "weights", "channels", "activation", "sigma_b", "size", "depth", "samples", "control",
        "critical", "critical_err", "delta", "delta_err", "delta_typ", "delta_typ_err", "psi", "psi_err", "theta", "theta_err",
        "z", "z_err", "nu_par", "nu_par_err", "lambda", "lambda_err", "log_rho_sd", "var_log_rho", "self_averaging", "dp_sigmas", "dp_status", "outcome",
        "class", "verdict", "seconds", "note",
    ]

    @Test("atlas --preset smoke: every row, DP 1+1 found at p_c, ReLU without a transition, the files, and a rerun that reuses the rows")
    func smoke() throws {
        let folder = try temporaryFolder().appendingPathComponent("atlas").path
        let r = try runCLI(["atlas", "--preset", "smoke", "--folder", folder, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["row"] as? String } == ["dp-1+1", "mlp-tanh", "mlp-relu", "cnn-1d-untied-c4-tanh"])
        func row(_ id: String) throws -> [String: Any] { try #require(rows.first { $0["row"] as? String == id }) }
        let dp = try row("dp-1+1")
        // p_c of bond DP 1+1 is 0.644700 (Jensen); the search's error is statistical, so 4 errors and a small floor.
        let pc = try #require(dp["critical"] as? Double), pcErr = try #require(dp["critical_err"] as? Double)
        #expect(abs(pc - 0.6447) < 4 * pcErr + 0.002, "p_c = \(pc) ± \(pcErr)")
        #expect(dp["class"] as? String == "dp-1+1", "\(dp)")
        #expect(dp["theta"] is Double && dp["z"] is Double, "the spreading run at p_c gives theta and z: \(dp)")
        #expect(dp["lambda"] == nil || dp["lambda"] is NSNull, "DP has no replica Lyapunov exponent")
        let relu = try row("mlp-relu")
        #expect(relu["outcome"] as? String == "no-transition", "\(relu)")
        #expect((relu["note"] as? String)?.contains("relu") == true, "\(relu)")
        let cnn = try row("cnn-1d-untied-c4-tanh")
        let outcomes = ["fits", "ambiguous", "undetermined", "no-class-fits", "insufficient-data", "no-critical-point"]
        #expect(outcomes.contains(cnn["outcome"] as? String ?? ""), "\(cnn)")
        if cnn["critical"] is Double { #expect(cnn["lambda"] is Double && cnn["lambda_err"] is Double, "\(cnn)") }
        for name in ["atlas.csv", "atlas.json", "atlas.md", "atlas.html", "rows/dp-1+1.csv", "figures/dp-1+1-scan.svg",
                     "figures/dp-1+1-diagnostics.svg", "dp-1+1/round-1"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name) missing")
        }
        let csv = parseCSV(try String(contentsOfFile: folder + "/atlas.csv", encoding: .utf8))
        #expect(csv.header == Self.columns)
        let html = try String(contentsOfFile: folder + "/atlas.html", encoding: .utf8)
        #expect(html.contains("figures/dp-1+1-scan.svg") && html.contains("DP 1+1 (calibration)"))

        // A second run measures nothing: every row is stored with the same settings.
        let again = try runCLI(["atlas", "--preset", "smoke", "--folder", folder, "--format", "json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == r.stdout)
        #expect(again.stderrLines.filter { $0.contains(": stored (") }.count == 4, "\(again.stderr)")

        // Stores made with other settings are refused, not mixed with new runs.
        try FileManager.default.removeItem(atPath: folder + "/rows/dp-1+1.csv")
        try "kind=dp;size=1\n".write(toFile: folder + "/dp-1+1/settings.txt", atomically: true, encoding: .utf8)
        let refused = try runCLI(["atlas", "--preset", "smoke", "--folder", folder, "--rows", "dp-1+1", "--quiet"])
        #expect(refused.status == 2 && refused.stderrLines.count == 1 && refused.stderr.contains("other settings"), "\(refused.stderr)")
    }

    @Test("atlas --list: the rows of each preset; bad input exits 2 with one line")
    func listAndBadInput() throws {
        let r = try runCLI(["atlas", "--list", "--preset", "default"])
        #expect(r.status == 0, "\(r.stderr)")
        let t = parseCSV(r.stdout)
        #expect(t.header.first == "row" && t.header.contains("work"))
        let ids = t.rows.map { $0[0] }
        for id in ["dp-1+1", "dp-2+1", "mlp-tanh", "mlp-relu", "cnn-1d-shared-c4-tanh", "cnn-1d-untied-c32-tanh", "cnn-2d-shared-c8-tanh",
                   "cnn-1d-shared-c8-erf", "cnn-1d-untied-c8-hardtanh"] {
            #expect(ids.contains(id), "\(id) missing from the default preset")
        }
        #expect(Set(ids).count == ids.count, "row names are unique")
        let cluster = try runCLI(["atlas", "--list", "--preset", "cluster", "--rows", "cnn-2d"])
        #expect(cluster.status == 0 && parseCSV(cluster.stdout).rows.count == 32, "\(cluster.stderr)")
        for bad in [["--shard", "2/2"], ["--shard", "x"], ["--rows", "no-such-row"], ["--preset", "huge"], ["--threads", "0"],
                    ["--quick", "--preset", "cluster"], ["--shard", "mpi"]] {
            let b = try runCLI(["atlas", "--list"] + bad)
            #expect(b.status == 2 && b.stderrLines.count == 1, "\(bad): \(b.stderr)")
        }
    }
}
