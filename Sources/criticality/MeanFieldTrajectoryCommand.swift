import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting

/// `criticality meanfield trajectory`: q^l and ρ^l of the infinite-width network.
struct MeanFieldTrajectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trajectory",
        abstract: "Infinite-width trajectory q(l), rho(l) from an input pair, layer by layer.",
        discussion: "The first layer acts on the input: q1 = sigma_w^2 q0 + sigma_b^2, rho1 = sigma_w^2 q0 rho0 / q1."
    )

    @OptionGroup var network: NetworkOptions
    @OptionGroup var sigma: SigmaWChoice

    @Option(parsing: .unconditional, help: "Number of layers L.")
    var depth: Int = 1000

    @Option(parsing: .unconditional, help: "Input order parameter rho0 = 1 - c0, in [0, 2].")
    var rho0: Double = 1

    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard rho0.isFinite, rho0 >= 0, rho0 <= 2 else { throw ValidationError("--rho0 must lie in [0, 2], got \(rho0)") }
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1, got \(depth)") }
        // q, ρ, the asymptote and a CSV row per layer.
        do { try MemoryBudget.require(Double(depth) * 200, for: "a trajectory of \(depth) layers") }
        catch let e as ModelError { throw ValidationError(e.description) }
    }

    func run() throws {
        let (activation, sigmaB, q0) = (network.activation, network.sigmaB, network.q0)
        let w = try sigma.resolve(activation: activation, sigmaB: sigmaB, q0: q0)
        let run = try TrajectoryRun(activation: activation, sigmaW: w, sigmaB: sigmaB, q0: q0, rho0: rho0, depth: depth)
        try output.emit(run.table)
        if let path = plot.plot { try writeFigure(trajectoryFigure([run]).svg(), to: path) }
    }
}

/// A trajectory with the fixed-point quantities of its network.
struct TrajectoryRun {
    let point: MeanFieldPoint
    let trajectory: Trajectory

    init(activation: Activation, sigmaW: Double, sigmaB: Double, q0: Double = 1, rho0: Double = 1, depth: Int) throws {
        let network = try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB)
        point = try network.point(q0: q0)
        trajectory = try Trajectory(network: network, q0: q0, rho0: rho0, depth: depth)
    }

    static let columns = ["activation", "sigma_w", "sigma_b", "depth", "q", "rho", "rho_asymptote", "kappa_l_rho"]

    /// κ l ρ(l) at layer `depth` (1 ≤ depth ≤ the run's depth): 1 where ρ ≈ 1/(κ l).
    func kappaLRho(at depth: Int) -> Double { point.kappa * Double(depth) * trajectory.rho[depth - 1] }

    /// One row per layer; `rho_asymptote` is the critical decay 1/(κ l) (4/(κ_{3/2} l)² for kinked φ).
    var table: Table {
        var t = Table(columns: Self.columns)
        for (i, l) in trajectory.depths.enumerated() {
            let rho = trajectory.rho[i]
            t.append([.text(point.activation.rawValue), .number(point.sigmaW), .number(point.sigmaB), .integer(l),
                      .number(trajectory.q[i]), .number(rho), .number(point.criticalAsymptote(depth: Double(l))),
                      .number(point.kappa * Double(l) * rho)])
        }
        return t
    }
}

/// ρ(l) on log-log axes with the critical asymptote of each run, dashed.
func trajectoryFigure(_ runs: [TrajectoryRun]) -> Figure {
    var series: [Series] = []
    for (k, run) in runs.enumerated() {
        let color = Color.palette[k % Color.palette.count]
        let l = run.trajectory.depths.map(Double.init)
        let name = runs.count == 1 ? "ρ(l)" : "\(run.point.activation.rawValue)"
        series.append(Series(name: name, x: l, y: run.trajectory.rho, color: color))
        let p = run.point
        let label = p.kappa.isFinite
            ? "1/(κ l), κ = \(String(format: "%.4g", p.kappa))"
            : "4/(κ₃/₂ l)², κ₃/₂ = \(String(format: "%.4g", p.kappaThreeHalves))"
        let asymptote = l.map { p.criticalAsymptote(depth: $0) }
        series.append(Series(name: runs.count == 1 ? label : "", x: l, y: asymptote, color: color, dashed: true, lineWidth: 1.5))
    }
    if runs.count > 1 {
        let label = runs.allSatisfy { $0.point.kappa.isFinite } ? "1/(κ l), each activation's κ" : "critical asymptote"
        series.append(Series(name: "\(label) (dashed)", x: [], y: [], color: Color(r: 70, g: 70, b: 70), dashed: true, lineWidth: 1.5))
    }
    let p = runs[0].point
    let title = runs.count == 1
        ? "\(p.activation.rawValue): σ_w = \(String(format: "%.6g", p.sigmaW)), σ_b = \(String(format: "%.4g", p.sigmaB)) (\(p.phase.rawValue))"
        : "Mean-field order parameter at criticality, σ_b = \(String(format: "%.4g", p.sigmaB))"
    return Figure(title: title, xAxis: Axis(label: "layer l", scale: .log),
                  yAxis: Axis(label: "ρ = 1 − c", scale: .log), series: series, legendPosition: .bottomLeft)
}
