import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import MeanField
import Propagation

extension PropagationMethod: ExpressibleByArgument {}

/// The finite-width MLP (docs/models.md, "Fully connected network (MLP)"), described once for the
/// command line (`simulate mlp`, `lyapunov mlp`) and for campaigns (`model = "mlp"`).
///
/// To add a parameter: a ``ModelParameter`` in ``parameters``, an `@Option` in ``MLPOptions``
/// (with its default read from the parameter), its entry in ``MLPOptions/values(depth:sigmaW:)``,
/// and its use in ``configuration(_:)`` — all in this file.
enum MLPModel: SimulationModel {
    static let name = "mlp"

    static let parameters: [ModelParameter] = [
        ModelParameter("activation", .word, default: .text("tanh"), .activation),
        ModelParameter("sigma_w", .numberOr(["critical"]), .atLeast(0)),
        ModelParameter("sigma_b", .number, default: .number(0.3), .atLeast(0)),
        ModelParameter("width", .integer, default: .integer(256), .atLeast(1)),
        ModelParameter("depth", .integer, default: .integer(256), .atLeast(1)),
        ModelParameter("samples", .integer, default: .integer(64), .atLeast(1)),
        ModelParameter("seed", .integer, default: .integer(1), .atLeast(0)),
        ModelParameter("method", .word, default: .text("exact"), .word(PropagationMethod.allCases.map(\.rawValue))),
        ModelParameter("q0", .number, default: .number(1), .above(0)),
        ModelParameter("c0", .number, default: .number(0), .within(-1, 1, upperOpen: false)),
    ]

    static func jointProblem(_ values: ModelValues, naming: (String) -> String) -> String? {
        guard values["sigma_w"] != nil else { return "\(naming("sigma_w")) is needed (a number, or \"critical\" for the mean-field value)" }
        return varianceProblem(values, naming: naming)
    }

    static func cost(_ v: ModelValues) -> Double {
        Double(v.integer("width")) * Double(v.integer("depth")) * Double(v.integer("samples"))
    }

    static let nominalThroughput = 1e8

    /// Per block of 8 realisations four per-layer accumulators (80 bytes a layer), kept until the
    /// end; per thread the sampler's k·n Gaussians and trace, or n² weights for explicit weights.
    static func memoryEstimate(_ v: ModelValues, threads: Int) -> Double {
        let n = Double(v.integer("width")), depth = Double(v.integer("depth")), samples = Double(v.integer("samples"))
        let blocks = (samples / 8).rounded(.up)
        let perThread = 64 * n + 48 * depth + (v.word("method") == "explicit" ? 16 * n * n : 0)
        return 1.2 * (blocks * depth * 104 + Double(threads) * perThread + 200 * depth) + 16e6
    }

    /// The network and its synthetic inputs; σ_w = "critical" is the mean-field σ_w,c at (σ_b, q₀).
    static func configuration(_ v: ModelValues) throws -> (MLPConfiguration, InputPairs) {
        let (activation, sigmaW, sigmaB, q0) = try network(v)
        let config = MLPConfiguration(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB, width: v.integer("width"),
                                      depth: v.integer("depth"), method: PropagationMethod(rawValue: v.word("method")) ?? .exact)
        return (config, .synthetic(dimension: config.width, q0: q0, rho0: 1 - v.number("c0")))
    }

    static func runTask(_ v: ModelValues, seed: UInt64, task: UInt64, threads: Int) throws -> (table: Table, blocks: Table) {
        let (config, inputs) = try configuration(v)
        let series = try MLPSimulation.run(config, inputs: inputs, samples: v.integer("samples"), seed: seed, task: task, threads: threads)
        return (mlpTable(series, reference: try? MeanFieldReference(config: config, inputs: inputs)), mlpBlocks(series))
    }
}

/// The blocks table of an MLP run: block, realisations, depth, rho.
func mlpBlocks(_ series: MLPSeries) -> Table {
    var t = Table(columns: ["block", "realisations", "depth", "rho"])
    for (g, range) in groupBlocks(series.rhoBlocks.count).enumerated() {
        for l in 0..<series.configuration.depth {
            var m = RunningMoments()
            for b in range { m.merge(series.rhoBlocks[b][l]) }
            t.append([.integer(g), .integer(m.count), .integer(l + 1), .number(m.value)])
        }
    }
    return t
}

/// Options shared by `simulate mlp` and `lyapunov mlp`: the network, its inputs and the sampling
/// (the depth is each command's own). Defaults and validation are those of ``MLPModel``.
struct MLPOptions: ParsableArguments {
    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation = .tanh

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = MLPModel.defaultNumber("sigma_b")

    @Option(parsing: .unconditional, help: "Width n of every hidden layer.")
    var width: Int = MLPModel.defaultInteger("width")

    @Option(parsing: .unconditional, help: "Independent network realisations.")
    var samples: Int = MLPModel.defaultInteger("samples")

    @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same numbers on any thread count.")
    var seed: UInt64 = 1

    @Option(help: "exact (weight-free Gram sampler, O(n) per layer) or explicit (weight matrices, O(n^2)).")
    var method: PropagationMethod = .exact

    @Option(parsing: .unconditional, help: "Mean square norm q0 of the inputs (data rows are rescaled to it).")
    var q0: Double = MLPModel.defaultNumber("q0")

    @Option(parsing: .unconditional, help: "Cosine similarity c0 of the synthetic input pair, in [-1, 1].")
    var c0: Double = MLPModel.defaultNumber("c0")

    @Option(help: ArgumentHelp("Draw input pairs from the rows of a CSV file (.csv or .csv.gz).", valueName: "FILE"))
    var input: String?

    @Option(name: .customLong("label-column"), help: ArgumentHelp("Column of --input to ignore: a 1-based index or 'last'.", valueName: "COLUMN"))
    var labelColumn: String?

    @Flag(name: .customLong("raw-input"), help: "Use --input rows as they are instead of rescaling each to mean square q0.")
    var rawInput = false

    /// The model's values as the flags give them; σ_w (a number, or "critical") and the depth are
    /// the command's own options.
    func values(depth: Int, sigmaW: ParameterValue? = nil) -> ModelValues {
        MLPModel.values([
            "activation": .text(activation.rawValue), "sigma_b": .number(sigmaB), "width": .integer(width),
            "depth": .integer(depth), "samples": .integer(samples), "method": .text(method.rawValue),
            "q0": .number(q0), "c0": .number(c0), "sigma_w": sigmaW ?? .text("critical"),
        ])
    }

    func validate() throws {
        do { try MLPModel.validate(values(depth: 1), naming: MLPModel.flag) } catch let e as ModelError {
            throw ValidationError(e.description)
        }
        if input == nil, labelColumn != nil || rawInput {
            throw ValidationError("--label-column and --raw-input need --input FILE")
        }
        try validateLabelColumn(labelColumn)
    }

    /// The input pairs: synthetic (dimension n₀ = n) or rows of the data file.
    func inputPairs() throws -> InputPairs {
        guard let input else { return .synthetic(dimension: width, q0: q0, rho0: 1 - c0) }
        let rows = try readDataRows(input, labelColumn: labelColumn)
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

/// Throws unless `--label-column` is absent, `last` or a 1-based index.
func validateLabelColumn(_ labelColumn: String?) throws {
    if let labelColumn, labelColumn != "last", (Int(labelColumn) ?? 0) < 1 {
        throw ValidationError("--label-column expects a 1-based column index or 'last', got '\(labelColumn)'")
    }
}

/// The rows of a numeric CSV data file (plain or gzipped), without its `--label-column` (a
/// 1-based index or `last`, validated by ``validateLabelColumn(_:)``).
func readDataRows(_ path: String, labelColumn: String?) throws -> [[Double]] {
    try readLabelledRows(path, labelColumn: labelColumn).rows
}

/// The rows of a numeric CSV data file without its `--label-column`, and that column's values
/// (nil without a label column).
func readLabelledRows(_ path: String, labelColumn: String?) throws -> (rows: [[Double]], labels: [Double]?) {
    let csv = try NumericCSV(contentsOf: path)
    guard let labelColumn else { return (csv.rows, nil) }
    let columns = csv.rows[0].count
    let index = labelColumn == "last" ? columns - 1 : (Int(labelColumn) ?? 1) - 1
    guard index < columns else {
        throw CLIError("--label-column \(labelColumn) is beyond the \(columns) columns of \(path)")
    }
    guard columns > 1 else { throw CLIError("\(path) has no columns left after --label-column") }
    return (csv.dropping(column: index), csv.rows.map { $0[index] })
}
