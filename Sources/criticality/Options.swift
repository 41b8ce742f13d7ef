import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import MeanField

extension Activation: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Parses a grid option: `X` or `FROM:TO:STEPS`, with a message that names the form when the text
/// is not one (given to `@Option(transform:)`).
func parseGrid(_ text: String) throws -> ParameterGrid {
    guard let grid = ParameterGrid(parsing: text) else {
        throw ValidationError("expected a number X or a grid FROM:TO:STEPS (STEPS values from FROM to TO, STEPS >= 2 unless FROM = TO), e.g. 0:1:51")
    }
    guard grid.steps <= maximumGridSteps else {
        throw ValidationError("a grid of \(grid.steps) values is more than the \(maximumGridSteps) allowed")
    }
    return grid
}

/// Output format of tables and results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json
}

/// `--format` and `-o/--output`, shared by every command that prints results.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: csv or json.")
    var format: OutputFormat = .csv

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write results to FILE instead of standard output.")
    var output: String?

    /// Prints or writes (atomically) a table in the chosen format.
    func emit(_ table: Table) throws {
        try emit(text: format == .csv ? table.csv() : table.json().rendered() + "\n")
    }

    /// Prints or writes a single record: CSV with a header line, or a JSON object.
    func emit(record table: Table) throws {
        guard format == .json, case .array(let rows) = table.json(), let first = rows.first else { return try emit(table) }
        try emit(text: first.rendered() + "\n")
    }

    func emit(text: String) throws {
        if let output {
            try writeOutput(text, to: output)
        } else {
            try writeToStandardOutput(text)
        }
    }
}

/// `--plot FILE.svg`.
struct PlotOption: ParsableArguments {
    @Option(help: ArgumentHelp("Also draw a figure into FILE.svg.", valueName: "FILE.svg"))
    var plot: String?

    func validate() throws {
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw ValidationError("--plot expects a file name ending in .svg, got '\(plot)'")
        }
    }
}

/// `--threads N`.
struct ThreadOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).")
    var threads: Int = defaultThreadCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }
}

/// Throws a `ValidationError` unless `value` is finite and ≥ `minimum`.
func validateParameter(_ name: String, _ value: Double?, minimum: Double = 0, strict: Bool = false) throws {
    guard let value else { return }
    guard value.isFinite, strict ? value > minimum : value >= minimum else {
        throw ValidationError("\(name) must be a finite number \(strict ? ">" : ">=") \(formatNumber(minimum)), got \(value)")
    }
}

/// Throws unless every value of the grid passes ``validateParameter``.
func validateGrid(_ name: String, _ grid: ParameterGrid, minimum: Double = 0) throws {
    for v in [grid.from, grid.to] { try validateParameter(name, v, minimum: minimum) }
}

/// Parses a comma-separated list of activations.
func parseActivations(_ text: String) throws -> [Activation] {
    let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard !names.isEmpty else { throw ValidationError("--activation needs at least one name") }
    return try names.map { name in
        guard let a = Activation(name: name) else {
            throw ValidationError("unknown activation '\(name)'; expected one of \(Activation.allValueStrings.joined(separator: ", "))")
        }
        return a
    }
}

/// Writes `svg` to `path` atomically (used for every --plot).
func writeFigure(_ svg: String, to path: String) throws {
    try writeOutput(svg, to: path)
}

/// `--sigma-w X` or `--critical`, resolved to a σ_w (meanfield trajectory, simulate mlp).
/// The activation and the initial weight and bias scales of an MLP built for data: the options
/// that `kernel mlp`, `train ntk` and `train mlp` share.
struct InitialisationOptions: ParsableArguments {
    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation = .tanh
    @OptionGroup var sigma: SigmaWChoice
    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = 0.3

    func validate() throws { try validateParameter("--sigma-b", sigmaB) }

    /// σ_w as given, or the mean-field critical value at (σ_b, q₀).
    func sigmaW(q0: Double) throws -> Double { try sigma.resolve(activation: activation, sigmaB: sigmaB, q0: q0) }
}

struct SigmaWChoice: ParsableArguments {
    @Option(name: .customLong("sigma-w"), parsing: .unconditional, help: "Weight standard deviation sigma_w (W ~ N(0, sigma_w^2/n)).")
    var sigmaW: Double?

    @Flag(help: "Use the mean-field critical sigma_w at this sigma_b.")
    var critical = false

    func validate() throws {
        guard (sigmaW == nil) != !critical else { throw ValidationError("give exactly one of --sigma-w X and --critical") }
        try validateParameter("--sigma-w", sigmaW)
    }

    /// The choice as a model value: the number, or "critical".
    var value: ParameterValue? { critical ? .text("critical") : sigmaW.map { .number($0) } }

    func resolve(activation: Activation, sigmaB: Double, q0: Double) throws -> Double {
        try sigmaW ?? CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB, q0: q0)
    }
}

/// The most values one grid option takes (a million points of a mean-field scan take minutes).
let maximumGridSteps = 1_000_000
