import CriticalityCore
import Foundation
import Kernels

/// How a network is trained (docs/training.md, "Gradient descent").
public struct GradientDescent: Sendable {
    /// Steps of gradient descent.
    public var steps: Int
    /// The learning rate η; in the NTK parameterisation t = η × steps is the kernel analysis's time.
    public var learningRate: Double
    /// Examples per step; nil for full-batch gradient descent.
    public var batchSize: Int?
    /// Score every this many steps (and at step 0 and the last step).
    public var logEvery: Int
    /// Train f − f₀ instead of f: the outputs start at 0, like the kernel analysis's ensemble mean.
    public var centred: Bool
    /// Seed of the minibatch order.
    public var seed: UInt64
    /// The loss descended (MSE: the kernel analysis's gradient flow).
    public var loss: Loss = .mse
    /// The first this many training points serve as the probe set of the empirical NTK, whose
    /// relative change ‖Θ_t − Θ_0‖/‖Θ_0‖ (Frobenius) is logged; 0 for none.
    public var ntkProbes: Int = 0

    public init(steps: Int, learningRate: Double, batchSize: Int? = nil, logEvery: Int = 100, centred: Bool = true, seed: UInt64 = 1) {
        self.steps = steps
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.logEvery = max(1, logEvery)
        self.centred = centred
        self.seed = seed
    }

    /// One logged point of a run.
    public struct Entry: Sendable {
        public let step: Int
        public let train: ClassificationScore
        public let test: ClassificationScore
        /// The trained loss on the whole training and test sets.
        public let trainLoss: Double, testLoss: Double
        /// ‖Θ_t − Θ_0‖/‖Θ_0‖ on the probe set, when one is asked for.
        public let ntkChange: Double?
    }

    /// One step's update of every trained parameter, θ ← θ − η ∂loss/∂θ, given the gradients of
    /// ``DenseNetwork/gradients(_:targets:batch:threads:)``.
    public func update(_ network: inout DenseNetwork, weights gw: [[Double]], biases gb: [[Double]]) {
        for l in 0..<network.depth {
            for i in network.weights[l].indices { network.weights[l][i] -= learningRate * gw[l][i] }
            for i in network.biases[l].indices { network.biases[l][i] -= learningRate * gb[l][i] }
        }
    }

    /// Trains `network` on `train` (N rows of n₀ inputs, row-major) with class indices `trainLabels`
    /// (one-hot targets), scoring on the test set at every logged step; `progress` hears the step
    /// and the loss of its batch after every step.
    ///
    /// - Complexity: O(steps × B × Σ n_{l−1} n_l) for batches of B examples.
    public func run(_ network: inout DenseNetwork, train: [Double], trainLabels: [Int], test: [Double], testLabels: [Int],
                    threads: Int = 1, progress: ((_ step: Int, _ batchLoss: Double) -> Void)? = nil) -> [Entry] {
        let n0 = network.widths[0], classes = network.widths[network.depth]
        let count = trainLabels.count, testCount = testLabels.count
        precondition(train.count == count * n0 && test.count == testCount * n0)
        let targets = oneHot(trainLabels, classes: classes), testTargets = oneHot(testLabels, classes: classes)
        // Centred: the outputs are f − f₀, which start at 0 (the offsets are f₀ on each set).
        let trainOffset = centred ? network.forward(train, batch: count, threads: threads).last! : nil
        let testOffset = centred ? network.forward(test, batch: testCount, threads: threads).last! : nil
        func outputs(_ x: [Double], _ rows: Int, _ offset: [Double]?) -> [Double] {
            var f = network.forward(x, batch: rows, threads: threads).last!
            if let offset { for i in f.indices { f[i] -= offset[i] } }
            return f
        }
        let probes = min(max(ntkProbes, 0), count)
        let probePoints = Array(train.prefix(probes * n0))
        let initialNTK = probes > 0 ? network.empiricalNTK(probePoints, count: probes, threads: threads) : []
        let initialNorm = initialNTK.reduce(0) { $0 + $1 * $1 }.squareRoot()
        func entry(_ step: Int) -> Entry {
            var change: Double?
            if probes > 0 {
                let now = network.empiricalNTK(probePoints, count: probes, threads: threads)
                change = zip(now, initialNTK).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() / initialNorm
            }
            let f = outputs(train, count, trainOffset), g = outputs(test, testCount, testOffset)
            return Entry(step: step, train: ClassificationScore(outputs: f, labels: trainLabels, classes: classes),
                         test: ClassificationScore(outputs: g, labels: testLabels, classes: classes),
                         trainLoss: loss.evaluate(outputs: f, offset: nil, targets: targets, classes: classes).loss,
                         testLoss: loss.evaluate(outputs: g, offset: nil, targets: testTargets, classes: classes).loss,
                         ntkChange: change)
        }
        var log = [entry(0)]
        var random = Xoshiro256(key: StreamKey(seed: seed, task: 0x62_6174_6368, realisation: 0))
        var order = Array(0..<count)
        var position = count
        for step in 1...max(steps, 1) where steps > 0 {
            let x: [Double], y: [Double], offset: [Double]?, rows: Int
            if let size = batchSize, size < count {
                var chosen: [Int] = []
                while chosen.count < size {
                    if position == count { order.shuffle(using: &random); position = 0 }
                    chosen.append(order[position]); position += 1
                }
                x = chosen.flatMap { train[($0 * n0)..<($0 * n0 + n0)] }
                y = chosen.flatMap { targets[($0 * classes)..<($0 * classes + classes)] }
                offset = trainOffset.map { f in chosen.flatMap { f[($0 * classes)..<($0 * classes + classes)] } }
                rows = size
            } else {
                (x, y, offset, rows) = (train, targets, trainOffset, count)
            }
            let (batchLoss, gw, gb) = network.gradients(x, targets: y, batch: rows, loss: loss, offset: offset, threads: threads)
            update(&network, weights: gw, biases: gb)
            if step % logEvery == 0 || step == steps { log.append(entry(step)) }
            progress?(step, batchLoss)
        }
        return log
    }
}
