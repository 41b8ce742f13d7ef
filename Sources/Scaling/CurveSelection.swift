import CriticalityCore
import Foundation

/// Which columns of a tidy table hold what: how a table becomes ``Curve``s.
///
/// Unnamed columns are guessed from the tool's own files: depth `depth`; control `p` when it holds
/// numbers, else `sigma_w`, else `mu`; size `width` when it holds numbers, else `size`; error `<value>_err`.
/// Rows belong to one run when they agree on the run columns: `task` when present, otherwise every
/// parameter column of the tool's files that is present, plus control, size and `--group-column`s.
public struct CurveSelection: Sendable {
    public var value: String
    public var depth: String?
    public var control: String?
    public var size: String?
    public var error: String?
    public var groups: [String]

    /// Parameter columns of the tool's own files (docs/file-formats.md, "Simulation tables").
    public static let parameterColumns = ["source", "task", "model", "method", "protocol", "activation", "sigma_w", "sigma_b", "p",
                                          "width", "channels", "kernel", "dim", "size", "epsilon", "untied", "mu", "noise", "coupling", "cutoff", "samples", "seed"]

    public init(value: String = "rho", depth: String? = nil, control: String? = nil, size: String? = nil,
                error: String? = nil, groups: [String] = []) {
        self.value = value
        self.depth = depth
        self.control = control
        self.size = size
        self.error = error
        self.groups = groups
    }

    /// The columns actually used for `table`, after guessing; throws when a named column is missing,
    /// or when no depth column is named and the table has none called `depth` (rows are never
    /// taken as depths by their order).
    public func resolved(for table: TidyTable) throws -> CurveSelection {
        var r = self
        // The columns of the file as its author wrote them (not the internal `source` column).
        let listed = table.columns.filter { $0 != "source" }.joined(separator: ", ")
        func require(_ name: String, _ what: String) throws {
            guard table.has(name) else {
                throw InputError.invalid("no column '\(name)' (\(what)); the columns are \(listed)")
            }
        }
        try require(value, "the observable")
        if let depth { try require(depth, "depth") } else {
            guard table.has("depth") else {
                throw InputError.invalid("no column 'depth' (depth or time): name it with --depth-column; the columns are \(listed)")
            }
            r.depth = "depth"
        }
        if let control { try require(control, "control parameter") } else {
            r.control = ["p", "sigma_w", "mu"].first { table.hasNumbers(in: $0) }
        }
        if let size { try require(size, "size") } else {
            r.size = ["width", "size"].first { table.hasNumbers(in: $0) }
        }
        if let error { try require(error, "standard error") } else if table.has(value + "_err") { r.error = value + "_err" }
        for g in groups { try require(g, "group") }
        return r
    }

    /// The runs of `table` as curves (in order of first appearance), t sorted. A curve's label
    /// names the run columns whose values differ between runs.
    ///
    /// Cells of the observable, depth and error columns that hold text other than a number (an
    /// empty cell is simply missing) are counted per column: `report` is told how many were
    /// skipped, and a column with more unreadable cells than numbers is refused.
    ///
    /// - Throws: when a run has the same depth twice (its run columns do not separate runs), when
    ///   no row has a number in the observable column, or when a column is mostly unreadable.
    public func curves(from table: TidyTable, report: (String) -> Void = { _ in }) throws -> [Curve] {
        let s = try resolved(for: table)
        try checkReadable(table, columns: [s.value, s.depth!] + (s.error.map { [$0] } ?? []), errorColumn: s.error, report: report)
        var keyColumns: [String]
        if table.has("task") {
            keyColumns = ["task"] + (table.has("source") ? ["source"] : [])
        } else {
            keyColumns = CurveSelection.parameterColumns.filter { table.has($0) }
        }
        for extra in [s.control, s.size].compactMap({ $0 }) + s.groups where !keyColumns.contains(extra) { keyColumns.append(extra) }
        let keyIndex = keyColumns.map { table.index(of: $0)! }
        let vIndex = table.index(of: s.value)!
        let eIndex = s.error.flatMap { table.index(of: $0) }
        let dIndex = table.index(of: s.depth!)!
        let cIndex = s.control.flatMap { table.index(of: $0) }
        let zIndex = s.size.flatMap { table.index(of: $0) }

        var order: [[String]] = []
        var rowsOf: [[String]: [[String]]] = [:]
        for row in table.rows {
            let key = keyIndex.map { row[$0] }
            if rowsOf[key] == nil { order.append(key) }
            rowsOf[key, default: []].append(row)
        }
        // Label columns: the descriptive run columns whose values vary between runs.
        var labelColumns = CurveSelection.parameterColumns.filter { table.has($0) && $0 != "task" && $0 != "seed" }
        for extra in [s.control, s.size].compactMap({ $0 }) + s.groups where !labelColumns.contains(extra) { labelColumns.append(extra) }
        let labelIndex = labelColumns.map { table.index(of: $0)! }
        let varying = labelColumns.indices.filter { k in Set(order.map { rowsOf[$0]![0][labelIndex[k]] }).count > 1 }
        var curves: [Curve] = []
        for key in order {
            var points: [(t: Double, y: Double, e: Double?)] = []
            for row in rowsOf[key]! {
                guard let y = TidyTable.number(row[vIndex]), let t = TidyTable.number(row[dIndex]) else { continue }
                points.append((t, y, eIndex.flatMap { TidyTable.number(row[$0]) }))
            }
            guard !points.isEmpty else { continue }
            points.sort { $0.t < $1.t }
            for j in 1..<points.count where points[j].t == points[j - 1].t {
                let name = s.depth!
                throw InputError.invalid("a run has \(name) = \(formatShort(points[j].t)) twice: name the columns that tell runs apart with --group-column")
            }
            let first = rowsOf[key]![0]
            let label = varying.isEmpty ? (curves.isEmpty ? "run" : "run \(curves.count + 1)")
                : varying.map { "\(labelColumns[$0]) = \(first[labelIndex[$0]])" }.joined(separator: ", ")
            let errors = points.map(\.e)
            var curve = Curve(label: label, control: cIndex.flatMap { TidyTable.number(first[$0]) },
                              size: zIndex.flatMap { TidyTable.number(first[$0]) },
                              t: points.map(\.t), y: points.map(\.y),
                              error: errors.allSatisfy { $0 != nil } ? errors.map { $0! } : nil)
            curve.identity = Dictionary(uniqueKeysWithValues: zip(keyColumns, key))
            curves.append(curve)
        }
        guard !curves.isEmpty else { throw InputError.invalid("no numbers in column '\(s.value)'") }
        return curves
    }
}

extension CurveSelection {
    /// Counts the cells of `columns` that hold text but no number; refuses a column where they
    /// outnumber the numbers, and reports the others.
    func checkReadable(_ table: TidyTable, columns: [String], errorColumn: String?, report: (String) -> Void) throws {
        for column in Set(columns).sorted() {
            guard let k = table.index(of: column) else { continue }
            var numbers = 0, unreadable = 0
            var example: String? = nil
            for row in table.rows {
                let cell = row[k]
                if cell.isEmpty { continue }
                if Double(cell) != nil { numbers += 1 } else { unreadable += 1; example = example ?? cell }
            }
            guard unreadable > 0 else { continue }
            let what = "column '\(column)': \(unreadable) of \(numbers + unreadable) cells are not numbers (e.g. '\(example!.prefix(20))')"
            if unreadable > numbers { throw InputError.invalid(what) }
            report(column == errorColumn
                   ? "\(what); runs with such a cell are fitted without their standard errors"
                   : "\(what); their rows were skipped")
        }
    }
}

/// A short decimal form of a number for labels and messages.
public func formatShort(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(format: "%.6g", x)
}

/// `value ± error` with the error to two significant digits and the value to the same decimal
/// place; the value alone (five significant digits) without a finite positive error.
public func formatEstimate(_ value: Double, _ error: Double) -> String {
    guard error.isFinite, error > 0 else { return String(format: "%.5g", value) }
    let digits = max(0, min(10, 1 - Int(floor(log10(error)))))
    return String(format: "%.\(digits)f ± %.\(digits)f", value, error)
}
