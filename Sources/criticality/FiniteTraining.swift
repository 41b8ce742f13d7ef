import CriticalityCore
import Foundation
import Kernels
import MeanField
import Training

/// A finite MLP trained by gradient descent on a training split, as `train mlp` and the `train`
/// campaign model run it (docs/training.md): the network, the descent, and the table of logged steps.
struct FiniteTraining {
    var activation: Activation
    var sigmaW: Double, sigmaB: Double
    var depth: Int, width: Int
    var parameterisation: Parameterisation
    var descent: GradientDescent
    /// Seed of the initial weights.
    var seed: UInt64
    /// The mean square of the rows (the kernel prediction's q₀).
    var q0: Double = 1

    static let columns = ["activation", "sigma_w", "sigma_b", "width", "depth", "parameterisation", "centred", "loss",
                          "learning_rate", "batch_size", "step", "time", "train_loss", "test_loss", "train_mse",
                          "train_accuracy", "test_mse", "test_mse_err", "test_accuracy", "test_accuracy_err", "ntk_change", "kernel_test_mse",
                          "kernel_test_accuracy"]

    /// Whether the infinite-width theory predicts this training: MSE in the NTK parameterisation,
    /// where gradient descent at rate η for S steps follows gradient flow to t = η S (docs/training.md).
    var hasKernelPrediction: Bool { descent.loss == .mse && parameterisation == .ntk }

    /// The infinite-width network's test scores (NTK gradient flow, the ensemble mean) at the times
    /// `times`, by time; empty when ``hasKernelPrediction`` is false or the kernel cannot be solved.
    func kernelPrediction(_ split: TrainingSplit, times: [Double], threads: Int) -> [Double: ClassificationScore] {
        guard hasKernelPrediction, let net = try? MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB) else { return [:] }
        let training = split.training(network: net, q0: q0)
        guard let (rows, _) = try? training.run(depths: [depth], kernels: [.ntk], times: times, steps: [], threads: threads) else { return [:] }
        var out: [Double: ClassificationScore] = [:]
        for row in rows { if let test = row.test { out[row.time] = test } }
        return out
    }

    /// n₀, n₁, …, n_L of an MLP with `width` units in each of its L − 1 hidden layers.
    static func layerWidths(inputs n0: Int, width: Int, depth: Int, classes: Int) -> [Int] {
        [n0] + Array(repeating: width, count: max(depth - 1, 0)) + [classes]
    }

    /// The initial network for `split` (n₀ inputs, `width` units in each of the L − 1 hidden layers,
    /// one output per class).
    func network(for split: TrainingSplit) -> DenseNetwork {
        let widths = Self.layerWidths(inputs: split.train[0].count, width: width, depth: depth, classes: split.classes)
        return DenseNetwork(activation: activation, widths: widths, sigmaW: sigmaW, sigmaB: sigmaB,
                            parameterisation: parameterisation, seed: seed)
    }

    /// Trains a fresh network on `split`: the table of logged steps, and the network before and after.
    func run(_ split: TrainingSplit, threads: Int, progress: ((Int, Double) -> Void)? = nil)
        -> (table: Table, initial: DenseNetwork, trained: DenseNetwork)
    {
        let initial = network(for: split)
        var network = initial
        let log = descent.run(&network, train: split.train.flatMap { $0 }, trainLabels: split.trainLabels,
                              test: split.test.flatMap { $0 }, testLabels: split.testLabels, threads: threads, progress: progress)
        let time = { (step: Int) in descent.learningRate * Double(step) }
        let kernel = kernelPrediction(split, times: log.map { time($0.step) }, threads: threads)
        var table = Table(columns: Self.columns)
        let batch = descent.batchSize.map { min($0, split.train.count) } ?? split.train.count
        for e in log {
            table.append([.text(activation.rawValue), .number(sigmaW), .number(sigmaB), .integer(width), .integer(depth),
                          .text(parameterisation.rawValue), .text(descent.centred ? "true" : "false"), .text(descent.loss.rawValue),
                          .number(descent.learningRate), .integer(batch), .integer(e.step),
                          .number(time(e.step)), .number(e.trainLoss), .number(e.testLoss),
                          .number(e.train.mse), .number(e.train.accuracy), .number(e.test.mse), .number(e.test.mseError),
                          .number(e.test.accuracy), .number(e.test.accuracyError), .optional(e.ntkChange),
                          .optional(kernel[time(e.step)]?.mse), .optional(kernel[time(e.step)]?.accuracy)])
        }
        return (table, initial, network)
    }

    /// Multiply-adds of one full-batch step on B examples: forward, the backpropagated δ and the
    /// weight gradients, 3 B Σ_l n_{l−1} n_l.
    static func stepMultiplyAdds(inputs n0: Int, width: Int, depth: Int, classes: Int, batch: Int) -> Double {
        let widths = layerWidths(inputs: n0, width: width, depth: depth, classes: classes)
        let products = zip(widths.dropLast(), widths.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        return 3 * Double(batch) * products
    }

    /// The memory a run needs: weights, gradients and updates (3 n² L), and the batch's
    /// pre-activations and activations forward and backward (4 B n L).
    static func memoryNeeded(width: Int, depth: Int, batch: Int) -> Double {
        let n = Double(width), layers = Double(depth)
        return 8 * (3 * n * n * layers + 4 * Double(batch) * n * layers)
    }
}
