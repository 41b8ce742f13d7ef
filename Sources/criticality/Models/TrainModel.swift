import Campaign
import CriticalityCore
import Foundation
import MeanField
import Training

/// A finite MLP trained by gradient descent on labelled data (docs/training.md), as a campaign
/// model (`model = "train"`): one task trains one network of a `width` and `depth` from its `seed`
/// and writes the table of `train mlp` (one row per logged step).
///
/// As in the `ntk` model, `sigma_w = "critical"` with `sigma_w_scale` puts the network on the
/// critical line or off it, `shuffle_seed` fixes the split (the same for every task unless it is
/// swept), and `input` is read relative to the folder the sweep runs in. `batch_size = 0` is
/// full-batch gradient descent.
enum TrainModel: SimulationModel {
    static let name = "train"

    static let parameters: [ModelParameter] = [
        ModelParameter("activation", .word, default: .text("tanh"), .activation),
        ModelParameter("sigma_w", .numberOr(["critical"]), .atLeast(0)),
        ModelParameter("sigma_w_scale", .number, default: .number(1), .above(0)),
        ModelParameter("sigma_b", .number, default: .number(0.3), .atLeast(0)),
        ModelParameter("depth", .integer, default: .integer(3), .within(1, 10_000, upperOpen: false)),
        ModelParameter("width", .integer, default: .integer(256), .atLeast(1)),
        ModelParameter("steps", .integer, default: .integer(1000), .atLeast(0)),
        ModelParameter("learning_rate", .number, default: .number(0.5), .above(0)),
        ModelParameter("batch_size", .integer, default: .integer(0), .atLeast(0)),
        ModelParameter("loss", .word, default: .text(Loss.mse.rawValue), .word(Loss.allCases.map(\.rawValue))),
        ModelParameter("parameterisation", .word, default: .text(Parameterisation.ntk.rawValue),
                       .word(Parameterisation.allCases.map(\.rawValue))),
        ModelParameter("centred", .boolean, default: .text("true")),
        ModelParameter("log_every", .integer, default: .integer(100), .atLeast(1)),
        ModelParameter("ntk_probes", .integer, default: .integer(0), .atLeast(0)),
        ModelParameter("seed", .integer, default: .integer(1), .atLeast(0)),
        ModelParameter("train", .integer, default: .integer(500), .atLeast(2)),
        ModelParameter("test", .integer, default: .integer(500), .atLeast(1)),
        ModelParameter("shuffle_seed", .integer, default: .integer(1), .atLeast(0)),
        ModelParameter("input", .word, default: .text("data/digits.csv.gz")),
        ModelParameter("label_column", .word, default: .text("last")),
        ModelParameter("labels", .word, default: .text("")),
        ModelParameter("q0", .number, default: .number(1), .above(0)),
    ]

    static func jointProblem(_ v: ModelValues, naming: (String) -> String) -> String? {
        guard v["sigma_w"] != nil else { return "\(naming("sigma_w")) is needed (a number, or \"critical\" for the mean-field value)" }
        return labelColumnProblem(v, naming: naming) ?? varianceProblem(v, naming: naming)
    }

    /// The examples of a step (the batch, or the whole training set).
    static func batch(_ v: ModelValues) -> Int {
        let size = v.integer("batch_size")
        return size > 0 ? min(size, v.integer("train")) : v.integer("train")
    }

    /// Multiply-adds of the steps, with the digits' 64 inputs and 10 classes as the nominal shape,
    /// and the scoring of both sets at every logged step.
    static func cost(_ v: ModelValues) -> Double {
        let (width, depth) = (v.integer("width"), v.integer("depth"))
        let step = FiniteTraining.stepMultiplyAdds(inputs: 64, width: width, depth: depth, classes: 10, batch: batch(v))
        let score = FiniteTraining.stepMultiplyAdds(inputs: 64, width: width, depth: depth, classes: 10,
                                                    batch: v.integer("train") + v.integer("test")) / 3
        let steps = Double(v.integer("steps"))
        return steps * step + (steps / Double(max(v.integer("log_every"), 1)) + 2) * score
    }

    static let nominalThroughput = 2e9

    static func memoryEstimate(_ v: ModelValues, threads: Int) -> Double {
        FiniteTraining.memoryNeeded(width: v.integer("width"), depth: v.integer("depth"),
                                    batch: max(batch(v), v.integer("train") + v.integer("test"))) + 50e6
    }

    static func runTask(_ v: ModelValues, seed: UInt64, task: UInt64, threads: Int) throws -> (table: Table, blocks: Table) {
        let (activation, sigmaWCritical, sigmaB, q0) = try network(v)
        let split = try trainingSplit(v, shuffleSeed: UInt64(v.integer("shuffle_seed")), q0: q0)
        var descent = GradientDescent(steps: v.integer("steps"), learningRate: v.number("learning_rate"),
                                      batchSize: v.integer("batch_size") > 0 ? v.integer("batch_size") : nil,
                                      logEvery: v.integer("log_every"), centred: v.flag("centred"), seed: seed)
        descent.ntkProbes = v.integer("ntk_probes")
        descent.loss = Loss(rawValue: v.word("loss")) ?? .mse
        let training = FiniteTraining(activation: activation, sigmaW: sigmaWCritical * v.number("sigma_w_scale"), sigmaB: sigmaB,
                                      depth: v.integer("depth"), width: v.integer("width"),
                                      parameterisation: Parameterisation(rawValue: v.word("parameterisation")) ?? .ntk,
                                      descent: descent, seed: seed, q0: q0)
        return (training.run(split, threads: threads).table, Table(columns: ["block"]))
    }
}
