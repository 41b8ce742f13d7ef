import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import Propagation

extension DirectedPercolationConfiguration.NoiseLaw: ExpressibleByArgument {}

/// Bond directed percolation (docs/models.md, "Bond directed percolation"), the calibration model,
/// described once for `simulate dp` and for campaigns (`model = "dp"`).
///
/// To add a parameter: a ``ModelParameter`` in ``parameters``, an `@Option` in ``DPOptions``, its
/// entry in ``DPOptions/values(_:)`` and its use in ``configuration(_:)`` — all in this file.
enum DPModel: LatticeModel {
    static let name = "dp"

    static let parameters: [ModelParameter] = [
        ModelParameter("dim", .integer, default: .integer(1), .oneOf([1, 2])),
        // Default 4096 sites in 1+1 dimensions, 256 × 256 in 2+1 (see ``configuration(_:)``).
        ModelParameter("size", .integer, .atLeast(2)),
        // Default: p_c of the lattice.
        ModelParameter("p", .number, .within(0, 1, upperOpen: false)),
        ModelParameter("depth", .integer, default: .integer(1000), .atLeast(1)),
        ModelParameter("p_noise", .number, default: .number(0), .within(0, 1, upperOpen: false)),
        ModelParameter("p_noise_law", .word, default: .text(DirectedPercolationConfiguration.NoiseLaw.gaussian.rawValue),
                       .word(DirectedPercolationConfiguration.NoiseLaw.allCases.map(\.rawValue))),
        ModelParameter("p_noise_hold", .integer, default: .integer(1), .atLeast(1)),
    ] + LatticeParameters.shared

    /// The lattice size: as given, or 4096 sites in 1+1 dimensions and 256 × 256 in 2+1.
    static func size(_ v: ModelValues) -> Int {
        v.has("size") ? v.integer("size") : (v.integer("dim") == 2 ? 256 : 4096)
    }

    static func jointProblem(_ v: ModelValues, naming: (String) -> String) -> String? {
        if v.integer("dim") == 2, v.has("size"), v.integer("size") > 1 << 14 {
            return "\(naming("size")) is limited to 16384 in 2+1 dimensions, got \(v.integer("size"))"
        }
        return nil
    }

    static func cost(_ v: ModelValues) -> Double {
        let size = Double(size(v))
        let sites = v.integer("dim") == 2 ? size * size : size
        let work = Double(v.integer("depth")) * Double(v.integer("samples"))
        // Spreading runs visit only their cluster: about 100 site-steps per layer and run (measured at p_c).
        return v.word("protocol") == LatticeProtocol.spreading.rawValue ? 100 * work : sites * work
    }

    static let nominalThroughput = 1e9

    /// Per block of 16 realisations its per-layer accumulators (about 110 bytes a layer); per
    /// thread two bit-packed rows and the bond words.
    static func memoryEstimate(_ v: ModelValues, threads: Int) -> Double {
        let size = Double(size(v))
        let sites = v.integer("dim") == 2 ? size * size : size
        let depth = Double(v.integer("depth"))
        let accumulators = latticeAccumulatorBytes(samples: v.integer("samples"), depth: v.integer("depth"), minimumBlock: 16)
        return 1.2 * (accumulators + Double(threads) * (sites / 2 + 48 * depth) + 8 * 1048576) + 16e6
    }

    static func configuration(_ v: ModelValues) throws -> DirectedPercolationConfiguration {
        let dim = v.integer("dim")
        var config = DirectedPercolationConfiguration(
            dim: dim, size: size(v),
            p: v.has("p") ? v.number("p") : DirectedPercolationConfiguration.critical(dim: dim), depth: v.integer("depth"),
            start: LatticeProtocol(rawValue: v.word("protocol")) ?? .homogeneous)
        config.pNoise = v.number("p_noise")
        config.pNoiseLaw = DirectedPercolationConfiguration.NoiseLaw(rawValue: v.word("p_noise_law")) ?? .gaussian
        config.pNoiseHold = v.integer("p_noise_hold")
        try config.validate()
        return config
    }

    static func label(_ c: DirectedPercolationConfiguration) -> LatticeRunLabel {
        LatticeRunLabel(model: "dp", start: c.start, p: c.p, dim: c.dim, size: c.size)
    }

    static func run(_ c: DirectedPercolationConfiguration, samples: Int, seed: UInt64, task: UInt64 = 0, threads: Int,
                    recordField: Bool) -> LatticeSeries {
        LatticeSimulation.run(depth: c.depth, samples: samples, seed: seed, task: task,
                              blockSize: latticeBlockSize(samples: samples, minimum: 16), threads: threads,
                              recordField: recordField) { key, record in
            runDirectedPercolation(c, key: key, recordField: record)
        }
    }
}

/// The options of `simulate dp` that describe the lattice (defaults and validation from ``DPModel``).
struct DPOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Spatial dimension d: 1 (1+1 dimensions) or 2 (2+1).")
    var dim: Int = DPModel.defaultInteger("dim")
    @Option(parsing: .unconditional, help: "Linear size S: S^d sites, periodic (default 4096 for d = 1, 256 for d = 2).")
    var size: Int?
    @Option(name: .customLong("p"), parsing: .unconditional, help: "Bond probability p (default: p_c in d + 1 dimensions).")
    var p: Double?
    @Option(parsing: .unconditional, help: "Number of time steps (layers) L.")
    var depth: Int = DPModel.defaultInteger("depth")
    @Option(name: .customLong("p-noise"), parsing: .unconditional,
            help: "Temporal disorder: p_t = p + p_noise xi_t, one Gaussian xi_t per time step for the whole lattice (0: plain DP).")
    var pNoise: Double = DPModel.defaultNumber("p_noise")
    @Option(name: .customLong("p-noise-law"), parsing: .unconditional,
            help: "The law of xi_t: gaussian, or binary (xi_t = +1 or -1 with probability 1/2; bounded disorder).")
    var pNoiseLaw: DirectedPercolationConfiguration.NoiseLaw = .gaussian
    @Option(name: .customLong("p-noise-hold"), parsing: .unconditional,
            help: "Time steps that share one xi_t (1: a new one every step).")
    var pNoiseHold: Int = DPModel.defaultInteger("p_noise_hold")

    /// The model's values as the flags give them, with the lattice options `shared`.
    func values(_ shared: [String: ParameterValue]) -> ModelValues {
        var v: [String: ParameterValue] = ["dim": .integer(dim), "depth": .integer(depth), "p_noise": .number(pNoise),
                                           "p_noise_law": .text(pNoiseLaw.rawValue), "p_noise_hold": .integer(pNoiseHold)]
        if let size { v["size"] = .integer(size) }
        if let p { v["p"] = .number(p) }
        return DPModel.values(shared.merging(v) { $1 })
    }
}
