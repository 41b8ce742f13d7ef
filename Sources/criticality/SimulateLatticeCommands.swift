import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Propagation

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

    @OptionGroup var network: CNNOptions
    @OptionGroup var lattice: LatticeRunOptions
    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    /// The model's values as the flags give them.
    var values: ModelValues { network.values(lattice.values) }

    func validate() throws {
        do { try CNNModel.validate(values, naming: CNNModel.flag) } catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        let config = try CNNModel.configuration(values)
        let (sigmaW, sigmaB, depth, dim, size, channels, kernel, untied) = (config.sigmaW, config.sigmaB, config.depth, config.dim,
                                                                              config.size, config.channels, config.kernel, config.untied)
        let activation = config.activation
        let recordField = plot.plot != nil || lattice.field != nil
        let clock = ContinuousClock()
        let start = clock.now
        let series = CNNModel.run(config, samples: lattice.samples, seed: lattice.seed, threads: threads.threads,
                                  recordField: recordField)
        let seconds = (clock.now - start) / .seconds(1)
        let label = CNNModel.label(config)
        var metadata = runMetadata(command: "simulate cnn", seconds: seconds, threads: threads.threads)
        metadata += CNNModel.metadata(values, resolved: ["sigma_w": .number(sigmaW)], seed: lattice.seed,
                              model: untied ? "cnn-untied" : "cnn") + [
            JSONValue.Field("sigma_w_from_critical", .bool(network.sigma.critical)), JSONValue.Field("sites", .integer(config.sites)),
            JSONValue.Field("site_layers_per_second", .number(Double(config.sites * depth * lattice.samples) / seconds)),
        ]
        try emitRun(latticeTable(series, label: label), metadata: metadata, output: output)
        if let path = lattice.field, let field = series.field {
            try writeOutput(latticeFieldTable(field, valueName: "rho_x").csv(), to: path)
        }
        if let path = plot.plot {
            let title = "\(dim)D \(untied ? "locally connected (untied) " : "")CNN, C = \(channels), K = \(kernel), S = \(size), \(activation.rawValue), σ_w = \(String(format: "%.6g", sigmaW)), σ_b = \(String(format: "%.4g", sigmaB)), \(lattice.protocol.rawValue)"
            try writeFigure(latticeFigure(series, title: title, fieldLabel: "ρ_x", logField: true, start: lattice.protocol, dimension: dim).svg(), to: path)
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

    @OptionGroup var network: DPOptions
    @OptionGroup var lattice: LatticeRunOptions
    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    /// The model's values as the flags give them.
    var values: ModelValues { network.values(lattice.values) }

    func validate() throws {
        do { try DPModel.validate(values, naming: DPModel.flag) } catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        let config = try DPModel.configuration(values)
        let (dim, size, p, depth, sites) = (config.dim, config.size, config.p, config.depth, config.sites)
        let recordField = plot.plot != nil || lattice.field != nil
        let clock = ContinuousClock()
        let start = clock.now
        let series = DPModel.run(config, samples: lattice.samples, seed: lattice.seed, threads: threads.threads,
                                 recordField: recordField)
        let seconds = (clock.now - start) / .seconds(1)
        let label = DPModel.label(config)
        var metadata = runMetadata(command: "simulate dp", seconds: seconds, threads: threads.threads)
        metadata += DPModel.metadata(values, resolved: ["p": .number(p), "size": .integer(size),], seed: lattice.seed) + [
            JSONValue.Field("sites", .integer(sites)),
            JSONValue.Field("site_layers_per_second", .number(Double(sites * depth * lattice.samples) / seconds)),
        ]
        try emitRun(latticeTable(series, label: label), metadata: metadata, output: output)
        if let path = lattice.field, let field = series.field {
            try writeOutput(latticeFieldTable(field, valueName: "active").csv(), to: path)
        }
        if let path = plot.plot {
            let title = "bond DP \(dim)+1, S = \(size), p = \(String(format: "%.9g", p)), \(lattice.protocol.rawValue)"
            try writeFigure(latticeFigure(series, title: title, fieldLabel: "active", logField: false, start: lattice.protocol, dimension: dim).svg(), to: path)
        }
    }
}
