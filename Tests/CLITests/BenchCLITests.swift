import Foundation
import Testing

/// The benchmarks on tiny workloads and without the NumPy references (`--reference ''`): the
/// documented columns, one row per measured implementation, positive timings, and the processor
/// named on stderr.
@Suite struct BenchCLITests {
    @Test("bench ntk: columns, the kernel for erf and tanh, the predictor and kernel regression with each eigensolver present")
    func benchNTK() throws {
        let digits = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data/digits.csv.gz").path
        let r = try runCLI(["bench", "ntk", "--input", digits, "--rows", "30", "--train", "20", "--test", "10", "--depth", "5",
                            "--repeats", "1", "--reference", ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderrLines.first?.hasPrefix("machine: ") == true, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == ["benchmark", "implementation", "threads", "points", "depth", "median_s", "min_s", "max_s", "per_s",
                               "unit", "peak_mib", "ratio_to_numpy"])
        let solvers = r.stderr.contains("LAPACK") ? 2 : 1
        #expect(csv.rows.map { $0[0] } == ["kernel", "kernel"] + Array(repeating: "predictor", count: solvers)
                + Array(repeating: "regression", count: solvers))
        for row in csv.rows { #expect((Double(row[5]) ?? 0) > 0 && row[11].isEmpty) }
    }

    @Test("bench cnn: columns, one row per implementation and channel count, the machine on stderr")
    func benchCNN() throws {
        let r = try runCLI(["bench", "cnn", "--channels", "2,4", "--size", "16", "--depth", "3", "--repeats", "2",
                            "--samples-per-thread", "1", "--reference", ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderrLines.first?.hasPrefix("machine: ") == true, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == ["benchmark", "implementation", "threads", "dim", "sites", "channels", "kernel", "depth",
                               "samples", "median_s", "min_s", "max_s", "site_layers_per_s", "gflops",
                               "fraction_of_peak", "peak_mib", "ratio"])
        let threads = ProcessInfo.processInfo.activeProcessorCount
        // Per C: the simulator on 1 thread (when there are more) and on all, the kernel on 1 and on all.
        let perChannel = threads > 1 ? 4 : 2
        #expect(csv.rows.count == 2 * perChannel)
        for row in csv.rows {
            #expect(row[0] == "cnn-1d-tanh" && ["swift-cnn", "swift-convolution"].contains(row[1]))
            #expect(["2", "4"].contains(row[5]) && row[4] == "16" && row[6] == "3")
            #expect((Double(row[9]) ?? 0) > 0 && (Double(row[12]) ?? 0) > 0 && (Double(row[13]) ?? 0) > 0)
            // No dgemm peak and no NumPy run: no fraction and no ratio.
            #expect(row[14].isEmpty && row[16].isEmpty)
        }
    }

    @Test("bench mlp: columns and rows without the NumPy reference")
    func benchMLP() throws {
        let r = try runCLI(["bench", "mlp", "--width", "8", "--depth", "4", "--samples", "2", "--explicit-depth", "2",
                            "--explicit-samples", "1", "--repeats", "1", "--reference", ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderrLines.first?.hasPrefix("machine: ") == true, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == ["benchmark", "implementation", "threads", "width", "depth", "samples", "median_s",
                               "min_s", "max_s", "neuron_layers_per_s", "peak_mib", "ratio"])
        #expect(!csv.rows.isEmpty)
        #expect(csv.rows.allSatisfy { $0[1].hasPrefix("swift-") && (Double($0[9]) ?? 0) > 0 })
    }

    static let trainColumns = ["benchmark", "implementation", "threads", "width", "depth", "batch", "seconds_per_step", "min_s",
                               "max_s", "gflops", "fraction_of_peak", "ratio"]

    @Test("bench train: columns, the step on 1 and on all threads, the product alone with --products, no peak and no ratio without references")
    func benchTrain() throws {
        let r = try runCLI(["bench", "train", "--width", "12", "--depth", "3", "--batch", "5", "--inputs", "7", "--classes", "3",
                            "--steps", "2", "--repeats", "2", "--products", "9,20", "--reference", ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderrLines.first?.hasPrefix("machine: ") == true, "\(r.stderr)")
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == Self.trainColumns)
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let counts = threads > 1 ? [1, threads] : [1]
        let train = csv.rows.filter { $0[1] == "swift-train" }, gemm = csv.rows.filter { $0[1] == "swift-gemm" }
        #expect(csv.rows.count == train.count + gemm.count)
        #expect(train.map { $0[2] } == counts.map(String.init))
        #expect(gemm.map { $0[3] } == ["9", "20"].flatMap { Array(repeating: $0, count: counts.count) })
        for row in train { #expect(row[0] == "train-tanh-mlp" && row[3] == "12" && row[4] == "3" && row[5] == "5") }
        for row in csv.rows {
            #expect((Double(row[6]) ?? 0) > 0 && (Double(row[9]) ?? 0) > 0, "\(row)")
            #expect(row[10].isEmpty && row[11].isEmpty, "\(row)")
        }
    }

    @Test("bench train: bad sizes give exit status 2 and one line")
    func benchTrainBadInput() throws {
        for arguments in [["--width", "0"], ["--depth", "0"], ["--batch", "-3"], ["--products", "8,x"]] {
            let r = try runCLI(["bench", "train", "--reference", ""] + arguments)
            #expect(r.status == 2 && r.stderrLines.count == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(arguments[0]), "\(r.stderr)")
        }
    }

    @Test("bench train: an interpreter without torch (python3 -S) leaves the PyTorch row out with a note and still exits 0")
    func benchTrainWithoutTorch() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // python3 without site-packages: no torch (and no NumPy) whatever the machine has installed.
        let python = folder.appendingPathComponent("python-bare")
        try "#!/bin/sh\nexec python3 -S \"$@\"\n".write(to: python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../benchmarks/train_reference.py").path
        let r = try runCLI(["bench", "train", "--width", "6", "--depth", "2", "--batch", "3", "--steps", "1", "--repeats", "1",
                            "--reference", script, "--python", python.path])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseCSV(r.stdout)
        #expect(csv.header == Self.trainColumns)
        #expect(!csv.rows.isEmpty && csv.rows.allSatisfy { $0[1] == "swift-train" }, "\(r.stdout)")
        #expect(r.stderr.contains("PyTorch is missing"), "\(r.stderr)")
        #expect(r.stderr.contains("no PyTorch row") && r.stderr.contains("--python"), "\(r.stderr)")
    }
}
