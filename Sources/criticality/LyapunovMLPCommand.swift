import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting
import Propagation

/// `criticality lyapunov …`: maximum Lyapunov exponents of finite networks.
struct LyapunovGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lyapunov",
        abstract: "Maximum Lyapunov exponents of finite networks and the finite-width edge of chaos.",
        subcommands: [LyapunovMLPCommand.self, LyapunovCNNCommand.self, LyapunovMNLatticeCommand.self]
    )
}

/// `criticality lyapunov mlp`: λ(n) against σ_w and its zero.
struct LyapunovMLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Maximum Lyapunov exponent of a finite-width MLP, at one sigma_w or along a scan, and where it vanishes.",
        discussion: """
            A tangent vector v is propagated with the same weights, v' = W (phi'(h) * v), and renormalised
            every layer; lambda is the mean log growth per layer after the burn-in, averaged over realisations
            (error: standard error over realisations). All sigma_w use the same random streams, so lambda(sigma_w)
            is smooth. With --scan, the finite-width boundary (lambda = 0) is located between the bracketing
            points and re-measured there; it is printed on stderr and stored in the JSON output/sidecar.
            Columns: model, activation, sigma_w, sigma_b, width, depth, burn_in, lambda, lambda_err,
            lambda_mf (= 1/2 ln chi1), samples, seed.
            """
    )

    @OptionGroup var network: MLPOptions

    @Option(name: .customLong("sigma-w"), parsing: .unconditional, help: "A single sigma_w.")
    var sigmaW: Double?

    @Option(help: ArgumentHelp("Scan sigma_w over FROM:TO:STEPS and locate lambda = 0.", valueName: "FROM:TO:STEPS"), transform: parseGrid)
    var scan: ParameterGrid?

    @Option(parsing: .unconditional, help: "Number of layers L.")
    var depth: Int = 200

    @Option(name: .customLong("burn-in"), parsing: .unconditional, help: "Layers discarded before averaging the growth.")
    var burnIn: Int = 20

    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (sigmaW == nil) != (scan == nil) else { throw ValidationError("give exactly one of --sigma-w X and --scan FROM:TO:STEPS") }
        try validateParameter("--sigma-w", sigmaW)
        if let scan { try validateGrid("--scan", scan) }
        for w in [sigmaW, scan?.from, scan?.to].compactMap({ $0 }) {
            if let problem = MLPModel.varianceProblem(network.values(depth: depth, sigmaW: .number(w)), naming: MLPModel.flag) {
                throw ValidationError(problem)
            }
        }
        guard burnIn >= 1, depth > burnIn else {
            throw ValidationError("--burn-in must be at least 1 and below --depth (got \(burnIn) and \(depth))")
        }
    }

    func run() throws {
        let n = network
        let inputs = try n.inputPairs()
        let config = MLPConfiguration(activation: n.activation, sigmaW: 0, sigmaB: n.sigmaB, width: n.width,
                                      depth: depth, method: n.method, tangent: true)
        let clock = ContinuousClock()
        let start = clock.now
        let values = scan?.values ?? [sigmaW!]
        let points = try values.map {
            try LyapunovScan.point(config, sigmaW: $0, inputs: inputs, samples: n.samples, seed: n.seed,
                                   burnIn: burnIn, threads: threads.threads)
        }
        let root = scan == nil ? nil : try LyapunovScan.root(of: points, config, inputs: inputs, samples: n.samples,
                                                             seed: n.seed, burnIn: burnIn, threads: threads.threads)
        let seconds = (clock.now - start) / .seconds(1)
        let meanFieldCritical = try? CriticalLine.sigmaWCritical(activation: n.activation, sigmaB: n.sigmaB)

        var table = Table(columns: ["model", "activation", "sigma_w", "sigma_b", "width", "depth", "burn_in",
                                    "lambda", "lambda_err", "lambda_mf", "samples", "seed"])
        for p in points {
            table.append([.text("mlp"), .text(n.activation.rawValue), .number(p.sigmaW), .number(n.sigmaB),
                          .integer(n.width), .integer(depth), .integer(burnIn), .number(p.lambda),
                          .number(p.lambdaError), .number(p.meanField), .integer(n.samples),
                          .unsigned(n.seed)])
        }
        var boundary: JSONValue = .null
        if let root {
            boundary = .object(["sigma_w": .number(root.sigmaW), "sigma_w_err": .number(root.error),
                                "lambda_at_root": .number(root.lambdaAtRoot), "lambda_err_at_root": .number(root.lambdaErrorAtRoot),
                                "slope": .number(root.slope)])
            noteOnStderr(String(format: "finite-width boundary (n = %d): sigma_w = %.6f +- %.6f (mean field: %.6f)",
                                n.width, root.sigmaW, root.error, meanFieldCritical ?? .nan))
        } else if scan != nil {
            noteOnStderr("lambda does not change sign from negative to positive along the scan: no boundary located")
        }
        var metadata = runMetadata(command: "lyapunov mlp", seconds: seconds, threads: threads.threads)
        metadata += [
            JSONValue.Field("model", .string("mlp")), JSONValue.Field("method", .string(n.method.rawValue)),
            JSONValue.Field("activation", .string(n.activation.rawValue)), JSONValue.Field("sigma_b", .number(n.sigmaB)),
            JSONValue.Field("width", .integer(n.width)), JSONValue.Field("depth", .integer(depth)),
            JSONValue.Field("burn_in", .integer(burnIn)), JSONValue.Field("samples", .integer(n.samples)),
            JSONValue.Field("seed", .unsigned(n.seed)),
            JSONValue.Field("input", n.inputMetadata(inputs)),
            JSONValue.Field("boundary", boundary),
            JSONValue.Field("sigma_w_c_mean_field", .number(meanFieldCritical)),
        ]
        try emitRun(table, metadata: metadata, output: output)
        if let path = plot.plot {
            try writeFigure(lyapunovFigure(points, root: root, config: config, meanFieldCritical: meanFieldCritical).svg(), to: path)
        }
    }
}

/// λ(n) against σ_w with error bars, the mean-field ½ ln χ₁, and the located zero.
func lyapunovFigure(_ points: [LyapunovPoint], root: LyapunovRoot?, config: MLPConfiguration, meanFieldCritical: Double?) -> Figure {
    let sorted = points.sorted { $0.sigmaW < $1.sigmaW }
    let x = sorted.map(\.sigmaW)
    var series = [Series(name: "λ, n = \(config.width)", x: x, y: sorted.map(\.lambda), yError: sorted.map(\.lambdaError),
                         style: .lineAndMarkers, color: Color.palette[0])]
    if let lo = x.first, let hi = x.last, hi > lo {
        let dense = (0...200).map { lo + (hi - lo) * Double($0) / 200 }
        let mf = dense.map { LyapunovScan.meanFieldLyapunov(activation: config.activation, sigmaW: $0, sigmaB: config.sigmaB) }
        let keep = mf.indices.filter { mf[$0].isFinite }
        series.append(Series(name: "mean field ½ ln χ₁", x: keep.map { dense[$0] }, y: keep.map { mf[$0] },
                             color: Color(r: 40, g: 40, b: 40), dashed: true, lineWidth: 1.5))
        series.append(Series(name: "", x: [lo, hi], y: [0, 0], color: Color(r: 150, g: 150, b: 150), lineWidth: 1))
    }
    if let root {
        series.append(Series(name: String(format: "λ = 0 at σ_w = %.4f ± %.4f", root.sigmaW, root.error),
                             x: [root.sigmaW], y: [root.lambdaAtRoot], yError: [root.lambdaErrorAtRoot],
                             style: .markers, marker: .diamond, color: Color.palette[1]))
    }
    var title = "\(config.activation.rawValue) MLP, σ_b = \(String(format: "%.4g", config.sigmaB)): λ(σ_w)"
    if let c = meanFieldCritical { title += String(format: ", mean-field σ_w,c = %.4f", c) }
    return Figure(title: title, xAxis: Axis(label: "σ_w"), yAxis: Axis(label: "λ per layer"), series: series,
                  legendPosition: .topLeft)
}
