import ArgumentParser
import CriticalityCore
import Foundation
import Kernels
import Plotting
import MeanField
import Propagation

/// `criticality train …`: training in the infinite-width limit.
struct TrainGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train infinitely wide networks by gradient flow (kernel regression at t = inf) on labelled data.",
        subcommands: [TrainNTKCommand.self, TrainMLPCommand.self]
    )
}

/// `criticality train ntk`: the infinite-width MLP trained by gradient flow on a labelled data set,
/// evaluated on held-out points (docs/kernels.md, "Predictors" and "Training on data").
struct TrainNTKCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ntk",
        abstract: "Train an infinitely wide MLP by gradient flow (NTK) or its readout alone (NNGP) and report train/test error against depth and time.",
        discussion: """
            The first --train rows (after a seeded shuffle with --shuffle-seed) are the training set, the next --test \
            rows the test set; rows are rescaled to mean square q0 and targets are one-hot. Times are in units with \
            learning rate 1 (t = eta x steps); inf is kernel regression (NTK) or the NNGP posterior mean. --steps S \
            gives t = N S / lambda_max instead: S steps of gradient descent at the rate N / lambda_max (half the \
            stability limit). Columns: activation, sigma_w, sigma_b, kappa (the metric factor at q*: kappa for smooth \
            activations, kappa_3/2 for relu and hard-tanh), depth, kappa_depth, kernel, time, train_mse, test_mse, \
            test_accuracy, condition (lambda_max / lambda_min of the training kernel), effective_rank \
            ((sum lambda)^2 / sum lambda^2), input_correlation (mean cosine of the training pairs), steps, \
            train_accuracy, test_mse_err and test_accuracy_err (standard errors over the test points), q0 (empty with --raw-input). Where kernel regression is undefined (a numerically singular kernel) the error \
            cells are empty and a note says so.
            """
    )

    @OptionGroup var initial: InitialisationOptions
    @Option(help: ArgumentHelp("Depths, comma-separated (each 1 to 10000).", valueName: "L1,L2,..."))
    var depth: String = "1,10,100"
    @OptionGroup var data: LabelledDataOptions
    @Option(help: ArgumentHelp("Training times, comma-separated, in units with learning rate 1; 'inf' for kernel regression.", valueName: "T1,T2,...|inf"))
    var time: String?
    @Option(help: ArgumentHelp("Gradient-descent steps at the rate N/lambda_max, comma-separated (instead of or besides --time).", valueName: "S1,S2,..."))
    var steps: String?
    @Option(help: "Kernel: ntk (all layers trained), nngp (readout only; at t = inf the posterior mean), or both.")
    var kernel: KernelChoice = .ntk
    @Option(parsing: .unconditional, help: "Ridge r: r times the mean diagonal of the training kernel is added to its diagonal.")
    var ridge: Double = 0
    @Flag(name: .customLong("raw-input"), help: "Use the rows as they are (each with its own variance; slower: pair-by-pair quadrature) instead of rescaling each to mean square q0.")
    var rawInput = false
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    enum KernelChoice: String, ExpressibleByArgument, CaseIterable {
        case ntk, nngp, both
        var kernels: [KernelKind] { self == .both ? [.ntk, .nngp] : [self == .ntk ? .ntk : .nngp] }
    }

    /// The times of --time (inf allowed) and the steps of --steps; --time inf when neither is given.
    func schedule() throws -> (times: [Double], steps: [Double]) {
        func parse(_ text: String, _ name: String, allowInfinity: Bool) throws -> [Double] {
            let values = text.split(separator: ",").map { part -> Double? in
                let t = part.trimmingCharacters(in: .whitespaces)
                if allowInfinity && t == "inf" { return .infinity }
                guard let x = Double(t), x.isFinite, x >= 0 else { return nil }
                return x
            }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                throw ValidationError("\(name) expects comma-separated numbers >= 0\(allowInfinity ? " or inf" : ""), got '\(text)'")
            }
            return values.map { $0! }
        }
        let times = try time.map { try parse($0, "--time", allowInfinity: true) } ?? (steps == nil ? [.infinity] : [])
        let steps = try steps.map { try parse($0, "--steps", allowInfinity: false) } ?? []
        return (times, steps)
    }

    func validate() throws {
        _ = try parseDepthList(depth)
        _ = try schedule()
        try validateParameter("--ridge", ridge)
        if let n = data.trainCount, let m = data.testCount { try requireMemory(train: n, test: m) }
    }

    /// The recursion's results for every depth plus one depth's matrices and one eigendecomposition.
    func requireMemory(train n: Int, test m: Int) throws {
        let n2 = Double(n) * Double(n), nm = Double(n) * Double(m)
        let depths = Double(try parseDepthList(depth).count)
        let bytes = 16 * (n2 / 2 + nm) * depths + 32 * (n2 + nm) + 48 * n2
        do { try MemoryBudget.require(bytes, for: "training on \(n) points with \(m) test points") }
        catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        let split = try data.split(rescale: !rawInput)
        try requireMemory(train: split.train.count, test: split.test.count)
        let sigmaW = try initial.sigmaW(q0: data.q0)
        let network = try MeanFieldNetwork(activation: initial.activation, sigmaW: sigmaW, sigmaB: initial.sigmaB)
        let list = try parseDepthList(depth)
        let (times, stepList) = try schedule()
        let clock = ContinuousClock()
        let start = clock.now
        let training = split.training(network: network, q0: data.q0, rawInput: rawInput)
        let progress = ThrottledProgress()
        // When the kernels were done, and the first block's (time, fraction).
        let kernelsDone = LockedValue(0.0), firstBlock = LockedValue<(time: Double, fraction: Double)?>(nil)
        let (rows, solveSeconds) = try training.run(depths: list, kernels: kernel.kernels, times: times, steps: stepList,
                                                    ridge: ridge, threads: threads.threads) { event in
            switch event {
            case .kernels(let fraction):
                // The rate from the first block on: the tables built before it take no part in it.
                let first = firstBlock.withValue { first in
                    if first == nil { first = (progress.elapsed, fraction) }
                    return first!
                }
                if fraction >= 1 { kernelsDone.withValue { $0 = progress.elapsed } }
                progress.report { t in
                    guard fraction > first.fraction else { return String(format: "train: kernels %.0f%% done, %.0f s", 100 * fraction, t) }
                    let eta = (t - first.time) * (1 - fraction) / (fraction - first.fraction)
                    return String(format: "train: kernels %.0f%% done, %.0f s, ETA %.0f s (then the solves)", 100 * fraction, t, eta)
                }
            case .solved(let depth, let index, let count):
                progress.report { t in
                    let solving = t - kernelsDone.value
                    return String(format: "train: depth %d trained (%d/%d), %.0f s, ETA %.0f s", depth, index, count, t,
                                  solving * Double(count - index) / Double(index))
                }
            }
        }
        let seconds = (clock.now - start) / .seconds(1)
        noteOnStderr(String(format: "train: %d training and %d test points, %d classes, depths %@: %.2f s (kernels %.2f s, solves %.2f s with %@)",
                            split.train.count, split.test.count, split.classes, list.map(String.init).joined(separator: ","), seconds,
                            seconds - solveSeconds, solveSeconds, eigensolverDescription()))
        if let note = undefinedNote(rows) { noteOnStderr(note) }
        try output.emit(try trainingTable(rows, training: training, threads: threads.threads))
        if let path = plot.plot {
            let title = "\(initial.activation.rawValue), σ_w = \(String(format: "%.6g", sigmaW)), σ_b = \(formatNumber(initial.sigmaB)), infinite width, N = \(split.train.count)"
            try writeFigure(trainingFigure(rows, title: title).svg(), to: path)
        }
    }
}

/// The eigensolver in use, for notes.
func eigensolverDescription() -> String {
    LAPACKLibrary.shared.map { "LAPACK \($0.path)" } ?? "the built-in eigensolver"
}

/// A note naming the rows where kernel regression is undefined, or nil.
func undefinedNote(_ rows: [KernelTrainingResult]) -> String? {
    func names(_ rows: [KernelTrainingResult]) -> String {
        var seen: [String] = []
        for r in rows where !seen.contains("\(r.kernel.rawValue) at depth \(r.depth)") { seen.append("\(r.kernel.rawValue) at depth \(r.depth)") }
        return seen.joined(separator: ", ")
    }
    var notes: [String] = []
    let singular = rows.filter { $0.test == nil && !$0.overflow }
    if !singular.isEmpty {
        notes.append("note: kernel regression (t = inf) is undefined for \(names(singular)): the training kernel is numerically singular (an eigenvalue below 1e-14 of the largest); those error cells are empty. A finite --time or --steps, or --ridge, defines them.")
    }
    let overflow = rows.filter(\.overflow)
    if !overflow.isEmpty {
        notes.append("note: the kernel overflows double precision for \(names(overflow)) (the NTK grows like chi1^L in the chaotic phase); those rows are empty.")
    }
    return notes.isEmpty ? nil : notes.joined(separator: "\n")
}

/// The columns of `train ntk` (and of the campaign model `ntk`).
let trainingColumns = ["activation", "sigma_w", "sigma_b", "kappa", "depth", "kappa_depth", "kernel", "time",
                       "train_mse", "test_mse", "test_accuracy", "condition", "effective_rank",
                       "input_correlation", "steps", "train_accuracy", "test_mse_err", "test_accuracy_err", "q0"]

/// The table of a training run; κ is the metric factor at the network's q* (κ for smooth
/// activations, κ_3/2 for kinked ones).
func trainingTable(_ rows: [KernelTrainingResult], training: KernelTraining, threads: Int) throws -> Table {
    let network = training.network
    let point = try network.point(q0: training.q0)
    let kappa = point.kappa.isFinite ? point.kappa : point.kappaThreeHalves
    let correlation = training.inputCorrelation(threads: threads)
    var table = Table(columns: trainingColumns)
    func finite(_ x: Double) -> Table.Cell { x.isInfinite ? .text(x > 0 ? "inf" : "-inf") : .number(x) }
    for r in rows {
        table.append([.text(network.activation.rawValue), .number(network.sigmaW), .number(network.sigmaB), .number(kappa),
                      .integer(r.depth), .number(kappa * Double(r.depth)), .text(r.kernel.rawValue), r.time.isNaN ? .missing : finite(r.time),
                      .optional(r.train?.mse), .optional(r.test?.mse), .optional(r.test?.accuracy), r.condition.isNaN ? .missing : finite(r.condition),
                      .optional(r.effectiveRank.isNaN ? nil : r.effectiveRank), .number(correlation), .optional(r.steps), .optional(r.train?.accuracy),
                      .optional(r.test?.mseError), .optional(r.test?.accuracyError), training.rawInput ? .missing : .number(training.q0)])
    }
    return table
}

/// The labelled data of `train ntk` and `train mlp`: the file, its labels, the split and the
/// rescaling, validated once for both.
struct LabelledDataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The data: CSV (or CSV.gz) with a label column, or an IDX images file (with --labels).", valueName: "FILE"))
    var input: String
    @Option(name: .customLong("label-column"), help: ArgumentHelp("Column of a CSV --input holding the class: a 1-based index or 'last'.", valueName: "COLUMN"))
    var labelColumn: String?
    @Option(help: ArgumentHelp("IDX labels file of an IDX --input.", valueName: "FILE"))
    var labels: String?
    @Option(name: .customLong("train"), parsing: .unconditional, help: "Training points (default: half the rows, at most 1000).")
    var trainCount: Int?
    @Option(name: .customLong("test"), parsing: .unconditional, help: "Test points, the rows after the training set (default: the rest, at most 1000).")
    var testCount: Int?
    @Option(name: .customLong("shuffle-seed"), parsing: .unconditional, help: "Shuffle the rows with this seed before splitting (default: file order).")
    var shuffleSeed: UInt64?
    @Option(parsing: .unconditional, help: "Mean square q0 the rows are rescaled to.")
    var q0: Double = 1

    func validate() throws {
        try validateParameter("--q0", q0, strict: true)
        if let trainCount, trainCount < 2 { throw ValidationError("--train must be at least 2, got \(trainCount)") }
        if let testCount, testCount < 1 { throw ValidationError("--test must be at least 1, got \(testCount)") }
        try validateLabelColumn(labelColumn)
        if isIDXName(input) {
            guard labels != nil else { throw ValidationError("an IDX --input needs its labels: --labels FILE") }
        } else if labelColumn == nil {
            throw ValidationError("training needs labels: name the label column of \(input) with --label-column (an index or 'last')")
        }
    }

    /// The split, rescaled to q0 unless `rescale` is false.
    func split(rescale: Bool = true) throws -> TrainingSplit {
        try TrainingSplit(input: input, labelColumn: labelColumn, labels: labels, train: trainCount, test: testCount,
                          shuffleSeed: shuffleSeed, q0: rescale ? q0 : nil)
    }
}

/// A labelled data file split into a training and a test set: read, optionally shuffled with a
/// seed, the first N rows for training and the next M for testing, rescaled to mean square q₀,
/// labels turned into class indices (the distinct label values of the chosen rows, ascending).
struct TrainingSplit {
    let train: [[Double]], trainLabels: [Int]
    let test: [[Double]], testLabels: [Int]
    let classes: Int

    /// - Parameters: train, test: nil for the defaults (half the rows up to 1000; the rest up to 1000).
    /// - Parameter q0: the mean square the rows are rescaled to; nil keeps them as they are.
    init(input: String, labelColumn: String?, labels: String?, train: Int?, test: Int?, shuffleSeed: UInt64?, q0: Double?) throws {
        let data = try readKernelData(input: input, labelColumn: labelColumn, labels: labels)
        guard let values = data.labels else { throw CLIError("\(input) has no labels") }
        let total = data.rows.count
        let n = train ?? min(total / 2, 1000)
        let m = test ?? min(total - n, 1000)
        guard n >= 2, m >= 1, n + m <= total else {
            throw CLIError("\(n) training and \(m) test points need \(n + m) rows; \(input) has \(total)")
        }
        var order = Array(0..<total)
        if let shuffleSeed {
            var seeder = SplitMix64(seed: shuffleSeed)
            var random = Xoshiro256(seeder: &seeder)
            order.shuffle(using: &random)
        }
        let chosen = Array(order.prefix(n + m))
        let inputs = try InputData(rows: chosen.map { data.rows[$0] }, rescaleTo: q0)
        let classValues = Array(Set(chosen.map { values[$0] })).sorted()
        guard classValues.count >= 2 else { throw CLIError("the \(n + m) rows chosen from \(input) hold one class only") }
        let classIndex = Dictionary(uniqueKeysWithValues: classValues.enumerated().map { ($1, $0) })
        let indices = chosen.map { classIndex[values[$0]]! }
        self.train = Array(inputs.rows.prefix(n))
        self.test = Array(inputs.rows.suffix(m))
        self.trainLabels = Array(indices.prefix(n))
        self.testLabels = Array(indices.suffix(m))
        self.classes = classValues.count
    }

    func training(network: MeanFieldNetwork, q0: Double, rawInput: Bool = false) -> KernelTraining {
        KernelTraining(network: network, q0: q0, train: train, trainLabels: trainLabels, test: test, testLabels: testLabels,
                       classes: classes, rawInput: rawInput)
    }
}

/// Test MSE against depth, one series per kernel and time, with standard errors over the test points.
/// Test MSE against depth: a colour per kernel, and per training time a marker and a line style —
/// t = ∞ thick and solid, drawn first, finite times thinner, dashed and on top, so that a time
/// whose errors equal those at t = ∞ stays visible (and its legend entry says so).
func trainingFigure(_ rows: [KernelTrainingResult], title: String) -> Figure {
    struct TrainingPoint { let kernel: String; let time: Double; let timeLabel: String; let depth: Int; let mse: Double; let error: Double }
    let points = rows.compactMap { r -> TrainingPoint? in
        guard let test = r.test else { return nil }
        let label = r.steps.map { "\(formatNumber($0)) steps" } ?? (r.time.isInfinite ? "t = ∞" : "t = \(formatNumber(r.time))")
        return TrainingPoint(kernel: r.kernel.rawValue.uppercased(), time: r.steps ?? r.time, timeLabel: label, depth: r.depth,
                             mse: test.mse, error: test.mseError)
    }
    var kernels: [String] = []
    for p in points where !kernels.contains(p.kernel) { kernels.append(p.kernel) }
    // Times from the longest (t = ∞) to the shortest: the longest is drawn first and widest.
    var times: [(time: Double, label: String)] = []
    for p in points where !times.contains(where: { $0.label == p.timeLabel }) { times.append((p.time, p.timeLabel)) }
    times.sort { $0.time > $1.time }
    let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond, .triangleDown]
    let colours = [Color(hex: "#1f5fa8"), Color(hex: "#e07b00"), Color(hex: "#2a9d3a")]
    var series: [Series] = []
    for (k, kernel) in kernels.enumerated() {
        let longest = points.filter { $0.kernel == kernel && $0.timeLabel == times.first?.label }
        for (j, time) in times.enumerated() {
            let mine = points.filter { $0.kernel == kernel && $0.timeLabel == time.label }
            guard !mine.isEmpty else { continue }
            var name = "\(kernel), \(time.label)"
            let common = mine.compactMap { p in longest.first { $0.depth == p.depth }.map { (p.mse, $0.mse) } }
            if j > 0, common.count >= 2, common.allSatisfy({ abs($0.0 - $0.1) <= 1e-3 * abs($0.1) }) {
                name += " (equal to \(times[0].label))"
            }
            series.append(Series(name: name, x: mine.map { Double($0.depth) }, y: mine.map(\.mse), yError: mine.map(\.error),
                                 style: .lineAndMarkers, marker: markers[j % markers.count], color: colours[k % colours.count],
                                 dashed: j > 0, lineWidth: j == 0 ? 3.2 : 1.4))
        }
    }
    return Figure(title: title, xAxis: Axis(label: "depth L", scale: .log), yAxis: Axis(label: "test MSE", scale: .linear), series: series)
}
