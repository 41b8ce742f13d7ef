import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Propagation

extension PropagationMethod: ExpressibleByArgument {}

/// Options shared by `simulate mlp` and `lyapunov mlp`: the network, its inputs and the sampling.
struct MLPOptions: ParsableArguments {
    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation = .tanh

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = 0.3

    @Option(parsing: .unconditional, help: "Width n of every hidden layer.")
    var width: Int = 256

    @Option(parsing: .unconditional, help: "Independent network realisations.")
    var samples: Int = 64

    @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same numbers on any thread count.")
    var seed: UInt64 = 1

    @Option(help: "exact (weight-free Gram sampler, O(n) per layer) or explicit (weight matrices, O(n^2)).")
    var method: PropagationMethod = .exact

    @Option(parsing: .unconditional, help: "Mean square norm q0 of the inputs (data rows are rescaled to it).")
    var q0: Double = 1

    @Option(parsing: .unconditional, help: "Cosine similarity c0 of the synthetic input pair, in [-1, 1].")
    var c0: Double = 0

    @Option(help: ArgumentHelp("Draw input pairs from the rows of a CSV file (.csv or .csv.gz).", valueName: "FILE"))
    var input: String?

    @Option(name: .customLong("label-column"), help: ArgumentHelp("Column of --input to ignore: a 1-based index or 'last'.", valueName: "COLUMN"))
    var labelColumn: String?

    @Flag(name: .customLong("raw-input"), help: "Use --input rows as they are instead of rescaling each to mean square q0.")
    var rawInput = false

    func validate() throws {
        try validateParameter("--sigma-b", sigmaB)
        try validateParameter("--q0", q0, strict: true)
        guard width >= 1 else { throw ValidationError("--width must be at least 1, got \(width)") }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
        guard c0.isFinite, c0 >= -1, c0 <= 1 else { throw ValidationError("--c0 must lie in [-1, 1], got \(c0)") }
        if input == nil, labelColumn != nil || rawInput {
            throw ValidationError("--label-column and --raw-input need --input FILE")
        }
        if let labelColumn, labelColumn != "last", (Int(labelColumn) ?? 0) < 1 {
            throw ValidationError("--label-column expects a 1-based column index or 'last', got '\(labelColumn)'")
        }
    }

    /// The input pairs: synthetic (dimension n₀ = n) or rows of the data file.
    func inputPairs() throws -> InputPairs {
        guard let input else { return .synthetic(dimension: width, q0: q0, rho0: 1 - c0) }
        let csv = try NumericCSV(contentsOf: input)
        var rows = csv.rows
        if let labelColumn {
            let columns = rows[0].count
            let index = labelColumn == "last" ? columns - 1 : Int(labelColumn)! - 1
            guard index < columns else {
                throw CLIError("--label-column \(labelColumn) is beyond the \(columns) columns of \(input)")
            }
            guard columns > 1 else { throw CLIError("\(input) has no columns left after --label-column") }
            rows = csv.dropping(column: index)
        }
        return .data(try InputData(rows: rows, rescaleTo: rawInput ? nil : q0))
    }

    /// A description of the inputs for the sidecar.
    func inputMetadata(_ inputs: InputPairs) -> JSONValue {
        switch inputs {
        case .synthetic(let n, let q0, let rho0):
            .object(["kind": .string("synthetic"), "dimension": .integer(n), "q0": .number(q0), "c0": .number(1 - rho0)])
        case .data(let d):
            .object(["kind": .string("data"), "file": .string(input ?? ""), "rows": .integer(d.rows.count),
                     "dimension": .integer(d.dimension), "label_column": labelColumn.map { .string($0) } ?? .null,
                     "rescaled_to_q0": rawInput ? .null : .number(q0)])
        }
    }
}
