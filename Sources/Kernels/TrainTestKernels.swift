import CriticalityCore
import Foundation
import MeanField

/// The NNGP and NTK of a training set (N × N) and between a test set and the training set (M × N)
/// at one depth, row-major (docs/kernels.md, "Predictors").
public struct KernelMatrices: Sendable {
    public let depth: Int
    /// K^L(x, x), the same for every point (equal input norms).
    public let q: Double
    public let nngpTrain: [Double], ntkTrain: [Double]
    public let nngpCross: [Double], ntkCross: [Double]
}

extension KernelRecursion {
    /// The kernel matrices of `train` and `test` (rows already rescaled to the mean square `q0` the
    /// recursion was built for) at each of `depths`, handed to `body` one depth at a time (in the
    /// order given): one run of the recursion over the N(N + 1)/2 training pairs and the M N
    /// test–training pairs (test–test pairs are never needed).
    ///
    /// - Complexity: O((N² + MN)(n₀ + L)) time; memory 16 (N²/2 + MN) bytes per depth for the
    ///   recursion's results plus 32 (N² + MN) bytes for one depth's matrices.
    public func forEachDepth(train: [[Double]], test: [[Double]], depths: [Int], threads: Int = defaultThreadCount,
                             progress: (@Sendable (Double) -> Void)? = nil,
                             _ body: (KernelMatrices) throws -> Void) rethrows {
        let n = train.count
        let packed = inputDistances(train, threads: threads)
        let cross = crossDistances(test, train, threads: threads)
        let (rho, ntk) = run(rho0: packed + cross, depths: depths, threads: threads, progress: progress)
        let pairs = packed.count
        for k in depths.indices {
            let depth = depths[k], qL = q[depth - 1]
            let nngp = rho[k].map { qL - qL * $0 }
            try body(KernelMatrices(depth: depth, q: qL, train: n, packedPairs: pairs, nngp: nngp, ntk: ntk[k]))
        }
    }
}

extension KernelMatrices {
    /// The matrices from values in the order of the kernel runs: the `packedPairs` training pairs
    /// i ≤ j first (``packedPairs(_:)``), then the test–training pairs row by row.
    init(depth: Int, q: Double, train n: Int, packedPairs: Int, nngp: [Double], ntk: [Double]) {
        var nngpTrain = [Double](repeating: 0, count: n * n), ntkTrain = nngpTrain
        var p = 0
        for i in 0..<n {
            for j in i..<n {
                nngpTrain[i * n + j] = nngp[p]; nngpTrain[j * n + i] = nngp[p]
                ntkTrain[i * n + j] = ntk[p]; ntkTrain[j * n + i] = ntk[p]
                p += 1
            }
        }
        self.init(depth: depth, q: q, nngpTrain: nngpTrain, ntkTrain: ntkTrain,
                  nngpCross: Array(nngp[packedPairs...]), ntkCross: Array(ntk[packedPairs...]))
    }
}

/// ρ⁰ = 1 − cos(a_r, b_i) of every row of `a` with every row of `b`, row-major (a.count × b.count),
/// computed as |â − b̂|²/2 like ``inputDistances(_:threads:)``.
///
/// - Complexity: O(|a| |b| n₀).
public func crossDistances(_ a: [[Double]], _ b: [[Double]], threads: Int = defaultThreadCount) -> [Double] {
    func unit(_ rows: [[Double]]) -> [[Double]] {
        rows.map { row in
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? row.map { $0 / norm } : row
        }
    }
    let ua = unit(a), ub = unit(b)
    return parallelMap(ua.count, threads: threads) { r -> [Double] in
        let x = ua[r]
        return ub.map { y in
            var sum = 0.0
            for k in x.indices { let d = x[k] - y[k]; sum += d * d }
            return sum / 2
        }
    }.flatMap { $0 }
}

/// The score of a classifier's outputs against one-hot targets.
public struct ClassificationScore: Sendable, Equatable {
    /// Mean squared error over points and classes, and its standard error over the points.
    public var mse: Double, mseError: Double
    /// Fraction of points whose largest output is their class, and its binomial standard error.
    public var accuracy: Double, accuracyError: Double

    /// Scores `outputs` (rows × classes) against class indices `labels`.
    public init(outputs: [Double], labels: [Int], classes: Int) {
        precondition(outputs.count == labels.count * classes && classes >= 1)
        var moments = RunningMoments()
        var correct = 0
        for (r, label) in labels.enumerated() {
            var best = 0, squared = 0.0
            for c in 0..<classes {
                let f = outputs[r * classes + c]
                let d = f - (c == label ? 1 : 0)
                squared += d * d
                if f > outputs[r * classes + best] { best = c }
            }
            moments.add(squared / Double(classes))
            if best == label { correct += 1 }
        }
        let count = Double(max(labels.count, 1))
        mse = moments.mean
        mseError = labels.count > 1 ? moments.standardError : 0
        accuracy = Double(correct) / count
        accuracyError = (accuracy * (1 - accuracy) / count).squareRoot()
    }
}

/// One-hot targets (rows × classes) of class indices.
public func oneHot(_ labels: [Int], classes: Int) -> [Double] {
    var y = [Double](repeating: 0, count: labels.count * classes)
    for (r, label) in labels.enumerated() { y[r * classes + label] = 1 }
    return y
}
