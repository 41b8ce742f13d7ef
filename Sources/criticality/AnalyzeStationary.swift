import ArgumentParser
import CriticalityCore
import Foundation
import Plotting
import Scaling

/// `criticality analyze stationary`: β from the stationary order parameter of active runs.
struct AnalyzeStationary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stationary",
        abstract: "Exponent beta from the stationary values rho* ~ (x - x_c)^beta of the active runs of a scan.",
        discussion: """
            rho* is each run's mean over its last octave of depth. x_c comes from --critical (with \
            --critical-err), or from the scan itself as in analyze critical-point. Runs closer to x_c than \
            --min-distance are left out: they have not reached their plateau.
            """
    )

    @OptionGroup var input: AnalysisInputOptions

    @Option(parsing: .unconditional, help: "The critical control value (default: located from the scan).")
    var critical: Double?

    @Option(name: .customLong("critical-err"), parsing: .unconditional, help: "Its standard error.")
    var criticalError: Double = 0

    @Option(name: .customLong("min-distance"), parsing: .unconditional, help: "Leave out runs closer to x_c than this.")
    var minDistance: Double = 0

    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    func run() throws {
        let data = try input.load()
        let observable = input.primaryObservable(data)
        let curves = try input.curves(data, observable: observable)
        let largest = curves.compactMap(\.size).max()
        let group = curves.filter { $0.size == largest }
        var xc = critical, xcErr = criticalError
        if xc == nil {
            let cp = try CriticalPoint.locate(group, window: input.fittingWindow(), replicates: input.replicates, seed: input.seed)
            xc = cp.control
            xcErr = cp.error.isFinite ? cp.error : 0
        }
        let s = try StationaryExponent.estimate(group, critical: xc!, criticalError: xcErr, minimumDistance: minDistance,
                                                replicates: input.replicates, seed: input.seed)
        var table = Table(columns: ["observable", "critical", "critical_err", "beta", "beta_err", "amplitude", "runs"])
        table.append([.text(observable.rawValue), .number(xc!), .number(xcErr), .number(s.beta), .number(s.error),
                      .number(s.amplitude), .integer(s.points.count)])
        try output.emit(record: table)
        noteOnStderr("beta = \(formatEstimate(s.beta, s.error)) from \(s.points.count) active runs (x_c = \(formatEstimate(xc!, xcErr)))")
        if let path = plot.plot {
            let d = s.points.map(\.distance)
            let fit = [d.min()!, d.max()!]
            let figure = Figure(title: "stationary order parameter: β = \(formatEstimate(s.beta, s.error))",
                                xAxis: Axis(label: "|x − x_c|", scale: .log), yAxis: Axis(label: "\(observable.rawValue)*", scale: .log),
                                series: [Series(name: "last-octave mean", x: d, y: s.points.map(\.value), yError: s.points.map(\.error),
                                                style: .markers, color: Color.palette[0]),
                                         Series(name: "fit", x: fit, y: fit.map { s.amplitude * pow($0, s.beta) }, color: Color.palette[1], dashed: true)],
                                legendPosition: .topLeft)
            try writeFigure(figure.svg(), to: path)
        }
    }
}
