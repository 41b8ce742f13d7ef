import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import Scaling

extension Observable: ExpressibleByArgument {}

/// The inputs of the analysis commands and how to read their columns.
struct AnalysisInputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Tidy CSV files or campaign stores (folders made by sweep run).", valueName: "INPUT"))
    var inputs: [String]

    @Option(help: "Observable: rho, survival, active or r2 (default: rho, or survival for spreading runs).")
    var observable: Observable?

    @Option(name: .customLong("rho-column"), help: "Column of the observable in a foreign CSV (overrides --observable).")
    var valueColumn: String?

    @Option(name: .customLong("error-column"), help: "Column of its standard error (default: <observable>_err).")
    var errorColumn: String?

    @Option(name: .customLong("depth-column"), help: "Column of depth or time (default: depth).")
    var depthColumn: String?

    @Option(name: .customLong("control-column"), help: "Column of the control parameter (default: p or sigma_w).")
    var controlColumn: String?

    @Option(name: .customLong("size-column"), help: "Column of the finite size (default: width or size).")
    var sizeColumn: String?

    @Option(name: .customLong("typical-column"),
            help: "Column of <ln rho> over realisations in a foreign CSV, for the typical decay (default: log_rho when a tool's file has it).")
    var typicalColumn: String?

    @Option(name: .customLong("spread-column"),
            help: "Column of sd(ln rho) over realisations in a foreign CSV, for psi and self-averaging (default: log_rho_sd when a tool's file has it).")
    var spreadColumn: String?

    @Option(name: .customLong("group-column"), help: "A further column that tells runs apart (repeatable).")
    var groupColumns: [String] = []

    @Option(help: ArgumentHelp("Fitting window in depth, FROM:TO (default: five octaves ending where the data end).", valueName: "FROM:TO"))
    var window: String?

    @Option(parsing: .unconditional, help: "Bootstrap replicates for the errors.")
    var replicates: Int = 200

    @Option(parsing: .unconditional, help: "Seed of the bootstrap.")
    var seed: UInt64 = 1

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file or store") }
        guard replicates >= 0 else { throw ValidationError("--replicates must be at least 0, got \(replicates)") }
        _ = try fittingWindow()
    }

    func fittingWindow() throws -> ClosedRange<Double>? { try parseWindow(window) }

    /// The inputs read and stacked.
    func load() throws -> AnalysisData { try AnalysisData.load(inputs) }

    /// The curves of `observable` (or of the named foreign column).
    func curves(_ data: AnalysisData, observable: Observable) throws -> [Curve] {
        let selection = CurveSelection(value: valueColumn ?? observable.rawValue, depth: depthColumn, control: controlColumn,
                                       size: sizeColumn, error: errorColumn, groups: groupColumns)
        return try data.curves(selection, widthLimit: sizeColumn == nil && depthColumn == nil,
                               blocks: valueColumn == nil && errorColumn == nil)
    }

    /// The runs' spread of ln ρ across realisations (`log_rho_sd`), selected as ``curves(_:observable:)``
    /// selects the observable so that labels match; nil when the data have no such column or a
    /// foreign column is named.
    func spreadCurves(_ data: AnalysisData) -> [Curve]? {
        guard valueColumn == nil || spreadColumn != nil else { return nil }
        return RealisationSpread.curves(data, column: spreadColumn ?? "log_rho_sd",
                                        columns: CurveSelection(depth: depthColumn, control: controlColumn, size: sizeColumn,
                                                                groups: groupColumns))
    }

    /// Throws when `--typical-column` or `--spread-column` names a column the data lack (or that
    /// holds no numbers), instead of leaving the diagnostic out without a word.
    func checkDiagnosticColumns(_ data: AnalysisData) throws {
        let listed = data.table.columns.filter { $0 != "source" }.joined(separator: ", ")
        for (flag, column, what) in [("--typical-column", typicalColumn, "<ln rho> over realisations"),
                                     ("--spread-column", spreadColumn, "sd(ln rho) over realisations")] {
            if let column, !data.table.hasNumbers(in: column) {
                throw InputError.invalid("\(flag) \(column): no column of that name with numbers (\(what)); the columns are \(listed)")
            }
        }
    }

    /// The runs' ⟨ln ρ⟩ over realisations (`--typical-column`, or `log_rho` of the tool's files),
    /// selected likewise; nil when there is none. A named column that is missing is an error.
    func typicalCurves(_ data: AnalysisData) throws -> [Curve]? {
        let column: String
        if let typicalColumn { column = typicalColumn }
        else if valueColumn == nil, data.table.hasNumbers(in: "log_rho") { column = "log_rho" }
        else { return nil }
        let selection = CurveSelection(value: column, depth: depthColumn, control: controlColumn, size: sizeColumn, groups: groupColumns)
        return try data.curves(selection, widthLimit: false, blocks: false)
    }

    /// The observable asked for, or the natural one of the data.
    func primaryObservable(_ data: AnalysisData) -> Observable {
        observable ?? (data.isSpreading ? .survival : .rho)
    }
}

/// `--window FROM:TO` as a range of depths (0 < FROM < TO), or `nil` when not given.
func parseWindow(_ text: String?) throws -> ClosedRange<Double>? {
    guard let text else { return nil }
    let parts = text.split(separator: ":").map { Double($0) }
    guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo > 0, hi > lo, hi.isFinite else {
        throw ValidationError("--window expects FROM:TO with 0 < FROM < TO, got '\(text)'")
    }
    return lo...hi
}

/// The stacked rows of every input, with the block tables of stored tasks.
struct AnalysisData {
    var table: TidyTable
    /// Blocks tables of campaign tasks, by "source|task".
    var blocks: [String: TidyTable] = [:]

    static func load(_ inputs: [String]) throws -> AnalysisData {
        var table: TidyTable? = nil
        var blocks: [String: TidyTable] = [:]
        for input in inputs {
            var isDirectory: ObjCBool = false
            let next: TidyTable
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                let store = ModelRegistry.store(input)
                guard FileManager.default.fileExists(atPath: store.specificationFile) else {
                    throw InputError.invalid("\(input) is a folder but not a campaign store (no campaign.json)")
                }
                let export = try store.exportWithBlocks()
                guard !export.csv.isEmpty else {
                    throw InputError.invalid("\(input): none of its \(export.tasks) tasks has finished (run sweep run)")
                }
                if export.missing > 0 {
                    noteOnStderr("criticality: \(input): \(export.missing) of \(export.tasks) tasks missing; analysing the rest")
                }
                next = try TidyTable(parsing: export.csv, source: input).adding(column: "source", value: input)
                for (id, text) in export.blocks {
                    if let t = try? TidyTable(parsing: text, source: id) { blocks["\(input)|\(id)"] = t }
                }
            } else {
                next = try TidyTable(contentsOf: input).adding(column: "source", value: input)
            }
            if table == nil { table = next } else { try table!.append(next, source: input) }
        }
        return AnalysisData(table: table!, blocks: blocks)
    }

    /// Whether the rows come from spreading runs (the tool's `protocol` column).
    var isSpreading: Bool {
        guard let k = table.index(of: "protocol") else { return false }
        return table.rows.allSatisfy { $0[k] == "spreading" }
    }

    /// The curves of `selection`, with what the tool knows of its own runs: MLP runs (of a `width`)
    /// end their default window at l = n/8, before finite-width effects, when `widthLimit`; runs
    /// from a store carry their per-block means of the observable when `blocks`.
    func curves(_ selection: CurveSelection, widthLimit: Bool, blocks: Bool) throws -> [Curve] {
        var curves = try selection.curves(from: table) { noteOnStderr("criticality: \($0)") }
        if widthLimit, isMLP, table.hasNumbers(in: "width") {
            for k in curves.indices { curves[k].finiteSizeLimit = curves[k].size.map { $0 / 8 } }
        }
        if blocks { attachBlocks(to: &curves, column: selection.value) }
        return curves
    }

    /// Whether the rows come from the tool's MLP runs.
    var isMLP: Bool {
        guard let k = table.index(of: "model") else { return false }
        return table.rows.allSatisfy { $0[k] == "mlp" }
    }

    /// Gives curves from stored tasks their per-block means of `column`.
    private func attachBlocks(to curves: inout [Curve], column: String) {
        for c in curves.indices {
            guard let task = curves[c].identity["task"], let source = curves[c].identity["source"],
                  let table = blocks["\(source)|\(task)"], let b = table.index(of: "block"), let w = table.index(of: "realisations"),
                  let d = table.index(of: "depth"), let v = table.index(of: column) else { continue }
            var rows: [Int: (weight: Double, values: [Double: Double])] = [:]
            for row in table.rows {
                guard let block = Int(row[b]), let weight = Double(row[w]), let depth = Double(row[d]),
                      let value = TidyTable.number(row[v]) else { continue }
                rows[block, default: (weight, [:])].values[depth] = value
            }
            let ordered = rows.keys.sorted().map { rows[$0]! }
            guard ordered.count >= Curve.minimumBlocks else { continue }
            let values = ordered.map { block in curves[c].t.map { block.values[$0] ?? .nan } }
            guard values.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { continue }
            curves[c].blocks = Curve.Blocks(weights: ordered.map(\.weight), values: values)
        }
    }
}
