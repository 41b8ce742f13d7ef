import Foundation
import Testing

@Suite struct TrainCLITests {
    static let digits = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../data/digits.csv.gz").path
    static let columns = ["activation", "sigma_w", "sigma_b", "kappa", "depth", "kappa_depth", "kernel", "time",
                          "train_mse", "test_mse", "test_accuracy", "condition", "effective_rank",
                          "input_correlation", "steps", "train_accuracy", "test_mse_err", "test_accuracy_err", "q0"]

    @Test("train ntk on the shipped digits: the documented columns, one row per depth, kernel and time; kernel regression fits the training set and generalises")
    func digits() throws {
        let r = try runCLI(["train", "ntk", "--critical", "--input", Self.digits, "--label-column", "last", "--train", "200",
                            "--test", "100", "--depth", "1,10", "--time", "10,inf", "--steps", "1000", "--kernel", "both"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == Self.columns)
        #expect(csv.rows.count == 2 * 2 * 3)
        func column(_ row: [String], _ name: String) -> Double? { Double(row[Self.columns.firstIndex(of: name)!]) }
        for row in csv.rows {
            let depth = Int(row[4])!, time = row[7]
            #expect(abs(column(row, "kappa_depth")! - column(row, "kappa")! * Double(depth)) < 1e-12)
            if depth == 1 && time == "inf" {
                // 200 points in 64 dimensions: K¹ has rank <= 65, so kernel regression is undefined.
                #expect(row[8].isEmpty && row[9].isEmpty && row[10].isEmpty, "\(row)")
            } else {
                #expect(column(row, "test_mse")! > 0 && column(row, "test_mse")! < 0.09, "\(row)")
                #expect(column(row, "test_mse_err")! > 0)
            }
            if depth == 10 && time == "inf" {
                #expect(column(row, "train_mse")! < 1e-20)
                #expect(column(row, "test_accuracy")! > 0.85, "\(row)")
                #expect(column(row, "condition")! > 1 && column(row, "effective_rank")! > 1)
            }
            // --steps S is t = N S / λ_max; the training error falls with time.
            if !row[14].isEmpty { #expect(column(row, "steps") == 1000) }
        }
        #expect(r.stderr.contains("undefined for ntk at depth 1, nngp at depth 1"))
        // The same seed gives the same numbers; another seed another split.
        let a = try runCLI(["train", "ntk", "--critical", "--input", Self.digits, "--label-column", "last", "--train", "50",
                            "--test", "50", "--depth", "5", "--shuffle-seed", "3"])
        let b = try runCLI(["train", "ntk", "--critical", "--input", Self.digits, "--label-column", "last", "--train", "50",
                            "--test", "50", "--depth", "5", "--shuffle-seed", "3", "--threads", "1"])
        let c = try runCLI(["train", "ntk", "--critical", "--input", Self.digits, "--label-column", "last", "--train", "50",
                            "--test", "50", "--depth", "5", "--shuffle-seed", "4"])
        #expect(a.status == 0 && a.stdout == b.stdout && a.stdout != c.stdout)
        // --raw-input: pixel values as they are (each row its own variance); q0 is then empty.
        let raw = try runCLI(["train", "ntk", "--critical", "--input", Self.digits, "--label-column", "last", "--train", "12",
                              "--test", "6", "--depth", "2", "--raw-input"])
        #expect(raw.status == 0, "\(raw.stderr)")
        let rawRow = parseCSV(raw.stdout).rows[0]
        #expect(rawRow.last == "" && Double(rawRow[8])! < 1e-10 && Double(rawRow[9])! > 0, "\(rawRow)")
    }

    @Test("train ntk gives the same results with the built-in eigensolver as with LAPACK (CRITICALITY_LAPACK=none)")
    func eigensolvers() throws {
        let arguments = ["train", "ntk", "--critical", "--input", Self.digits, "--label-column", "last", "--train", "120",
                         "--test", "60", "--depth", "3,30", "--time", "50,inf", "--kernel", "both"]
        let a = try runCLI(arguments), b = try runCLI(arguments, environment: ["CRITICALITY_LAPACK": "none"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(b.stderr.contains("built-in eigensolver"))
        let x = parseCSV(a.stdout).rows, y = parseCSV(b.stdout).rows
        #expect(x.count == y.count && x.count == 8)
        for (r, s) in zip(x, y) {
            for name in ["test_mse", "test_accuracy", "effective_rank"] {
                let k = Self.columns.firstIndex(of: name)!
                let u = Double(r[k])!, v = Double(s[k])!
                #expect(abs(u - v) <= 1e-8 * max(abs(u), 1e-3), "\(name): \(u) vs \(v)")
            }
        }
    }

    @Test("the built-in eigensolver on the deep ordered-phase kernel (a constant matrix): the case that failed the demo without LAPACK")
    func constantKernelWithoutLAPACK() throws {
        // σ_w 5% below σ_w,c(σ_b = 0.1) for tanh, depth 2000: every entry of Θ is 7.0392…, and the QL
        // iteration's neighbour-only deflation test never passed (docs/kernels.md, "The built-in eigensolver").
        let r = try runCLI(["train", "ntk", "--sigma-w", "1.1337306887731142", "--sigma-b", "0.1", "--input", Self.digits,
                            "--label-column", "last", "--train", "200", "--test", "10", "--depth", "2000", "--steps", "100",
                            "--kernel", "ntk"], environment: ["CRITICALITY_LAPACK": "none"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = parseCSV(r.stdout).rows
        #expect(rows.count == 1)
        // A constant kernel learns only the mean: the test MSE is that of predicting 0.1 for each class (about 0.09).
        let mse = rows.first.flatMap { Double($0[Self.columns.firstIndex(of: "test_mse")!]) } ?? .nan
        #expect(abs(mse - 0.09) < 0.005, "\(rows)")
    }

    @Test("train ntk in the chaotic phase: the NTK grows like chi1^L; where it overflows the rows are empty and a note says so")
    func overflow() throws {
        let r = try runCLI(["train", "ntk", "--activation", "sin", "--sigma-w", "1.47", "--sigma-b", "1", "--input", Self.digits,
                            "--label-column", "last", "--train", "30", "--test", "20", "--depth", "3000,10000", "--steps", "1000"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = parseCSV(r.stdout).rows
        #expect(rows.count == 2)
        // Depth 3000: Θ ~ 1e122, still finite, and the predictor does not depend on its scale.
        #expect(Double(rows[0][9]).map { $0 > 0.05 && $0 <= 0.1 + 1e-12 } == true && Double(rows[0][12])!.isFinite, "\(rows[0])")
        #expect(rows[1][9].isEmpty && rows[1][12].isEmpty && rows[1][14] == "1000", "\(rows[1])")
        #expect(r.stderr.contains("overflows double precision for ntk at depth 10000"))
    }

    @Test("train ntk: bad input exits 2 with one line")
    func badInput() throws {
        let base = ["train", "ntk", "--critical", "--input", Self.digits]
        for bad in [[String](), ["--label-column", "last", "--train", "1500", "--test", "400"],
                    ["--label-column", "last", "--time", "-1"], ["--label-column", "last", "--steps", "inf"],
                    ["--label-column", "last", "--train", "1"], ["--label-column", "last", "--ridge", "-1"],
                    ["--label-column", "last", "--labels", "x.idx"], ["--label-column", "last", "--depth", "0"]] {
            let r = try runCLI(base + bad)
            #expect(r.status == 2 && r.stderrLines.count == 1, "\(bad): \(r.stderr)")
        }
    }

    @Test("train ntk reads IDX images with an IDX labels file, as a user with MNIST would")
    func idx() throws {
        let folder = try temporaryFolder()
        // 12 images of 2 × 3 pixels in two classes: bright left half (0) or bright right half (1).
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 12, 0, 0, 0, 2, 0, 0, 0, 3]
        var labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 12]
        for k in 0..<12 {
            let right = k % 2
            for row in 0..<2 { for col in 0..<3 { images.append(UInt8((col < 2) == (right == 0) ? 200 + k + row : 10 + k)) } }
            labels.append(UInt8(right))
        }
        let imagePath = folder.appendingPathComponent("train-images-idx3-ubyte").path
        let labelPath = folder.appendingPathComponent("train-labels-idx1-ubyte").path
        try Data(images).write(to: URL(fileURLWithPath: imagePath))
        try Data(labels).write(to: URL(fileURLWithPath: labelPath))
        let r = try runCLI(["train", "ntk", "--critical", "--input", imagePath, "--labels", labelPath, "--train", "8",
                            "--test", "4", "--depth", "3", "--ridge", "1e-6"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.rows.count == 1)
        #expect(Double(csv.rows[0][10]) == 1, "\(csv.rows)")
        let missing = try runCLI(["train", "ntk", "--critical", "--input", imagePath, "--depth", "3"])
        #expect(missing.status == 2 && missing.stderrLines.count == 1)
        let short = folder.appendingPathComponent("short-labels-idx1-ubyte").path
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]).write(to: URL(fileURLWithPath: short))
        let mismatch = try runCLI(["train", "ntk", "--critical", "--input", imagePath, "--labels", short])
        #expect(mismatch.status == 2 && mismatch.stderrLines.count == 1, "\(mismatch.stderr)")
    }
}

@Suite struct AnalyzeTrainingCLITests {
    @Test("analyze training: one row per network, the collapse against L, κL, κρ¹L and ρ¹/ρ_L on stderr and in JSON, a figure")
    func analyze() throws {
        let folder = try temporaryFolder()
        var paths: [String] = []
        for b in ["0.1", "0.5"] {
            let path = folder.appendingPathComponent("t\(b).csv").path
            let r = try runCLI(["train", "ntk", "--critical", "--sigma-b", b, "--input", TrainCLITests.digits, "--label-column", "last",
                                "--train", "60", "--test", "60", "--depth", "1,2,5,20,100,500", "-o", path])
            #expect(r.status == 0, "\(r.stderr)")
            paths.append(path)
        }
        let svg = folder.appendingPathComponent("k.svg").path
        let r = try runCLI(["analyze", "training"] + paths + ["--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header.starts(with: ["activation", "sigma_w", "sigma_b", "sigma_w_scale", "kappa", "xi_c"]))
        #expect(csv.rows.count == 2)
        for row in csv.rows { #expect(abs(Double(row[3])! - 1) < 1e-9 && row[5].isEmpty) }
        #expect(r.stderr.contains("against L:") && r.stderr.contains("against κL:") && r.stderr.contains("against κρ¹L:")
                && r.stderr.contains("against ρ¹/ρ_L:"))
        #expect(FileManager.default.fileExists(atPath: svg))
        let json = try runCLI(["analyze", "training"] + paths + ["--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let collapse = object?["collapse"] as? [[String: Any]]
        #expect(collapse?.map { $0["variable"] as? String } == ["L", "κL", "κρ¹L", "ρ¹/ρ_L"])
        // Not a training table: exit 2, one line.
        let bad = folder.appendingPathComponent("bad.csv").path
        try "depth,rho\n1,0.5\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let b = try runCLI(["analyze", "training", bad])
        #expect(b.status == 2 && b.stderrLines.count == 1, "\(b.stderr)")
    }
}

@Suite struct NTKCampaignCLITests {
    @Test("an ntk campaign on IDX data a test writes: plan, run, export, analyze training, report")
    func idxCampaign() throws {
        let folder = try temporaryFolder()
        // 24 images of 3 × 3 pixels in three classes (a bright row each), with noise.
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 24, 0, 0, 0, 3, 0, 0, 0, 3]
        var labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 24]
        var state: UInt64 = 7
        for k in 0..<24 {
            let cls = k % 3
            for row in 0..<3 {
                for _ in 0..<3 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    images.append(UInt8((row == cls ? 180 : 20) + Int(state >> 60)))
                }
            }
            labels.append(UInt8(cls))
        }
        let imagePath = folder.appendingPathComponent("images.idx").path
        let labelPath = folder.appendingPathComponent("labels.idx").path
        try Data(images).write(to: URL(fileURLWithPath: imagePath))
        try Data(labels).write(to: URL(fileURLWithPath: labelPath))
        let spec = folder.appendingPathComponent("ntk.toml").path
        try """
            name = "idx-ntk"
            model = "ntk"
            activation = ["tanh", "erf"]
            sigma_w = "critical"
            sigma_w_scale = [0.95, 1.0]
            sigma_b = 0.3
            depth = 20
            train = 15
            test = 9
            kernel = "ntk"
            steps = "1000"
            input = "\(imagePath)"
            labels = "\(labelPath)"
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let plan = try runCLI(["sweep", "plan", spec])
        #expect(plan.status == 0 && parseCSV(plan.stdout).rows.count == 4, "\(plan.stderr)")
        let store = folder.appendingPathComponent("store").path
        let run = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(run.status == 0, "\(run.stderr)")
        let export = parseCSV(try runCLI(["sweep", "export", store]).stdout)
        // 4 tasks × depths 1, 2, 3, 5, 10, 20 × (t = ∞ and 1000 steps).
        #expect(export.rows.count == 4 * 6 * 2)
        let analyze = try runCLI(["analyze", "training", store, "--steps", "1000"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(parseCSV(analyze.stdout).rows.count == 4)
        #expect(analyze.stderr.contains("collapse of 2 critical curves against κL"))
        let report = folder.appendingPathComponent("r.html").path
        let r = try runCLI(["report", store, "-o", report])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((try? String(contentsOfFile: report, encoding: .utf8))?.contains("best κL") == true)
        // A specification without a sigma_w is refused before anything runs.
        try "name = \"x\"\nmodel = \"ntk\"\ndepth = 5\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let bad = try runCLI(["sweep", "plan", spec])
        #expect(bad.status == 2 && bad.stderrLines.count == 1, "\(bad.stderr)")
    }
}

@Suite struct TrainMLPCLITests {
    @Test("train mlp: the documented columns, logged steps, the same numbers on 1 and 2 threads, one-line errors")
    func columns() throws {
        let args = ["train", "mlp", "--critical", "--input", TrainCLITests.digits, "--label-column", "last", "--train", "40",
                    "--test", "30", "--depth", "3", "--width", "32", "--steps", "20", "--log-every", "10", "--shuffle-seed", "2"]
        let a = try runCLI(args + ["--threads", "1"]), b = try runCLI(args + ["--threads", "2"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout == b.stdout)
        let csv = parseCSV(a.stdout)
        let header = ["activation", "sigma_w", "sigma_b", "width", "depth", "parameterisation", "centred", "loss", "learning_rate",
                      "batch_size", "step", "time", "train_loss", "test_loss", "train_mse", "train_accuracy", "test_mse", "test_mse_err",
                      "test_accuracy", "test_accuracy_err", "ntk_change", "kernel_test_mse", "kernel_test_accuracy"]
        #expect(csv.header == header)
        func column(_ name: String) -> [String] { csv.rows.map { $0[header.firstIndex(of: name)!] } }
        #expect(column("step") == ["0", "10", "20"])
        // Centred: the outputs start at 0, so the initial MSE is 1/classes exactly, and the loss (1/2B)Σ|f - y|² is 1/2.
        #expect(Double(column("test_mse")[0]) == 0.1 && Double(column("train_mse")[2])! < Double(column("train_mse")[0])!)
        #expect(Double(column("train_loss")[0]) == 0.5 && column("loss") == ["mse", "mse", "mse"])
        // The infinite-width prediction at the same times: 1/classes at t = 0, then below.
        let kernel = column("kernel_test_mse").map { Double($0)! }
        #expect(abs(kernel[0] - 0.1) < 1e-12 && kernel[2] < kernel[0])
        // Cross-entropy starts at ln 10 and falls; rho before and after training, and progress lines on request.
        let folder = try temporaryFolder()
        let rhoPath = folder.appendingPathComponent("rho.csv").path
        let svg = folder.appendingPathComponent("curves.svg").path
        let plotted = try runCLI(args + ["--plot", svg])
        let curves = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(plotted.status == 0 && curves.contains("infinite width (NTK gradient flow)"))
        let ce = try runCLI(args + ["--loss", "cross-entropy", "--rho", rhoPath, "--rho-pairs", "5", "--progress", "0"])
        #expect(ce.status == 0, "\(ce.stderr)")
        let ceCSV = parseCSV(ce.stdout)
        let loss = ceCSV.rows.map { Double($0[header.firstIndex(of: "train_loss")!])! }
        #expect(abs(loss[0] - log(10.0)) < 1e-12 && loss[2] < loss[0])
        // No kernel prediction for cross-entropy: the columns are empty.
        #expect(ceCSV.rows.allSatisfy { $0[header.firstIndex(of: "kernel_test_mse")!].isEmpty })
        #expect(ce.stderrLines.filter { $0.contains("step ") && $0.contains("ETA") }.count >= 10)
        #expect(ce.stderr.contains("rho at layer 2 over 5 pairs"))
        let rho = parseCSV(try String(contentsOfFile: rhoPath, encoding: .utf8))
        #expect(rho.header == ["width", "depth", "state", "layer", "rho", "rho_err", "pairs"])
        #expect(rho.rows.map { $0[2] } == ["initial", "initial", "initial", "trained", "trained", "trained"])
        #expect(rho.rows.allSatisfy { Double($0[4]).map { $0 > 0 && $0 < 2 } == true && $0[6] == "5" })
        for bad in [["--width", "0"], ["--steps", "-1"], ["--learning-rate", "0"], ["--batch-size", "0"], ["--depth", "0"],
                    ["--loss", "hinge"], ["--rho-pairs", "0"], ["--progress", "-1"]] {
            let r = try runCLI(args + bad)
            #expect(r.status == 2 && r.stderrLines.count == 1, "\(bad): \(r.stderr)")
        }
    }
}

@Suite struct TrainCampaignCLITests {
    @Test("a train campaign: plan, run, export; analyze kernel-gap reads it: gap per width, exponents, the width needed, the L/n collapse")
    func campaignAndGap() throws {
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("train.toml").path
        try """
            name = "train-grid"
            model = "train"
            sigma_w = "critical"
            width = [16, 64]
            depth = [2, 3]
            steps = 20
            log_every = 10
            train = 40
            test = 30
            seed = [1, 2]
            input = "\(TrainCLITests.digits)"
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        let run = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(run.status == 0, "\(run.stderr)")
        let export = parseCSV(try runCLI(["sweep", "export", store]).stdout)
        #expect(export.rows.count == 8 * 3 && export.header.contains("kernel_test_mse"))
        let svg = folder.appendingPathComponent("gap.svg").path
        let r = try runCLI(["analyze", "kernel-gap", store, "--format", "json", "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(jsonObject(r.stdout))
        let points = try #require(j["points"] as? [[String: Any]])
        // Four (depth, width) points of two networks each, at the last time (t = 10).
        #expect(points.count == 4 && points.allSatisfy { $0["networks"] as? Int == 2 && $0["time"] as? Double == 10 })
        #expect(points.allSatisfy { p in
            guard let t = p["test_mse"] as? Double, let k = p["kernel_test_mse"] as? Double, let g = p["gap"] as? Double else { return false }
            return abs(g - (t - k)) < 1e-15 && k > 0 && k < 0.1
        })
        #expect(j["exponents"] is [Any] && j["width_needed"] is [String: Any] && j["collapse"] is [Any])
        #expect(r.stderr.contains("against L/n"))
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("Relative gap against L / n"))
        // A table without the kernel prediction (cross-entropy) is refused with one line.
        let ce = folder.appendingPathComponent("ce.csv").path
        _ = try runCLI(["train", "mlp", "--critical", "--input", TrainCLITests.digits, "--label-column", "last", "--train", "20",
                        "--test", "10", "--width", "8", "--steps", "4", "--loss", "cross-entropy", "-o", ce])
        let bad = try runCLI(["analyze", "kernel-gap", ce])
        #expect(bad.status == 2 && bad.stderrLines.count == 1, "\(bad.stderr)")
    }
}
