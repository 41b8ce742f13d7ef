import ArgumentParser
import CriticalityCore
import Foundation
import Kernels
import MeanField
import Propagation

/// `criticality bench ntk`: the infinite-width kernels and the gradient-flow predictor against NumPy.
struct BenchNTK: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ntk",
        abstract: "Time the NNGP/NTK recursion of a data set and the gradient-flow predictor, against a NumPy reference run side by side.",
        discussion: """
            kernel: the NNGP and NTK of every pair i <= j of the first --rows rows of --input after --depth layers, on the \
            critical line at sigma_b = 0.3: erf and tanh by the tool (tables of the layer maps, all threads), erf by \
            benchmarks/ntk_reference.py (the closed-form arcsine recursion vectorised over the pairs in NumPy). \
            predictor: the NTK of --train training and --test test rows, then the eigendecomposition and the test \
            outputs at t = inf and t = 1000: by the tool with LAPACK (when the machine has it) and with its own \
            eigensolver, and by NumPy (numpy.linalg.eigh). regression: kernel regression alone (t = inf, the default \
            of train ntk): the eigenvalues and a Cholesky solve, against numpy.linalg.eigvalsh and scipy's cho_solve. ratio = the NumPy reference's median time divided by this \
            row's (above 1: faster than NumPy). Build with `swift run -c release criticality bench ntk` for meaningful figures.
            """
    )

    @Option(help: ArgumentHelp("Data file (CSV or CSV.gz, label in the last column).", valueName: "FILE"))
    var input = "data/digits.csv.gz"
    @Option(parsing: .unconditional, help: "Rows whose pairs the kernel benchmark computes.")
    var rows: Int = 1797
    @Option(parsing: .unconditional, help: "Depth of the kernels.")
    var depth: Int = 1000
    @Option(name: .customLong("train"), parsing: .unconditional, help: "Training points of the predictor benchmark.")
    var trainCount: Int = 1000
    @Option(name: .customLong("test"), parsing: .unconditional, help: "Test points of the predictor benchmark.")
    var testCount: Int = 797
    @Option(parsing: .unconditional, help: "Timed repeats per measurement (the median is reported).")
    var repeats: Int = 3
    @Option(help: "Path of the NumPy reference script; empty to skip it.")
    var reference = "benchmarks/ntk_reference.py"
    @OptionGroup var output: OutputOptions

    func validate() throws {
        for (name, v) in [("--rows", rows), ("--train", trainCount), ("--test", testCount), ("--repeats", repeats)] where v < 1 {
            throw ValidationError("\(name) must be at least 1, got \(v)")
        }
        guard rows >= 2, trainCount >= 2 else { throw ValidationError("--rows and --train must be at least 2") }
        guard depth >= 1 && depth <= 10_000 else { throw ValidationError("--depth must lie in [1, 10000], got \(depth)") }
        let pairs = Double(rows) * Double(rows + 1) / 2, n = Double(trainCount), m = Double(testCount)
        do {
            try MemoryBudget.require(max(pairs * 40, 48 * n * n + 40 * n * m), for: "the benchmark")
        } catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        noteOnStderr(machineDescription() + "; eigensolver: " + eigensolverDescription())
        let data = try readLabelledRows(input, labelColumn: "last")
        guard data.rows.count >= max(rows, trainCount + testCount) else {
            throw CLIError("\(input) has \(data.rows.count) rows; the benchmark needs \(max(rows, trainCount + testCount))")
        }
        let sigmaB = 0.3
        var table = Table(columns: ["benchmark", "implementation", "threads", "points", "depth", "median_s", "min_s", "max_s",
                                    "per_s", "unit", "peak_mib", "ratio_to_numpy"])
        func append(_ benchmark: String, _ implementation: String, threads: Int, points: Int, times: [Double], work: Double,
                    unit: String, peak: Double, numpy: Double?) {
            let m = median(times)
            table.append([.text(benchmark), .text(implementation), .integer(threads), .integer(points), .integer(depth),
                          .number(m), .number(times.min()!), .number(times.max()!), .number(work / m), .text(unit),
                          .number(peak), .optional(numpy.map { $0 / m })])
        }

        // The kernel of every pair.
        let kernelRows = try InputData(rows: Array(data.rows.prefix(rows)), rescaleTo: 1).rows
        let pairs = Double(rows) * Double(rows + 1) / 2
        let erfSigmaW = try CriticalLine.sigmaWCritical(activation: .erf, sigmaB: sigmaB)
        /// A run of the NumPy reference's `part`: its times, peak memory and the whole answer.
        func numpy(_ part: String, sizes: [String]) -> (times: [Double], median: Double, peak: Double, object: [String: Any])? {
            let arguments = ["--part", part, "--input", input] + sizes + ["--depth", String(depth), "--sigma-w", String(erfSigmaW),
                                                                          "--sigma-b", String(sigmaB), "--repeats", String(repeats)]
            guard let object = runPythonReference(reference, arguments), let times = object["seconds"] as? [Double], !times.isEmpty else {
                return nil
            }
            return (times, median(times), object["peak_rss_mib"] as? Double ?? .nan, object)
        }
        let numpyKernel = numpy("kernel", sizes: ["--rows", String(rows)])
        if let reference = numpyKernel?.object["ntk01"] as? Double {
            let engine = KernelRecursion(network: try MeanFieldNetwork(activation: .erf, sigmaW: erfSigmaW, sigmaB: sigmaB),
                                         q0: 1, depth: depth)
            let mine = engine.run(rho0: [inputDistances(Array(kernelRows.prefix(2)))[1]], depths: [depth]).ntk[0][0]
            noteOnStderr(String(format: "check: NTK of rows 0 and 1 at depth %d: %.15g here, %.15g by NumPy (relative difference %.1e)",
                                depth, mine, reference, abs(mine - reference) / abs(reference)))
        }
        for activation in [Activation.erf, .tanh] {
            let network = try MeanFieldNetwork(activation: activation,
                                               sigmaW: try CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB), sigmaB: sigmaB)
            let times = (0..<repeats).map { _ in
                time {
                    let rho0 = inputDistances(kernelRows)
                    let engine = KernelRecursion(network: network, q0: 1, depth: depth)
                    _ = engine.run(rho0: rho0, depths: [depth])
                }
            }
            append("kernel", "swift-\(activation.rawValue)", threads: defaultThreadCount, points: rows, times: times,
                   work: pairs * Double(depth), unit: "pair_layers", peak: peakMemoryMiB(), numpy: numpyKernel?.median)
        }
        if let numpyKernel {
            append("kernel", "numpy-erf-closed-form", threads: 1, points: rows, times: numpyKernel.times,
                   work: pairs * Double(depth), unit: "pair_layers", peak: numpyKernel.peak, numpy: numpyKernel.median)
        }

        // The predictor on the NTK of the first train + test rows.
        let split = try InputData(rows: Array(data.rows.prefix(trainCount + testCount)), rescaleTo: 1).rows
        let labels = data.labels!.prefix(trainCount + testCount)
        let classValues = Array(Set(labels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classValues.enumerated().map { ($1, $0) })
        let trainLabels = labels.prefix(trainCount).map { index[$0]! }
        let targets = oneHot(trainLabels, classes: classValues.count)
        let network = try MeanFieldNetwork(activation: .erf, sigmaW: erfSigmaW, sigmaB: sigmaB)
        var matrices: KernelMatrices?
        KernelRecursion(network: network, q0: 1, depth: depth).forEachDepth(
            train: Array(split.prefix(trainCount)), test: Array(split.suffix(testCount)), depths: [depth]) { matrices = $0 }
        guard let matrices else { return try output.emit(table) }
        let backends = SymmetricEigen.Backend.allCases.filter { $0 == .swift || LAPACKLibrary.shared != nil }
        // One untimed solve per solver first (LAPACK's library starts its threads on the first call).
        for backend in backends { _ = try SymmetricEigen([2, 1, 1, 2], count: 2, backend: backend) }
        /// `solve` timed with each eigensolver, beside the NumPy reference's `part`.
        func solvers(_ benchmark: String, part: String, numpyName: String, _ solve: (SymmetricEigen.Backend) throws -> Void) throws {
            let reference = numpy(part, sizes: ["--train", String(trainCount), "--test", String(testCount)])
            for backend in backends {
                let times = try (0..<repeats).map { _ in try time { try solve(backend) } }
                append(benchmark, "swift-\(backend.rawValue)", threads: defaultThreadCount, points: trainCount, times: times,
                       work: 1, unit: "solves", peak: peakMemoryMiB(), numpy: reference?.median)
            }
            if let reference {
                append(benchmark, numpyName, threads: defaultThreadCount, points: trainCount, times: reference.times, work: 1,
                       unit: "solves", peak: reference.peak, numpy: reference.median)
            }
        }
        try solvers("predictor", part: "predictor", numpyName: "numpy-eigh") { backend in
            let flow = try GradientFlow(kernel: matrices.ntkTrain, count: trainCount, targets: targets,
                                        classes: classValues.count, backend: backend)
            _ = try flow.testOutputs(cross: matrices.ntkCross, count: testCount, time: .infinity)
            _ = try flow.testOutputs(cross: matrices.ntkCross, count: testCount, time: 1000)
        }
        // Kernel regression alone: the eigenvalues and a Cholesky solve.
        try solvers("regression", part: "regression", numpyName: "numpy-cholesky") { backend in
            let regression = try KernelRegression(kernel: matrices.ntkTrain, count: trainCount, targets: targets,
                                                  classes: classValues.count, backend: backend)
            _ = try regression.outputs(cross: matrices.ntkCross, count: testCount)
        }
        try output.emit(table)
    }
}
