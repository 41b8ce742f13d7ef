import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Propagation

/// Options shared by `simulate cnn` and `simulate dp`: protocol, depth, sampling, outputs.
struct LatticeRunOptions: ParsableArguments {
    @Option(help: "homogeneous (every site starts active) or spreading (one active site in the middle).")
    var `protocol`: LatticeProtocol = .homogeneous

    @Option(parsing: .unconditional, help: "Independent realisations.")
    var samples: Int = 16

    @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same numbers on any thread count.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Also write the per-site field of realisation 0 (depth, site, value) to FILE.csv.", valueName: "FILE.csv"))
    var field: String?

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
    }
}

/// `criticality simulate cnn`: a finite-channel CNN on a periodic lattice.
struct SimulateCNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "Finite-channel CNN in 1D or 2D: rho(l), survival P(l), active sites N(l), spread R^2(l).",
        discussion: """
            Columns: \(latticeColumns.joined(separator: ", ")). rho is the mean over sites of 1 - c_x (c_x: cosine \
            similarity of the two channel vectors at site x); a site is active when rho_x > --epsilon (default 0: the \
            two differ in at least one bit); survival is the fraction of realisations with an active site; r2 = <sum |x - x0|^2 over active \
            sites> / <N> (spreading runs); delta_eff(l) = -ln[rho(l)/rho(l/2)] / ln 2 at even l, delta_eff_err its standard error (conservative). With -o FILE.csv a JSON \
            sidecar FILE.json holds every parameter and the timing. --plot draws rho and delta_eff (homogeneous) \
            or rho, P and N (spreading) and the space-time picture of rho_x in the longest-lived of the first 16 \
            realisations (for d = 2, the row through the seed).
            """
    )

    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation = .tanh
    @OptionGroup var sigma: SigmaWChoice
    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = 0.3
    @Option(parsing: .unconditional, help: "Spatial dimension d: 1 or 2.")
    var dim: Int = 1
    @Option(parsing: .unconditional, help: "Linear lattice size S (P = S^d sites, periodic).")
    var size: Int = 256
    @Option(parsing: .unconditional, help: "Channels C.")
    var channels: Int = 8
    @Option(parsing: .unconditional, help: "Odd kernel width K per dimension.")
    var kernel: Int = 3
    @Option(parsing: .unconditional, help: "Number of layers L.")
    var depth: Int = 256
    @Option(parsing: .unconditional, help: "Mean square norm q0 of each input channel vector.")
    var q0: Double = 1
    @Option(parsing: .unconditional, help: "Cosine similarity c0 of the two inputs (at every site, or at the seed).")
    var c0: Double = 0
    @Option(parsing: .unconditional, help: "A site is active when rho_x > epsilon (0: the two signals differ in at least one bit).")
    var epsilon: Double = 0
    @Flag(help: "Untied weights: a fresh W and b at every site (a locally connected control; all noise is local).")
    var untied = false
    @OptionGroup var lattice: LatticeRunOptions
    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try validateParameter("--sigma-b", sigmaB)
        try validateParameter("--q0", q0, strict: true)
        guard dim == 1 || dim == 2 else { throw ValidationError("--dim must be 1 or 2, got \(dim)") }
        guard size >= 1 else { throw ValidationError("--size must be at least 1, got \(size)") }
        guard channels >= 1 else { throw ValidationError("--channels must be at least 1, got \(channels)") }
        guard kernel >= 1, kernel % 2 == 1 else { throw ValidationError("--kernel must be odd and positive, got \(kernel)") }
        guard kernel <= size else { throw ValidationError("--kernel \(kernel) exceeds --size \(size)") }
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1, got \(depth)") }
        guard c0.isFinite, c0 >= -1, c0 < 1 else { throw ValidationError("--c0 must lie in [-1, 1), got \(c0)") }
        try validateParameter("--epsilon", epsilon)
    }

    func run() throws {
        let sigmaW = try sigma.resolve(activation: activation, sigmaB: sigmaB, q0: q0)
        var configuration = CNNConfiguration(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB, dim: dim, size: size,
                                      channels: channels, kernel: kernel, depth: depth, start: lattice.protocol, q0: q0, c0: c0)
        configuration.epsilon = epsilon
        configuration.untied = untied
        let config = configuration
        try config.validate()
        let recordField = plot.plot != nil || lattice.field != nil
        let clock = ContinuousClock()
        let start = clock.now
        let series = LatticeSimulation.run(depth: depth, samples: lattice.samples, seed: lattice.seed, blockSize: 1,
                                           threads: threads.threads, recordField: recordField) { key, record in
            runCNNRealisation(config, key: key, recordField: record)
        }
        let seconds = (clock.now - start) / .seconds(1)
        let label = LatticeRunLabel(model: untied ? "cnn-untied" : "cnn", start: lattice.protocol, activation: activation.rawValue, sigmaW: sigmaW,
                                    sigmaB: sigmaB, channels: channels, kernel: kernel, dim: dim, size: size)
        var metadata = runMetadata(command: "simulate cnn", seconds: seconds, threads: threads.threads)
        metadata += [
            JSONValue.Field("model", .string(untied ? "cnn-untied" : "cnn")), JSONValue.Field("protocol", .string(lattice.protocol.rawValue)),
            JSONValue.Field("activation", .string(activation.rawValue)), JSONValue.Field("sigma_w", .number(sigmaW)),
            JSONValue.Field("sigma_w_from_critical", .bool(sigma.critical)), JSONValue.Field("sigma_b", .number(sigmaB)),
            JSONValue.Field("dim", .integer(dim)), JSONValue.Field("size", .integer(size)),
            JSONValue.Field("sites", .integer(config.sites)), JSONValue.Field("channels", .integer(channels)),
            JSONValue.Field("kernel", .integer(kernel)), JSONValue.Field("depth", .integer(depth)),
            JSONValue.Field("q0", .number(q0)), JSONValue.Field("c0", .number(c0)), JSONValue.Field("epsilon", .number(epsilon)),
            JSONValue.Field("untied", .bool(untied)),
            JSONValue.Field("samples", .integer(lattice.samples)), JSONValue.Field("seed", .integer(Int(truncatingIfNeeded: lattice.seed))),
            JSONValue.Field("site_layers_per_second", .number(Double(config.sites * depth * lattice.samples) / seconds)),
        ]
        try emitRun(latticeTable(series, label: label), metadata: metadata, output: output)
        if let path = lattice.field, let field = series.field {
            try writeAtomically(latticeFieldTable(field, valueName: "rho_x").csv(), to: path)
        }
        if let path = plot.plot {
            let title = "\(dim)D \(untied ? "locally connected (untied) " : "")CNN, C = \(channels), K = \(kernel), S = \(size), \(activation.rawValue), σ_w = \(String(format: "%.6g", sigmaW)), σ_b = \(String(format: "%.4g", sigmaB)), \(lattice.protocol.rawValue)"
            try writeFigure(latticeFigure(series, title: title, fieldLabel: "ρ_x", logField: true, start: lattice.protocol).svg(), to: path)
        }
    }
}

/// `criticality simulate dp`: bond directed percolation, the reference model.
struct SimulateDPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dp",
        abstract: "Bond directed percolation in 1+1 or 2+1 dimensions: the reference for every analysis.",
        discussion: """
            Same columns as simulate cnn (\(latticeColumns.joined(separator: ", "))), with rho the density of \
            active sites and p the bond probability (p_c = \(DirectedPercolationConfiguration.criticalP) on the \
            tilted square lattice in 1+1 dimensions, \(DirectedPercolationConfiguration.criticalP2D) on the bcc \
            lattice in 2+1). --plot draws rho and delta_eff (homogeneous) or rho, P and \
            N (spreading) and the space-time picture of one realisation (for d = 2, the row through the seed).
            """
    )

    @Option(parsing: .unconditional, help: "Spatial dimension d: 1 (1+1 dimensions) or 2 (2+1).")
    var dim: Int = 1
    @Option(parsing: .unconditional, help: "Linear size S: S^d sites, periodic (default 4096 for d = 1, 256 for d = 2).")
    var size: Int?
    @Option(name: .customLong("p"), parsing: .unconditional, help: "Bond probability p (default: p_c in d + 1 dimensions).")
    var p: Double?
    @Option(parsing: .unconditional, help: "Number of time steps (layers) L.")
    var depth: Int = 1000
    @OptionGroup var lattice: LatticeRunOptions
    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard dim == 1 || dim == 2 else { throw ValidationError("--dim must be 1 or 2, got \(dim)") }
        if let size, size < 2 { throw ValidationError("--size must be at least 2, got \(size)") }
        if dim == 2, let size, size > 1 << 14 { throw ValidationError("--size is limited to 16384 in 2+1 dimensions, got \(size)") }
        if let p, !(p.isFinite && p >= 0 && p <= 1) { throw ValidationError("--p must lie in [0, 1], got \(p)") }
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1, got \(depth)") }
    }

    func run() throws {
        let size = self.size ?? (dim == 1 ? 4096 : 256)
        let p = self.p ?? DirectedPercolationConfiguration.critical(dim: dim)
        let sites = dim == 1 ? size : size * size
        let config = DirectedPercolationConfiguration(dim: dim, size: size, p: p, depth: depth, start: lattice.protocol)
        try config.validate()
        let recordField = plot.plot != nil || lattice.field != nil
        let clock = ContinuousClock()
        let start = clock.now
        let series = LatticeSimulation.run(depth: depth, samples: lattice.samples, seed: lattice.seed, blockSize: 16,
                                           threads: threads.threads, recordField: recordField) { key, record in
            runDirectedPercolation(config, key: key, recordField: record)
        }
        let seconds = (clock.now - start) / .seconds(1)
        let label = LatticeRunLabel(model: "dp", start: lattice.protocol, p: p, dim: dim, size: size)
        var metadata = runMetadata(command: "simulate dp", seconds: seconds, threads: threads.threads)
        metadata += [
            JSONValue.Field("model", .string("dp")), JSONValue.Field("protocol", .string(lattice.protocol.rawValue)),
            JSONValue.Field("p", .number(p)), JSONValue.Field("dim", .integer(dim)), JSONValue.Field("size", .integer(size)),
            JSONValue.Field("sites", .integer(sites)),
            JSONValue.Field("depth", .integer(depth)), JSONValue.Field("samples", .integer(lattice.samples)),
            JSONValue.Field("seed", .integer(Int(truncatingIfNeeded: lattice.seed))),
            JSONValue.Field("site_layers_per_second", .number(Double(sites * depth * lattice.samples) / seconds)),
        ]
        try emitRun(latticeTable(series, label: label), metadata: metadata, output: output)
        if let path = lattice.field, let field = series.field {
            try writeAtomically(latticeFieldTable(field, valueName: "active").csv(), to: path)
        }
        if let path = plot.plot {
            let title = "bond DP \(dim)+1, S = \(size), p = \(String(format: "%.9g", p)), \(lattice.protocol.rawValue)"
            try writeFigure(latticeFigure(series, title: title, fieldLabel: "active", logField: false, start: lattice.protocol).svg(), to: path)
        }
    }
}
