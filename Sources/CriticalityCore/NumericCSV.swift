import Foundation

/// Rows of numbers read from CSV text: the format of data-file inputs.
///
/// Separators are commas (or, failing that, whitespace); a first line that does not parse as numbers is
/// taken as a header; blank lines and lines starting with `#` are skipped. Every other field must
/// be a finite number.
public struct NumericCSV: Sendable, Equatable {
    public var header: [String]?
    public var rows: [[Double]]

    /// Parses `text`, naming `source` in error messages.
    public init(parsing text: String, source: String = "input") throws {
        header = nil
        rows = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.contains(",")
                ? trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                : trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let values = fields.map { Double($0) }
            if values.contains(where: { $0 == nil }) {
                if rows.isEmpty && header == nil {
                    header = fields
                    continue
                }
                let bad = fields[values.firstIndex(where: { $0 == nil })!]
                throw InputError.invalid("\(source):\(lineNumber): '\(bad)' is not a number")
            }
            let numbers = values.map { $0! }
            guard numbers.allSatisfy(\.isFinite) else { throw InputError.invalid("\(source):\(lineNumber): non-finite value") }
            if let first = rows.first, first.count != numbers.count {
                throw InputError.invalid("\(source):\(lineNumber): \(numbers.count) fields, expected \(first.count)")
            }
            rows.append(numbers)
        }
        guard !rows.isEmpty else { throw InputError.invalid("\(source): no rows of numbers") }
    }

    /// The rows without column `index` (0-based), e.g. a label column.
    public func dropping(column index: Int) -> [[Double]] {
        rows.map { row in var r = row; r.remove(at: index); return r }
    }
}

extension NumericCSV {
    /// Reads a CSV file, plain or gzip-compressed (``readTextFile(_:)``).
    public init(contentsOf path: String) throws {
        try self.init(parsing: try readTextFile(path), source: path)
    }
}
