import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting

/// `criticality meanfield phase`: the phase diagram on a (σ_w, σ_b) grid.
struct MeanFieldPhaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Phase diagram: chi1, rho*, correlation depth and Lyapunov exponent on a (sigma_w, sigma_b) grid.",
        discussion: "Cells where the length map diverges are reported with phase = divergent and NaN values."
    )

    /// A quantity shown in the heat map.
    enum Quantity: String, ExpressibleByArgument, CaseIterable {
        case rhoStar = "rho_star", chi1, xiC = "xi_c", lyapunov, qStar = "q_star"
    }

    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation = .tanh

    @Option(name: .customLong("sigma-w"), parsing: .unconditional, help: ArgumentHelp("sigma_w grid FROM:TO:STEPS.", valueName: "FROM:TO:STEPS"), transform: parseGrid)
    var sigmaW = ParameterGrid(from: 0.5, to: 3, steps: 51)

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: ArgumentHelp("sigma_b grid FROM:TO:STEPS.", valueName: "FROM:TO:STEPS"), transform: parseGrid)
    var sigmaB = ParameterGrid(from: 0, to: 1, steps: 26)

    @Option(help: "Quantity for the heat map: rho_star, chi1, xi_c, lyapunov, q_star.")
    var quantity: Quantity = .rhoStar

    @OptionGroup var threads: ThreadOption
    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try validateGrid("--sigma-w", sigmaW)
        try validateGrid("--sigma-b", sigmaB)
        // Each cell keeps a mean-field point (about 200 bytes) and a CSV row (about 250 bytes).
        do { try MemoryBudget.require(Double(sigmaW.steps) * Double(sigmaB.steps) * 600, for: "a \(sigmaW.steps) × \(sigmaB.steps) phase grid") }
        catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        let diagram = try PhaseDiagram(activation: activation, sigmaW: sigmaW.values, sigmaB: sigmaB.values, threads: threads.threads)
        try output.emit(diagram.table)
        if let path = plot.plot {
            try writeFigure(phaseFigure(diagram, quantity: quantity, threads: threads.threads).svg(), to: path)
        }
    }
}

/// A heat map of one quantity with the critical line drawn on top.
func phaseFigure(_ diagram: PhaseDiagram, quantity: MeanFieldPhaseCommand.Quantity, threads: Int) -> HeatMap {
    let values = diagram.points.map { row in
        row.map { p -> Double in
            guard let p else { return .nan }
            switch quantity {
            case .rhoStar: return p.rhoStar
            case .chi1: return p.chi1
            case .xiC: return p.correlationDepth
            case .lyapunov: return p.lyapunov
            case .qStar: return p.qStar
            }
        }
    }
    let labels: [MeanFieldPhaseCommand.Quantity: String] = [
        .rhoStar: "ρ* = 1 − c*", .chi1: "χ₁", .xiC: "correlation depth ξ_c", .lyapunov: "λ = ½ ln χ₁", .qStar: "q*",
    ]
    // The critical line over the plotted σ_b range, finer than the grid.
    let b0 = diagram.sigmaB.first ?? 0, b1 = diagram.sigmaB.last ?? 1
    let fine = ParameterGrid(from: b0, to: b1, steps: b1 > b0 ? 41 : 1).values
    let critical = parallelMap(fine.count, threads: threads) { i in
        try? CriticalLine.sigmaWCritical(activation: diagram.activation, sigmaB: fine[i])
    }
    var line: [(Double, Double)] = []
    for (b, w) in zip(fine, critical) {
        if let w, let lo = diagram.sigmaW.first, let hi = diagram.sigmaW.last, w >= lo, w <= hi { line.append((w, b)) }
    }
    // A heat map has data everywhere, so the line is named in the title instead of a legend box.
    let overlays = line.isEmpty ? [] : [Series(name: "", x: line.map(\.0), y: line.map(\.1),
                                              color: Color(r: 255, g: 255, b: 255), lineWidth: 2.5)]
    return HeatMap(
        title: "\(diagram.activation.rawValue): mean-field phase diagram\(line.isEmpty ? "" : " (white line: χ₁ = 1)")",
        xAxis: Axis(label: "σ_w"), yAxis: Axis(label: "σ_b"),
        xValues: diagram.sigmaW, yValues: diagram.sigmaB, values: values,
        colorbarLabel: labels[quantity]!, logColor: quantity == .xiC,
        overlays: overlays)
}
