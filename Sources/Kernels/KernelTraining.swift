import CriticalityCore
import Foundation
import MeanField

/// Which kernel a network is trained with: the NTK (every layer trained) or the NNGP (the readout
/// alone; at t = ∞ the Bayesian posterior mean).
public enum KernelKind: String, Sendable, CaseIterable {
    case ntk, nngp
}

/// One row of a training run: a depth, a kernel and a time.
public struct KernelTrainingResult: Sendable {
    public let depth: Int
    public let kernel: KernelKind
    /// t in units with learning rate 1 (∞: kernel regression).
    public let time: Double
    /// The gradient-descent steps at rate N/λ_max that gave `time`, when the time was given so.
    public let steps: Double?
    /// nil where kernel regression is undefined (a numerically singular kernel at t = ∞).
    public let train: ClassificationScore?, test: ClassificationScore?
    public let condition: Double, effectiveRank: Double
    /// Whether the kernel overflowed double precision at this depth (then every score is nil).
    public var overflow = false
}

/// The infinite-width MLP trained by gradient flow on a labelled training set and scored on a test
/// set (docs/kernels.md, "Training on data"): the kernels of both sets at every depth in one
/// recursion, one eigendecomposition per depth and kernel, every time from it.
public struct KernelTraining: Sendable {
    public let network: MeanFieldNetwork
    public let q0: Double
    /// Rows rescaled to mean square q₀, and class indices 0..<classes.
    public let train: [[Double]], trainLabels: [Int]
    public let test: [[Double]], testLabels: [Int]
    public let classes: Int
    /// Whether the rows keep their own norms (``RawInputKernels``) instead of sharing q₀.
    public let rawInput: Bool

    public init(network: MeanFieldNetwork, q0: Double, train: [[Double]], trainLabels: [Int],
                test: [[Double]], testLabels: [Int], classes: Int, rawInput: Bool = false) {
        precondition(train.count == trainLabels.count && test.count == testLabels.count && train.count >= 1)
        self.network = network
        self.q0 = q0
        self.train = train
        self.trainLabels = trainLabels
        self.test = test
        self.testLabels = testLabels
        self.classes = classes
        self.rawInput = rawInput
    }

    /// The mean cosine similarity of the training pairs i < j (the data's input correlation).
    public func inputCorrelation(threads: Int = defaultThreadCount) -> Double {
        let n = train.count
        guard n > 1 else { return .nan }
        let rho = inputDistances(train, threads: threads)
        var p = 0, sum = 0.0
        for i in 0..<n { for j in i..<n { if j > i { sum += 1 - rho[p] }; p += 1 } }
        return sum / (Double(n) * Double(n - 1) / 2)
    }

    /// Trains at every depth of `depths` with each kernel of `kernels`, reporting each time of
    /// `times` (∞ allowed) and each step count of `steps` (t = N S/λ_max). `ridge` r adds r times
    /// the mean diagonal of the training kernel to its diagonal.
    ///
    /// - Returns: the rows in the order depth, kernel, times then steps; and the seconds spent in
    ///   the eigendecompositions and predictions.
    ///
    /// - Parameter progress: told the fraction of the kernels' pairs done (``TrainingProgress/kernels(_:)``,
    ///   from any thread) and each depth solved (``TrainingProgress/solved(depth:index:of:)``).
    public func run(depths: [Int], kernels: [KernelKind], times: [Double], steps: [Double], ridge: Double = 0,
                    threads: Int = defaultThreadCount,
                    progress: (@Sendable (TrainingProgress) -> Void)? = nil) throws -> (rows: [KernelTrainingResult], solveSeconds: Double) {
        let n = train.count, m = test.count
        let targets = oneHot(trainLabels, classes: classes)
        let clock = ContinuousClock()
        var solveSeconds = 0.0
        var rows: [KernelTrainingResult] = []
        var solvedDepths = 0
        let forEachDepth: ((KernelMatrices) throws -> Void) throws -> Void = { body in
            if rawInput {
                try RawInputKernels(network: network).forEachDepth(train: train, test: test, depths: depths, threads: threads, body)
            } else {
                try KernelRecursion(network: network, q0: q0, depth: depths.max() ?? 1)
                    .forEachDepth(train: train, test: test, depths: depths, threads: threads,
                                  progress: progress.map { report -> @Sendable (Double) -> Void in { report(.kernels($0)) } }, body)
            }
        }
        /// The (time, steps) of each row: the times as given, then each step count S as t = N S/λ_max.
        func schedule(largest: Double) -> [(time: Double, steps: Double?)] {
            times.map { ($0, nil) } + steps.map { (Double(n) * $0 / largest, $0) }
        }
        try forEachDepth { matrices in
            let start = clock.now
            for kind in kernels {
                let (kernel, cross) = kind == .ntk ? (matrices.ntkTrain, matrices.ntkCross) : (matrices.nngpTrain, matrices.nngpCross)
                // The NTK grows like χ₁^L in the chaotic phase and can overflow (sin at σ_b = 1, 5% above
                // the critical line, by L = 10⁴): no scores then, and the rows say why.
                guard kernel.allSatisfy({ $0.isFinite && abs($0) < 1e300 }), cross.allSatisfy({ $0.isFinite && abs($0) < 1e300 }) else {
                    for (t, s) in schedule(largest: .nan) {
                        rows.append(KernelTrainingResult(depth: matrices.depth, kernel: kind, time: t, steps: s, train: nil, test: nil,
                                                         condition: .nan, effectiveRank: .nan, overflow: true))
                    }
                    continue
                }
                let meanDiagonal = (0..<n).reduce(0.0) { $0 + kernel[$1 * n + $1] } / Double(n)
                // Kernel regression alone (the default `--time inf`): Cholesky and the eigenvalues only.
                if steps.isEmpty, !times.isEmpty, times.allSatisfy({ $0 == .infinity }) {
                    let regression = try KernelRegression(kernel: kernel, count: n, targets: targets, classes: classes,
                                                          ridge: ridge * meanDiagonal)
                    let train = try? ClassificationScore(outputs: regression.outputs(cross: kernel, count: n), labels: trainLabels, classes: classes)
                    let test = try? ClassificationScore(outputs: regression.outputs(cross: cross, count: m), labels: testLabels, classes: classes)
                    for t in times {
                        rows.append(KernelTrainingResult(depth: matrices.depth, kernel: kind, time: t, steps: nil, train: train, test: test,
                                                         condition: regression.conditionNumber, effectiveRank: regression.effectiveRank))
                    }
                    continue
                }
                let flow = try GradientFlow(kernel: kernel, count: n, targets: targets, classes: classes, ridge: ridge * meanDiagonal)
                let largest = flow.eigen.values.last ?? 1
                for (t, s) in schedule(largest: largest) {
                    var trainScore: ClassificationScore?, testScore: ClassificationScore?
                    do {
                        trainScore = ClassificationScore(outputs: try flow.trainOutputs(time: t), labels: trainLabels, classes: classes)
                        testScore = ClassificationScore(outputs: try flow.testOutputs(cross: cross, count: m, time: t),
                                                        labels: testLabels, classes: classes)
                    } catch KernelError.singular {
                        trainScore = nil
                        testScore = nil
                    }
                    rows.append(KernelTrainingResult(depth: matrices.depth, kernel: kind, time: t, steps: s, train: trainScore,
                                                     test: testScore, condition: flow.conditionNumber, effectiveRank: flow.effectiveRank))
                }
            }
            solveSeconds += (clock.now - start) / .seconds(1)
            solvedDepths += 1
            progress?(.solved(depth: matrices.depth, index: solvedDepths, of: depths.count))
        }
        return (rows, solveSeconds)
    }
}

/// What ``KernelTraining/run(depths:kernels:times:steps:ridge:threads:progress:)`` has done so far.
public enum TrainingProgress: Sendable {
    /// The fraction of the kernel recursion's pairs done.
    case kernels(Double)
    /// Depth `depth` (the `index`-th of `count`) trained with every kernel.
    case solved(depth: Int, index: Int, of: Int)
}
