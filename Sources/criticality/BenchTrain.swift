import ArgumentParser
import CriticalityCore
import Foundation
import Kernels
import MeanField
import Training

/// `criticality bench train`: full-batch training steps of a tanh MLP in the NTK parameterisation,
/// against the machine's matrix-multiply peak and the same step in PyTorch.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Seconds per full-batch training step of a tanh MLP and GFLOP/s, against the dgemm peak and PyTorch.",
        discussion: """
            The network: tanh, NTK parameterisation, critical sigma_w at sigma_b = 0.3, widths --inputs, --width \
            (--depth - 1 times), --classes; random Gaussian inputs and one-hot targets of random classes. A step is \
            the forward pass, the loss (1/2B) sum |f - y|^2, backpropagation (DenseNetwork.gradients) and the update \
            theta -= eta grad (GradientDescent.update). Rows: swift-train (on 1 thread and on --threads), \
            numpy-dgemm (an n = --peak-size matrix product through NumPy's BLAS on all its threads: the peak), \
            pytorch-train (benchmarks/train_reference.py: the same network and step in PyTorch, float64, autograd, \
            torch.set_num_threads(--threads)), and with --products the blocked matrix product alone (swift-gemm, \
            C = A B of n x n matrices, on 1 thread and on --threads) beside NumPy's (numpy-dgemm with OPENBLAS_NUM_THREADS \
            etc. set to the same thread count). seconds_per_step is the median over --repeats timings of --steps steps each \
            (for products: seconds per product). gflops counts 3 x 2 B sum n_(l-1) n_l per step (forward, \
            delta-backprop, weight gradient; the first layer's delta-backprop, which neither implementation computes, \
            included), 2 n^3 per product; fraction_of_peak = gflops / numpy-dgemm's. The Swift step on --threads and \
            the PyTorch step are timed in alternation, one timing of each per repeat (the Swift one after an untimed \
            one), and ratio = the median of the per-repeat ratios of steps per second, swift / pytorch; for products, \
            ratio = swift-gemm gflops / numpy-dgemm gflops at the same n and threads. PyTorch is run by --python; \
            without torch the row is left out with a note on stderr (docs/performance.md says how to get it). Build \
            with `swift run -c release criticality bench train` for meaningful figures.
            """
    )

    @Option(parsing: .unconditional, help: "Width n of the hidden layers.")
    var width: Int = 512
    @Option(parsing: .unconditional, help: "Depth L (weight layers).")
    var depth: Int = 4
    @Option(parsing: .unconditional, help: "Batch size B (full batch: every step uses the same B examples).")
    var batch: Int = 512
    @Option(parsing: .unconditional, help: "Inputs n_0 (the digits have 64).")
    var inputs: Int = 64
    @Option(parsing: .unconditional, help: "Classes (outputs).")
    var classes: Int = 10
    @Option(parsing: .unconditional, help: "Steps per timing.")
    var steps: Int = 5
    @Option(parsing: .unconditional, help: "Timings per measurement (the median is reported).")
    var repeats: Int = 5
    @OptionGroup var threads: ThreadOption
    @Option(help: "Comma-separated sizes n of square matrix products to time beside NumPy's (none by default).")
    var products = ""
    @Option(parsing: .unconditional, help: "Size n of NumPy's n x n product that measures the peak.")
    var peakSize: Int = 2048
    @Option(help: "Path of the PyTorch reference script (which also measures the dgemm peak); empty to skip both.")
    var reference = "benchmarks/train_reference.py"
    @Option(help: ArgumentHelp("Python interpreter for the references, e.g. a virtual environment's with torch.", valueName: "PATH"))
    var python = "python3"
    @OptionGroup var output: OutputOptions

    var productSizes: [Int] { products.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
    var widths: [Int] { FiniteTraining.layerWidths(inputs: inputs, width: width, depth: depth, classes: classes) }

    func validate() throws {
        for (name, v) in [("--width", width), ("--depth", depth), ("--batch", batch), ("--inputs", inputs), ("--classes", classes),
                          ("--steps", steps), ("--repeats", repeats), ("--peak-size", peakSize)] where v < 1 {
            throw ValidationError("\(name) must be at least 1, got \(v)")
        }
        let list = products.split(separator: ",")
        guard list.count == productSizes.count, productSizes.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--products expects a comma-separated list of positive integers, got '\(products)'")
        }
        guard !python.isEmpty else { throw ValidationError("--python must name an interpreter") }
        // Parameters, gradients and the pre-activations and δ of a step, in doubles.
        let parameters = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        let activations = Double(batch) * Double(widths.reduce(0, +))
        let square = Double(productSizes.max() ?? 0)
        do {
            try MemoryBudget.require(8 * max(3 * parameters + 4 * activations, 3 * square * square), for: "the benchmark")
        } catch let e as ModelError { throw ValidationError(e.description) }
    }

    struct Row {
        var benchmark: String, implementation: String, threads: Int, width: Int?, depth: Int?, batch: Int?
        /// Seconds per step (per product for the gemm rows), one entry per timing.
        var times: [Double]
        var flops: Double
        var ratio: Double?
    }

    func run() throws {
        let allThreads = threads.threads
        noteOnStderr(machineDescription())
        let sigmaB = 0.3
        let sigmaW = try CriticalLine.sigmaWCritical(activation: .tanh, sigmaB: sigmaB)
        let stepFlops = 2 * FiniteTraining.stepMultiplyAdds(inputs: inputs, width: width, depth: depth, classes: classes, batch: batch)
        var rows: [Row] = []

        // The dgemm peak: NumPy on all its threads.
        var peakGFlops: Double?
        if case .success(let object) = runPythonScript(reference, ["--peak", "--peak-size", String(peakSize), "--repeats", String(max(repeats, 3))],
                                                       python: python),
           let g = object["gflops"] as? Double, let seconds = object["seconds"] as? [Double] {
            peakGFlops = g
            rows.append(Row(benchmark: "dgemm-peak", implementation: "numpy-dgemm", threads: defaultThreadCount, width: peakSize,
                            depth: nil, batch: nil, times: seconds, flops: 2 * pow(Double(peakSize), 3)))
        } else if !reference.isEmpty {
            noteOnStderr("note: the dgemm peak (\(reference) --peak, NumPy) could not be measured with \(python); fraction_of_peak left empty")
        }

        // The training step: inputs, targets and the network drawn once; every timing starts from them.
        var stream = GaussianStream(key: StreamKey(seed: 1, task: 0x62_656e_6368, realisation: 0))
        var x = [Double](repeating: 0, count: batch * inputs)
        x.withUnsafeMutableBufferPointer { stream.fill($0) }
        var random = Xoshiro256(key: StreamKey(seed: 1, task: 0x62_656e_6368, realisation: 1))
        let y = oneHot((0..<batch).map { _ in Int.random(in: 0..<classes, using: &random) }, classes: classes)
        let initial = DenseNetwork(activation: .tanh, widths: widths, sigmaW: sigmaW, sigmaB: sigmaB, parameterisation: .ntk, seed: 1)
        let descent = GradientDescent(steps: steps, learningRate: 0.1)
        /// `steps` training steps on `t` threads, from the initial network.
        func train(threads t: Int) {
            var network = initial
            for _ in 0..<steps {
                let (_, gw, gb) = network.gradients(x, targets: y, batch: batch, threads: t)
                descent.update(&network, weights: gw, biases: gb)
            }
        }
        if allThreads > 1 {
            train(threads: 1)
            rows.append(Row(benchmark: "train-tanh-mlp", implementation: "swift-train", threads: 1, width: width, depth: depth, batch: batch,
                            times: (0..<repeats).map { _ in time { train(threads: 1) } / Double(steps) }, flops: stepFlops))
        }
        let arguments = ["--width", String(width), "--depth", String(depth), "--batch", String(batch), "--inputs", String(inputs),
                         "--classes", String(classes), "--steps", String(steps), "--repeats", "1", "--threads", String(allThreads),
                         "--sigma-w", String(sigmaW), "--sigma-b", String(sigmaB)]
        var torchMissing: PythonReferenceFailure?
        let (swiftTotals, torchTimes) = alternate(
            repeats: repeats, simulator: { train(threads: allThreads) },
            reference: {
                guard torchMissing == nil else { return nil }
                switch runPythonScript(reference, arguments, python: python) {
                case .success(let object):
                    if let seconds = object["seconds_per_step"] as? Double { return seconds }
                    torchMissing = .output
                case .failure(let failure): torchMissing = failure
                }
                return nil
            })
        let swiftTimes = swiftTotals.map { $0 / Double(steps) }
        rows.append(Row(benchmark: "train-tanh-mlp", implementation: "swift-train", threads: allThreads, width: width, depth: depth,
                        batch: batch, times: swiftTimes, flops: stepFlops, ratio: pairedRatio(torchTimes, swiftTimes)))
        if !torchTimes.isEmpty {
            rows.append(Row(benchmark: "train-tanh-mlp", implementation: "pytorch-train", threads: allThreads, width: width, depth: depth,
                            batch: batch, times: torchTimes, flops: stepFlops, ratio: 1))
        }
        switch torchMissing {
        case nil, .skipped?: break
        case .status(Self.torchMissingStatus)?:
            noteOnStderr("note: no PyTorch row: \(python) has no torch; create a virtual environment with it (python3 -m venv venv && "
                         + "venv/bin/pip install torch numpy) and pass --python venv/bin/python (docs/performance.md, \"Training step\")")
        case let failure?:
            noteOnStderr("note: no PyTorch row: \(reference) could not run with \(python) (\(failure))")
        }

        for n in productSizes { rows += productRows(n, threads: allThreads) }

        var table = Table(columns: ["benchmark", "implementation", "threads", "width", "depth", "batch", "seconds_per_step", "min_s",
                                    "max_s", "gflops", "fraction_of_peak", "ratio"])
        for r in rows where !r.times.isEmpty {
            let gflops = r.flops / median(r.times) / 1e9
            table.append([.text(r.benchmark), .text(r.implementation), .integer(r.threads), r.width.map(Table.Cell.integer) ?? .missing,
                          r.depth.map(Table.Cell.integer) ?? .missing, r.batch.map(Table.Cell.integer) ?? .missing, .number(median(r.times)),
                          .number(r.times.min()!), .number(r.times.max()!), .number(gflops),
                          .optional(peakGFlops.map { gflops / $0 }), .optional(r.ratio)])
        }
        try output.emit(table)
    }

    /// The exit status of benchmarks/train_reference.py when `import torch` fails.
    static let torchMissingStatus: Int32 = 3

    /// C = A B for n × n matrices: the blocked product on 1 thread and on `threads`, each beside
    /// NumPy's on as many threads (when the reference runs).
    func productRows(_ n: Int, threads allThreads: Int) -> [Row] {
        var stream = GaussianStream(key: StreamKey(seed: 2, task: 0x67_656d_6d, realisation: UInt64(n)))
        var a = [Double](repeating: 0, count: n * n), b = a, c = a
        a.withUnsafeMutableBufferPointer { stream.fill($0) }
        b.withUnsafeMutableBufferPointer { stream.fill($0) }
        // Enough products per timing for about 0.1 s at 50 GFLOP/s.
        let count = max(1, Int(5e9 / (2 * pow(Double(n), 3))))
        var rows: [Row] = []
        for t in Set([1, allThreads]).sorted() {
            let times = (0...repeats).map { _ in
                time {
                    for _ in 0..<count {
                        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                            MatrixProduct.multiply(ap.baseAddress!, bp.baseAddress!, into: cp.baseAddress!, m: n, k: n, n: n, threads: t)
                        } } }
                    }
                } / Double(count)
            }.dropFirst()  // the first timing warms up
            var row = Row(benchmark: "gemm", implementation: "swift-gemm", threads: t, width: n, depth: nil, batch: nil,
                          times: Array(times), flops: 2 * pow(Double(n), 3))
            let environment = Dictionary(uniqueKeysWithValues: ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"].map { ($0, String(t)) })
            if case .success(let object) = runPythonScript(reference, ["--peak", "--peak-size", String(n), "--repeats", String(max(repeats, 5)),
                                                                       "--products-per-timing", String(count)],
                                                           python: python, environment: environment),
               let seconds = object["seconds"] as? [Double], let g = object["gflops"] as? Double {
                row.ratio = 2 * pow(Double(n), 3) / median(row.times) / 1e9 / g
                rows.append(row)
                rows.append(Row(benchmark: "gemm", implementation: "numpy-dgemm", threads: t, width: n, depth: nil, batch: nil,
                                times: seconds, flops: 2 * pow(Double(n), 3), ratio: 1))
            } else {
                rows.append(row)
            }
        }
        return rows
    }
}
