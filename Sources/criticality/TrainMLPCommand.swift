import ArgumentParser
import CriticalityCore
import Foundation
import Kernels
import MeanField
import Plotting
import Propagation
import Scaling
import Training

extension Parameterisation: ExpressibleByArgument {}
extension Loss: ExpressibleByArgument {}

/// `criticality train mlp`: a finite MLP trained by gradient descent on labelled data
/// (docs/training.md).
struct TrainMLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Train an MLP of finite width by gradient descent on labelled data; train/test error at logged steps.",
        discussion: """
            Data, split and targets as in train ntk. The network has --depth weight layers: n0 inputs, --width units in \
            each hidden layer, one output per class (the outputs are h^L). Full-batch gradient descent (or minibatches of \
            --batch-size) with rate --learning-rate on --loss mse, (1/2B) sum |f - y|^2 (in the NTK parameterisation the \
            time t = learning_rate x steps is that of train ntk), or cross-entropy, -(1/B) sum y . ln softmax(f). \
            --centred (default) trains f - f0, whose outputs start at 0 like the kernel analysis's mean; --no-centred \
            trains f itself. Columns: activation, sigma_w, sigma_b, width, depth, parameterisation, centred, loss, \
            learning_rate, batch_size, step, time, train_loss, test_loss, train_mse, train_accuracy, test_mse, \
            test_mse_err, test_accuracy, test_accuracy_err, ntk_change (the relative Frobenius change of the empirical \
            NTK on the first --ntk-probes training points since step 0; empty with --ntk-probes 0). \
            --rho FILE.csv writes rho(l) = 1 - cos(h_a^l, h_b^l) at every layer for --rho-pairs pairs of test points \
            (points 2i and 2i+1) through the network before and after training: columns width, depth, state \
            (initial or trained), layer, rho, rho_err (standard error over the pairs), pairs. Progress (steps, batch \
            loss, rate, ETA) goes to stderr every 5 s on a terminal, or every --progress seconds. --plot draws the \
            train and test loss and the test MSE against the step, with the kernel prediction where there is one.
            """
    )

    @OptionGroup var initial: InitialisationOptions
    @Option(parsing: .unconditional, help: "Weight layers L (the outputs are h^L).")
    var depth: Int = 3
    @Option(parsing: .unconditional, help: "Width n of every hidden layer.")
    var width: Int = 256
    @OptionGroup var data: LabelledDataOptions
    @Option(parsing: .unconditional, help: "Gradient-descent steps.")
    var steps: Int = 1000
    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Learning rate eta.")
    var learningRate: Double = 0.5
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Examples per step (default: the whole training set).")
    var batchSize: Int?
    @Option(help: "Loss: mse or cross-entropy (softmax).")
    var loss: Loss = .mse
    @Option(help: "Parameterisation: ntk or standard.")
    var parameterisation: Parameterisation = .ntk
    @Flag(inversion: .prefixedNo, help: "Train f - f0 (outputs start at 0) instead of f.")
    var centred = true
    @Option(name: .customLong("log-every"), parsing: .unconditional, help: "Score every this many steps.")
    var logEvery: Int = 100
    @Option(name: .customLong("ntk-probes"), parsing: .unconditional, help: "Training points on which the empirical NTK's relative change is logged (0: none).")
    var ntkProbes: Int = 20
    @Option(help: ArgumentHelp("Write rho(l) through the initial and the trained network to FILE.csv.", valueName: "FILE.csv"))
    var rho: String?
    @Option(name: .customLong("rho-pairs"), parsing: .unconditional, help: "Pairs of test points for --rho.")
    var rhoPairs: Int = 32
    @Option(parsing: .unconditional, help: ArgumentHelp("Report progress on stderr every SECONDS (default: 5 on a terminal, none otherwise).", valueName: "SECONDS"))
    var progress: Double?
    @Option(parsing: .unconditional, help: "Seed of the weights and of the minibatch order.")
    var seed: UInt64 = 1
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    func validate() throws {
        guard depth >= 1 && depth <= 10_000 else { throw ValidationError("--depth must lie in [1, 10000], got \(depth)") }
        guard width >= 1 else { throw ValidationError("--width must be at least 1, got \(width)") }
        guard steps >= 0 else { throw ValidationError("--steps must be at least 0, got \(steps)") }
        guard logEvery >= 1 else { throw ValidationError("--log-every must be at least 1, got \(logEvery)") }
        guard ntkProbes >= 0 else { throw ValidationError("--ntk-probes must be at least 0, got \(ntkProbes)") }
        guard rhoPairs >= 1 else { throw ValidationError("--rho-pairs must be at least 1, got \(rhoPairs)") }
        if let progress { try validateParameter("--progress", progress) }
        try validateParameter("--learning-rate", learningRate, strict: true)
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        // The weights, one layer's activations for the batch, and the gradients.
        do { try MemoryBudget.require(FiniteTraining.memoryNeeded(width: width, depth: depth, batch: 2000), for: "a network of width \(width) and depth \(depth)") }
        catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        let split = try data.split()
        var descent = GradientDescent(steps: steps, learningRate: learningRate, batchSize: batchSize, logEvery: logEvery,
                                      centred: centred, seed: seed)
        descent.ntkProbes = ntkProbes
        descent.loss = loss
        let training = FiniteTraining(activation: initial.activation, sigmaW: try initial.sigmaW(q0: data.q0), sigmaB: initial.sigmaB,
                                      depth: depth, width: width, parameterisation: parameterisation, descent: descent, seed: seed, q0: data.q0)
        let clock = ContinuousClock()
        let start = clock.now
        let (table, initialNetwork, network) = training.run(split, threads: threads.threads,
                                                            progress: progressReporter(start: start, clock: clock))
        noteOnStderr(String(format: "train mlp: width %d, depth %d, %d steps on %d points: %.2f s", width, depth, steps,
                            split.train.count, (clock.now - start) / .seconds(1)))
        if let path = rho {
            let rows = try rhoTable(initial: initialNetwork, trained: network, test: split.test)
            try writeOutput(rows.csv(), to: path)
        }
        try output.emit(table)
        if let path = plot.plot { try writeFigure(trainingCurvesFigure(table, loss: loss).svg(), to: path) }
    }

    /// A progress line on stderr every `--progress` seconds (every 5 s on a terminal by default).
    func progressReporter(start: ContinuousClock.Instant, clock: ContinuousClock) -> ((Int, Double) -> Void)? {
        guard let interval = progress ?? (isatty(STDERR_FILENO) != 0 ? 5 : nil) else { return nil }
        var last = start
        // The rate counts from the first step, after the set-up (offsets, the initial NTK).
        var first: (step: Int, time: ContinuousClock.Instant)?
        let total = steps
        return { step, batchLoss in
            let now = clock.now
            guard let origin = first else { first = (step, now); return }
            guard (now - last) / .seconds(1) >= interval || step == total else { return }
            last = now
            let rate = Double(step - origin.step) / max((now - origin.time) / .seconds(1), 1e-9)
            noteOnStderr(String(format: "train mlp: step %d/%d (%.0f%%), batch loss %.5g, %.3g steps/s, ETA %.0f s", step, total,
                                100 * Double(step) / Double(max(total, 1)), batchLoss, rate, Double(total - step) / max(rate, 1e-9)))
        }
    }

    /// ρ(l) over pairs of test points through the initial and the trained network, with a summary
    /// line on stderr at the last hidden layer.
    func rhoTable(initial: DenseNetwork, trained: DenseNetwork, test: [[Double]]) throws -> Table {
        let pairs = min(rhoPairs, test.count / 2)
        guard pairs >= 1 else { throw ValidationError("--rho needs at least two test points") }
        let a = (0..<pairs).flatMap { test[2 * $0] }, b = (0..<pairs).flatMap { test[2 * $0 + 1] }
        var table = Table(columns: ["width", "depth", "state", "layer", "rho", "rho_err", "pairs"])
        var summary: [String] = []
        for (state, network) in [("initial", initial), ("trained", trained)] {
            let rho = network.pairDistance(a, b, pairs: pairs, threads: threads.threads)
            for (l, values) in rho.enumerated() {
                var m = RunningMoments()
                for v in values where v.isFinite { m.add(v) }
                table.append([.integer(width), .integer(depth), .text(state), .integer(l + 1), .number(m.mean),
                              .number(m.count > 1 ? m.standardError : .nan), .integer(pairs)])
                if l + 2 == rho.count || rho.count == 1 { summary.append("\(state) \(formatEstimate(m.mean, m.standardError))") }
            }
        }
        noteOnStderr("train mlp: rho at layer \(max(depth - 1, 1)) over \(pairs) pairs of test points: " + summary.joined(separator: ", "))
        return table
    }
}

/// The loss curves of one training run: the trained loss on both sets, and the test MSE beside the
/// infinite-width prediction at the same time (when the table has it).
func trainingCurvesFigure(_ table: Table, loss: Loss) -> PanelGrid {
    let step = table.numbers("step")
    let trainLoss = table.numbers("train_loss"), testLoss = table.numbers("test_loss")
    let mse = table.numbers("test_mse"), mseError = table.numbers("test_mse_err"), kernel = table.numbers("kernel_test_mse")
    let left = Figure(title: "\(loss.rawValue) loss", xAxis: Axis(label: "step"), yAxis: Axis(label: "loss", scale: .log),
                      series: [Series(name: "train", x: step, y: trainLoss, style: .lineAndMarkers, lineWidth: 1.5),
                               Series(name: "test", x: step, y: testLoss, style: .lineAndMarkers, lineWidth: 1.5)],
                      legendPosition: .automatic)
    var right = [Series(name: "trained network", x: step, y: mse, yError: mseError, style: .lineAndMarkers, lineWidth: 1.5)]
    if kernel.contains(where: \.isFinite) {
        right.append(Series(name: "infinite width (NTK gradient flow)", x: step, y: kernel, color: Color(r: 90, g: 90, b: 90),
                            dashed: true, lineWidth: 1.5))
    }
    let r = Figure(title: "test MSE", xAxis: Axis(label: "step"), yAxis: Axis(label: "test MSE"), series: right,
                   legendPosition: .automatic)
    return PanelGrid(title: "", panels: [left, r], columns: 2)
}

