import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting

/// `criticality meanfield boundary`: critical lines σ_w,c(σ_b) of several activations.
struct MeanFieldBoundaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundary",
        abstract: "Critical lines sigma_w,c(sigma_b) (the edge of chaos) for one or more activations.",
        discussion: "Points where no critical point with a finite q* exists (e.g. relu at sigma_b > 0) are skipped with a warning."
    )

    @Option(help: "Comma-separated activations, e.g. tanh,erf,sin.")
    var activation: String = "tanh,erf,sin"

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: ArgumentHelp("sigma_b values as FROM:TO:STEPS or a single value.", valueName: "FROM:TO:STEPS"), transform: parseGrid)
    var sigmaB = ParameterGrid(from: 0, to: 1, steps: 51)

    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try parseActivations(activation)
        try validateGrid("--sigma-b", sigmaB)
    }

    func run() throws {
        let lines = try criticalLines(activations: parseActivations(activation), sigmaB: sigmaB.values, threads: threads.threads)
        try output.emit(criticalTable(lines.flatMap(\.points)))
        if let path = plot.plot { try writeFigure(boundaryFigure(lines).svg(), to: path) }
    }
}

/// The critical line of one activation on a σ_b grid (points without a critical point left out).
struct CriticalLineResult {
    let activation: Activation
    let points: [MeanFieldPoint]
}

/// Computes critical lines in parallel over (activation, σ_b); warns once per activation about
/// σ_b values without a critical point, and fails if none has any.
func criticalLines(activations: [Activation], sigmaB: [Double], threads: Int) throws -> [CriticalLineResult] {
    let n = sigmaB.count
    let results = parallelMap(activations.count * n, threads: threads) { k -> Result<MeanFieldPoint, Error> in
        Result { try CriticalLine.point(activation: activations[k / n], sigmaB: sigmaB[k % n]) }
    }
    var lines: [CriticalLineResult] = []
    for (a, activation) in activations.enumerated() {
        var points: [MeanFieldPoint] = []
        var failures: [(Double, Error)] = []
        for i in 0..<n {
            switch results[a * n + i] {
            case .success(let p): points.append(p)
            case .failure(let e): failures.append((sigmaB[i], e))
            }
        }
        if let (b, error) = failures.first {
            noteOnStderr("warning: \(activation): skipped \(failures.count) of \(n) sigma_b values without a critical point (first: sigma_b = \(b): \(error))")
        }
        lines.append(CriticalLineResult(activation: activation, points: points))
    }
    guard lines.contains(where: { !$0.points.isEmpty }) else {
        throw CLIError("no critical point found for any requested activation and sigma_b")
    }
    return lines
}

/// σ_w,c against σ_b, one curve per activation.
func boundaryFigure(_ lines: [CriticalLineResult]) -> Figure {
    Figure(
        title: "Edge of chaos: critical lines χ₁ = 1",
        xAxis: Axis(label: "σ_b"),
        yAxis: Axis(label: "σ_w,c"),
        series: lines.filter { !$0.points.isEmpty }.map { line in
            Series(name: line.activation.rawValue, x: line.points.map(\.sigmaB), y: line.points.map(\.sigmaW),
                   style: line.points.count > 1 ? .line : .markers)
        },
        legendPosition: .topLeft
    )
}
