import CriticalityCore
import Foundation

/// A CSV file with a header line, read as text cells: the tidy files of docs/file-formats.md, or anybody
/// else's table of numbers.
///
/// Fields are separated by commas; a field may be quoted with `"` (a doubled `""` inside is one
/// quote). Blank lines and lines starting with `#` are skipped. Cells are parsed as numbers on
/// demand: empty cells and `nan` are missing values.
public struct TidyTable: Sendable {
    public private(set) var columns: [String]
    public private(set) var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Parses CSV `text`, naming `source` in error messages.
    ///
    /// - Complexity: O(length of `text`); lines are split on bytes (LF or CRLF), not on characters.
    public init(parsing text: String, source: String = "input") throws {
        var header: [String]?
        var rows: [[String]] = []
        var lineNumber = 0
        var text = text
        try text.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 10 { end += 1 }
                lineNumber += 1
                var stop = end
                if stop > start && bytes[stop - 1] == 13 { stop -= 1 }
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<stop])
                start = end + 1
                let content = TidyTable.trimmed(raw[...])
                if content.isEmpty || content.first == 35 { continue }  // blank or "#"
                let fields = raw.contains(34) ? TidyTable.fields(of: String(decoding: raw, as: UTF8.self))
                    : raw.split(separator: 44, omittingEmptySubsequences: false).map { String(decoding: TidyTable.trimmed($0), as: UTF8.self) }
                guard let header else {
                    header = fields
                    continue
                }
                guard fields.count == header.count else {
                    throw InputError.invalid("\(source):\(lineNumber): \(fields.count) fields, the header has \(header.count)")
                }
                rows.append(fields)
            }
        }
        guard let header, !header.isEmpty else { throw InputError.invalid("\(source): empty file (no header line)") }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw InputError.invalid("\(source): column '\(name)' appears twice in the header")
        }
        guard !rows.isEmpty else { throw InputError.invalid("\(source): no data rows") }
        self.columns = header
        self.rows = rows
    }

    /// Reads a CSV file.
    public init(contentsOf path: String) throws {
        // Plain or gzip-compressed, whatever the name says.
        try self.init(parsing: try readTextFile(path), source: path)
    }

    /// The bytes without leading and trailing spaces and tabs.
    static func trimmed(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi && (s[lo] == 32 || s[lo] == 9) { lo += 1 }
        while hi > lo && (s[hi - 1] == 32 || s[hi - 1] == 9) { hi -= 1 }
        return s[lo..<hi]
    }

    /// The fields of a line with quotes.
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    public func index(of column: String) -> Int? { columns.firstIndex(of: column) }

    public func has(_ column: String) -> Bool { index(of: column) != nil }

    /// The numeric value of a cell: `nil` for empty cells, `nan` and text.
    public static func number(_ cell: String) -> Double? {
        guard !cell.isEmpty, let x = Double(cell), !x.isNaN else { return nil }
        return x
    }

    /// Whether `column` exists and holds at least one number.
    public func hasNumbers(in column: String) -> Bool {
        guard let k = index(of: column) else { return false }
        return rows.contains { TidyTable.number($0[k]) != nil }
    }

    /// Rows of `other` appended; the columns must be the same (in any order) or an error names the
    /// difference.
    public mutating func append(_ other: TidyTable, source: String) throws {
        guard Set(other.columns) == Set(columns) else {
            let extra = Set(other.columns).symmetricDifference(columns).sorted().joined(separator: ", ")
            throw InputError.invalid("\(source): columns differ from the first input (\(extra))")
        }
        let map = columns.map { other.index(of: $0)! }
        for row in other.rows { rows.append(map.map { row[$0] }) }
    }

    /// A copy with a constant column added (e.g. the input file a row came from).
    public func adding(column: String, value: String) -> TidyTable {
        TidyTable(columns: columns + [column], rows: rows.map { $0 + [value] })
    }
}
