import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting
import Propagation

/// `criticality simulate …`: finite networks, realisation by realisation.
struct SimulateGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate finite networks: the order parameter rho(l) with error bars, layer by layer.",
        subcommands: [SimulateMLPCommand.self, SimulateCNNCommand.self, SimulateDPCommand.self, SimulateNoisyMapCommand.self, SimulateMNLatticeCommand.self]
    )
}

/// `criticality simulate mlp`: ρ(l), q(l) and the absorbed fraction of a finite-width MLP.
struct SimulateMLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Finite-width MLP: rho(l) and q(l) with standard errors over realisations, and the absorbed fraction.",
        discussion: """
            Columns: model, method, activation, sigma_w, sigma_b, width, depth, rho, rho_err, q, q_err,
            absorbed (fraction of realisations whose two signals have been bitwise identical by this layer),
            rho_mf (the mean-field trajectory from the same q0, c0; empty for data inputs), samples, seed.
            With -o FILE.csv a JSON sidecar FILE.json holds every parameter, the timing and the mean-field values.
            """
    )

    @OptionGroup var network: MLPOptions
    @OptionGroup var sigma: SigmaWChoice

    @Option(parsing: .unconditional, help: "Number of layers L.")
    var depth: Int = 256

    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    /// The model's values as the flags give them.
    var values: ModelValues { network.values(depth: depth, sigmaW: sigma.value) }

    func validate() throws {
        do { try MLPModel.validate(values, naming: MLPModel.flag) } catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        let n = network
        let (config, synthetic) = try MLPModel.configuration(values)
        let sigmaW = config.sigmaW
        let inputs = n.input == nil ? synthetic : try n.inputPairs()
        let clock = ContinuousClock()
        let start = clock.now
        let series = try MLPSimulation.run(config, inputs: inputs, samples: n.samples, seed: n.seed, threads: threads.threads)
        let seconds = (clock.now - start) / .seconds(1)
        let reference = try? MeanFieldReference(config: config, inputs: inputs)
        let table = mlpTable(series, reference: reference)
        var metadata = runMetadata(command: "simulate mlp", seconds: seconds, threads: threads.threads)
        metadata += MLPModel.metadata(values, resolved: ["sigma_w": .number(sigmaW)], seed: n.seed) + [
            JSONValue.Field("sigma_w_from_critical", .bool(sigma.critical)),
            JSONValue.Field("input", n.inputMetadata(inputs)),
            JSONValue.Field("neuron_layers_per_second", .number(Double(config.width * depth * n.samples) / seconds)),
            JSONValue.Field("mean_field", reference?.json ?? .null),
        ]
        try emitRun(table, metadata: metadata, output: output)
        if let path = plot.plot { try writeFigure(mlpFigure([series], reference: reference).svg(), to: path) }
    }
}

/// The mean-field values a finite-width run is compared with.
struct MeanFieldReference {
    let point: MeanFieldPoint
    /// The mean-field ρ^l from the same synthetic input (nil for data inputs).
    let trajectory: Trajectory?

    init(config: MLPConfiguration, inputs: InputPairs) throws {
        let network = try MeanFieldNetwork(activation: config.activation, sigmaW: config.sigmaW, sigmaB: config.sigmaB)
        if case .synthetic(_, let q0, let rho0) = inputs {
            point = try network.point(q0: q0)
            trajectory = try Trajectory(network: network, q0: q0, rho0: rho0, depth: config.depth)
        } else {
            point = try network.point()
            trajectory = nil
        }
    }

    var json: JSONValue {
        .object(["q_star": .number(point.qStar), "chi1": .number(point.chi1), "rho_star": .number(point.rhoStar),
                 "kappa": .number(point.kappa), "lyapunov": .number(point.lyapunov), "phase": .string(point.phase.rawValue)])
    }
}

let mlpColumns = ["model", "method", "activation", "sigma_w", "sigma_b", "width", "depth", "rho", "rho_err",
                  "q", "q_err", "absorbed", "rho_mf", "samples", "seed"]

/// One row per layer of one run.
func mlpTable(_ series: MLPSeries, reference: MeanFieldReference?) -> Table {
    var t = Table(columns: mlpColumns)
    let c = series.configuration
    for l in 1...c.depth {
        let mf: Table.Cell = reference?.trajectory.map { .number($0.rho[l - 1]) } ?? .missing
        t.append([.text("mlp"), .text(c.method.rawValue), .text(c.activation.rawValue), .number(c.sigmaW),
                  .number(c.sigmaB), .integer(c.width), .integer(l), .number(series.rho[l - 1].value),
                  .number(series.rho[l - 1].standardError), .number(series.q[l - 1].value),
                  .number(series.q[l - 1].standardError), .number(series.absorbedFraction(l)), mf,
                  .integer(series.samples), .unsigned(series.seed)])
    }
    return t
}

/// ρ(l) of finite-width runs on log-log axes, with error bars, the mean-field trajectory and,
/// near criticality, the asymptote 1/(κ l).
func mlpFigure(_ runs: [MLPSeries], reference: MeanFieldReference?) -> Figure {
    var series: [Series] = []
    for (k, run) in runs.enumerated() {
        let c = run.configuration
        let (l, rho, err) = logSpacedPoints(run)
        series.append(Series(name: "n = \(c.width) (\(run.samples) samples)", x: l, y: rho, yError: err,
                             style: .markers, color: Color.palette[k % Color.palette.count]))
    }
    let c = runs[0].configuration
    let depths = (1...c.depth).map(Double.init)
    if let reference, let trajectory = reference.trajectory {
        series.append(Series(name: "mean field (n → ∞)", x: depths, y: trajectory.rho, color: Color(r: 40, g: 40, b: 40), lineWidth: 1.5))
    }
    if let p = reference?.point, abs(p.chi1 - 1) < 1e-6, p.kappa.isFinite {
        series.append(Series(name: "1/(κ l), κ = \(String(format: "%.4g", p.kappa))", x: depths,
                             y: depths.map { 1 / (p.kappa * $0) }, color: Color(r: 120, g: 120, b: 120), dashed: true, lineWidth: 1.5))
    }
    let title = "\(c.activation.rawValue) MLP: σ_w = \(String(format: "%.6g", c.sigmaW)), σ_b = \(String(format: "%.4g", c.sigmaB))"
    return Figure(title: title, xAxis: Axis(label: "layer l", scale: .log), yAxis: Axis(label: "ρ = 1 − c", scale: .log),
                  series: series, legendPosition: .bottomLeft)
}

/// About 40 log-spaced layers (all layers when L ≤ 40), skipping non-positive ρ, for markers.
func logSpacedPoints(_ run: MLPSeries) -> (l: [Double], rho: [Double], err: [Double]) {
    let depth = run.configuration.depth
    var layers = Set<Int>()
    if depth <= 40 { layers = Set(1...depth) } else {
        for k in 0...40 { layers.insert(Int((pow(Double(depth), Double(k) / 40)).rounded())) }
    }
    var l: [Double] = [], rho: [Double] = [], err: [Double] = []
    for layer in layers.sorted() where layer >= 1 && layer <= depth {
        let m = run.rho[layer - 1]
        guard m.value > 0 else { continue }
        l.append(Double(layer)); rho.append(m.value); err.append(m.standardError.isFinite ? m.standardError : 0)
    }
    return (l, rho, err)
}
