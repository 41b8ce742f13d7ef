import ArgumentParser
import CriticalityCore
import MeanField

/// `criticality meanfield point`: every mean-field quantity at one (activation, σ_w, σ_b).
struct MeanFieldPointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "point",
        abstract: "q*, c*, rho*, chi1, chi_c, correlation depth, Lyapunov exponent and kappa at one point."
    )

    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation

    @Option(name: .customLong("sigma-w"), parsing: .unconditional, help: "Weight standard deviation sigma_w (W ~ N(0, sigma_w^2/n)).")
    var sigmaW: Double

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = 0

    @Option(parsing: .unconditional, help: "Input mean square norm q0 from which the length map is iterated.")
    var q0: Double = 1

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try validateParameter("--sigma-w", sigmaW)
        try validateParameter("--sigma-b", sigmaB)
        try validateParameter("--q0", q0, strict: true)
    }

    func run() throws {
        let p = try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB).point(q0: q0)
        var table = Table(columns: MeanFieldPoint.tableColumns)
        table.append(p.tableRow)
        try output.emit(record: table)
    }
}

/// `criticality meanfield critical`: σ_w,c at one σ_b and the quantities there.
struct MeanFieldCriticalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "critical",
        abstract: "The critical sigma_w (chi1 = 1) at a given sigma_b, with every quantity at that point."
    )

    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = 0

    @Option(parsing: .unconditional, help: "Input mean square norm q0 from which the length map is iterated.")
    var q0: Double = 1

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try validateParameter("--sigma-b", sigmaB)
        try validateParameter("--q0", q0, strict: true)
    }

    func run() throws {
        let p = try CriticalLine.point(activation: activation, sigmaB: sigmaB, q0: q0)
        try output.emit(record: criticalTable([p]))
    }
}

/// Critical points as a table whose σ_w column is named `sigma_w_c`.
func criticalTable(_ points: [MeanFieldPoint]) -> Table {
    var table = Table(columns: MeanFieldPoint.tableColumns.map { $0 == "sigma_w" ? "sigma_w_c" : $0 })
    for p in points { table.append(p.tableRow) }
    return table
}
