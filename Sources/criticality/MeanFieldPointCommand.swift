import ArgumentParser
import CriticalityCore
import MeanField

/// `criticality meanfield point`: every mean-field quantity at one (activation, σ_w, σ_b).
struct MeanFieldPointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "point",
        abstract: "q*, c*, rho*, chi1, chi_c, correlation depth, Lyapunov exponent and kappa at one point."
    )

    @OptionGroup var network: NetworkOptions

    @Option(name: .customLong("sigma-w"), parsing: .unconditional, help: "Weight standard deviation sigma_w (W ~ N(0, sigma_w^2/n)).")
    var sigmaW: Double

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try validateParameter("--sigma-w", sigmaW)
    }

    func run() throws {
        let p = try MeanFieldNetwork(activation: network.activation, sigmaW: sigmaW, sigmaB: network.sigmaB)
            .point(q0: network.q0)
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

    @OptionGroup var network: NetworkOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let p = try CriticalLine.point(activation: network.activation, sigmaB: network.sigmaB, q0: network.q0)
        try output.emit(record: criticalTable([p]))
    }
}

/// Critical points as a table whose σ_w column is named `sigma_w_c`.
func criticalTable(_ points: [MeanFieldPoint]) -> Table {
    var table = Table(columns: MeanFieldPoint.tableColumns.map { $0 == "sigma_w" ? "sigma_w_c" : $0 })
    for p in points { table.append(p.tableRow) }
    return table
}

/// `--activation`, `--sigma-b` and `--q0`, shared by the single-point mean-field commands.
struct NetworkOptions: ParsableArguments {
    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = 0

    @Option(parsing: .unconditional, help: "Input mean square norm q0 from which the length map is iterated.")
    var q0: Double = 1

    func validate() throws {
        try validateParameter("--sigma-b", sigmaB)
        try validateParameter("--q0", q0, strict: true)
    }
}
