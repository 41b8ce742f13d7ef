import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import MeanField
import Propagation

/// The finite-channel CNN (docs/models.md, "Convolutional network (CNN)"), described once for
/// `simulate cnn` and for campaigns (`model = "cnn"`).
///
/// To add a parameter: a ``ModelParameter`` in ``parameters``, an `@Option` in ``CNNOptions``
/// (default read from the parameter), its entry in ``CNNOptions/values``, and its use in
/// ``configuration(_:)`` (and, if it should appear in the CSV, in ``label(_:)``) — all in this file.
enum CNNModel: LatticeModel {
    static let name = "cnn"

    static let parameters: [ModelParameter] = [
        ModelParameter("activation", .word, default: .text("tanh"), .activation),
        ModelParameter("sigma_w", .numberOr(["critical"]), .atLeast(0)),
        ModelParameter("sigma_b", .number, default: .number(0.3), .atLeast(0)),
        ModelParameter("dim", .integer, default: .integer(1), .oneOf([1, 2])),
        ModelParameter("size", .integer, default: .integer(256), .atLeast(1)),
        ModelParameter("channels", .integer, default: .integer(8), .atLeast(1)),
        ModelParameter("kernel", .integer, default: .integer(3), .oddPositive),
        ModelParameter("depth", .integer, default: .integer(256), .atLeast(1)),
        ModelParameter("q0", .number, default: .number(1), .above(0)),
        ModelParameter("c0", .number, default: .number(0), .within(-1, 1, upperOpen: true)),
        ModelParameter("epsilon", .number, default: .number(0), .atLeast(0)),
        ModelParameter("cutoff", .number, default: .number(0), .within(0, 1, upperOpen: true)),
        ModelParameter("untied", .boolean, default: .text("false")),
        ModelParameter("float32", .boolean, default: .text("false")),
    ] + LatticeParameters.shared

    static func jointProblem(_ v: ModelValues, naming: (String) -> String) -> String? {
        if v["sigma_w"] == nil { return "\(naming("sigma_w")) is needed (a number, or \"critical\" for the mean-field value)" }
        if v.integer("kernel") > v.integer("size") {
            return "\(naming("kernel")) \(v.integer("kernel")) exceeds \(naming("size")) \(v.integer("size"))"
        }
        return varianceProblem(v, naming: naming)
    }

    static func cost(_ v: ModelValues) -> Double {
        let dim = Double(v.integer("dim")), size = Double(v.integer("size"))
        let c = Double(v.integer("channels")), k = Double(v.integer("kernel"))
        let sites = dim == 2 ? size * size : size
        return sites * Double(v.integer("depth")) * Double(v.integer("samples")) * (2 * c * c * Foundation.pow(k, dim) + 20 * c)
    }

    static let nominalThroughput = 3e10

    /// Per block of realisations (one realisation each up to 256, at most 256 blocks) its per-layer
    /// accumulators, kept until the end; per thread the workspace (six planes of C channels with
    /// halos, weights).
    static func memoryEstimate(_ v: ModelValues, threads: Int) -> Double {
        let dim = Double(v.integer("dim")), size = Double(v.integer("size")), c = Double(v.integer("channels"))
        let k = Double(v.integer("kernel")), depth = Double(v.integer("depth"))
        let padded = size + k + 8
        let plane = dim == 2 ? padded * padded : padded
        let perThread = 8 * (6 * c * plane + 2 * c * c * Foundation.pow(k, dim)) + 8 * 2 * c * plane + 48 * depth
        let accumulators = latticeAccumulatorBytes(samples: v.integer("samples"), depth: v.integer("depth"), minimumBlock: 1)
        return 1.2 * (accumulators + Double(threads) * perThread + 8 * 1048576) + 16e6
    }

    /// The network; σ_w = "critical" is the mean-field σ_w,c at (σ_b, q₀).
    static func configuration(_ v: ModelValues) throws -> CNNConfiguration {
        let (activation, sigmaW, sigmaB, q0) = try network(v)
        var config = CNNConfiguration(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB, dim: v.integer("dim"),
                                      size: v.integer("size"), channels: v.integer("channels"), kernel: v.integer("kernel"),
                                      depth: v.integer("depth"), start: LatticeProtocol(rawValue: v.word("protocol")) ?? .homogeneous,
                                      q0: q0, c0: v.number("c0"))
        config.epsilon = v.number("epsilon")
        config.cutoff = v.number("cutoff")
        config.untied = v.flag("untied")
        config.float32 = v.flag("float32")
        try config.validate()
        return config
    }

    /// The run columns of the CSV.
    static func label(_ c: CNNConfiguration) -> LatticeRunLabel {
        LatticeRunLabel(model: c.untied ? "cnn-untied" : "cnn", start: c.start, activation: c.activation.rawValue,
                        sigmaW: c.sigmaW, sigmaB: c.sigmaB, channels: c.channels, kernel: c.kernel, dim: c.dim, size: c.size)
    }

    /// Runs `samples` realisations (fields recorded when asked).
    static func run(_ c: CNNConfiguration, samples: Int, seed: UInt64, task: UInt64 = 0, threads: Int,
                    recordField: Bool) -> LatticeSeries {
        LatticeSimulation.run(depth: c.depth, samples: samples, seed: seed, task: task,
                              blockSize: latticeBlockSize(samples: samples, minimum: 1), threads: threads,
                              recordField: recordField) { key, record in
            runCNNRealisation(c, key: key, recordField: record)
        }
    }
}

/// The options of `simulate cnn` that describe the network (defaults and validation from ``CNNModel``).
struct CNNOptions: ParsableArguments {
    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation = .tanh
    @OptionGroup var sigma: SigmaWChoice
    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = CNNModel.defaultNumber("sigma_b")
    @Option(parsing: .unconditional, help: "Spatial dimension d: 1 or 2.")
    var dim: Int = CNNModel.defaultInteger("dim")
    @Option(parsing: .unconditional, help: "Linear lattice size S (P = S^d sites, periodic).")
    var size: Int = CNNModel.defaultInteger("size")
    @Option(parsing: .unconditional, help: "Channels C.")
    var channels: Int = CNNModel.defaultInteger("channels")
    @Option(parsing: .unconditional, help: "Odd kernel width K per dimension.")
    var kernel: Int = CNNModel.defaultInteger("kernel")
    @Option(parsing: .unconditional, help: "Number of layers L.")
    var depth: Int = CNNModel.defaultInteger("depth")
    @Option(parsing: .unconditional, help: "Mean square norm q0 of each input channel vector.")
    var q0: Double = CNNModel.defaultNumber("q0")
    @Option(parsing: .unconditional, help: "Cosine similarity c0 of the two inputs (at every site, or at the seed).")
    var c0: Double = CNNModel.defaultNumber("c0")
    @Option(parsing: .unconditional, help: "A site is active when rho_x > epsilon (0: the two signals differ in at least one bit).")
    var epsilon: Double = CNNModel.defaultNumber("epsilon")
    @Option(parsing: .unconditional, help: "Sites with rho_x below the cutoff are set exactly equal after each layer (a local absorbing state; 0: only bitwise equality).")
    var cutoff: Double = CNNModel.defaultNumber("cutoff")
    @Flag(help: "Untied weights: a fresh W and b at every site (a locally connected control; all noise is local).")
    var untied = false
    @Flag(help: "Store both signals in float32 after each layer (emulated finite precision: the arithmetic stays double).")
    var float32 = false

    /// The model's values as the flags give them, with the lattice options `shared`.
    func values(_ shared: [String: ParameterValue]) -> ModelValues {
        CNNModel.values(shared.merging([
            "activation": .text(activation.rawValue), "sigma_b": .number(sigmaB), "dim": .integer(dim), "size": .integer(size),
            "channels": .integer(channels), "kernel": .integer(kernel), "depth": .integer(depth), "q0": .number(q0),
            "c0": .number(c0), "epsilon": .number(epsilon), "cutoff": .number(cutoff), "untied": .text(untied ? "true" : "false"),
            "float32": .text(float32 ? "true" : "false"), "sigma_w": sigma.value ?? .text("critical"),
        ]) { $1 })
    }
}
