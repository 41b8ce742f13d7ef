/// A tidy table: named columns, one row per observation, written as CSV or as a JSON array of
/// records (both load directly into pandas).
public struct Table: Sendable, Equatable {
    /// One cell of a row.
    public enum Cell: Sendable, Equatable {
        case number(Double)
        case integer(Int)
        /// An unsigned integer (seeds take the whole UInt64 range and are printed as given).
        case unsigned(UInt64)
        case text(String)
        case missing

        /// A number, or `missing` when `nil`.
        public static func optional(_ value: Double?) -> Cell { value.map(Cell.number) ?? .missing }
    }

    public let columns: [String]
    public private(set) var rows: [[Cell]] = []

    public init(columns: [String]) { self.columns = columns }

    /// Appends a row; it must have one cell per column.
    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// Appends all rows of `other`, which must have the same columns.
    public mutating func append(contentsOf other: Table) {
        precondition(other.columns == columns, "tables with different columns")
        rows.append(contentsOf: other.rows)
    }

    /// CSV text with a header line. Numbers use the shortest round-tripping form; non-finite
    /// numbers are written `nan`, `inf`, `-inf` (pandas reads them); missing cells are empty.
    public func csv() -> String {
        var out = columns.joined(separator: ",") + "\n"
        for row in rows {
            out += row.map(Table.csvField).joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// A JSON array with one object per row.
    public func json() -> JSONValue {
        .array(rows.map { row in
            .object(zip(columns, row).map { JSONValue.Field($0, Table.jsonValue($1)) })
        })
    }

    /// The numeric values of one column (non-numeric cells become NaN).
    public func numbers(_ column: String) -> [Double] {
        guard let j = columns.firstIndex(of: column) else { return [] }
        return rows.map { row in
            switch row[j] {
            case .number(let x): x
            case .integer(let i): Double(i)
            case .unsigned(let u): Double(u)
            default: .nan
            }
        }
    }

    static func csvField(_ cell: Cell) -> String {
        switch cell {
        case .number(let x):
            if x.isNaN { return "nan" }
            if x.isInfinite { return x > 0 ? "inf" : "-inf" }
            return formatNumber(x)
        case .integer(let i): return String(i)
        case .unsigned(let u): return String(u)
        case .missing: return ""
        case .text(let s):
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    public static func jsonValue(_ cell: Cell) -> JSONValue {
        switch cell {
        case .number(let x): .number(Optional(x))
        case .integer(let i): .integer(i)
        case .unsigned(let u): .unsigned(u)
        case .text(let s): .string(s)
        case .missing: .null
        }
    }
}
