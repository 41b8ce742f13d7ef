import Foundation

/// A value of a TOML document, as far as sweep specifications use TOML.
public indirect enum TOMLValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    /// An inline table, `{ from = 0.6, to = 0.7, steps = 3 }`, keys in the order written.
    case table([(key: String, value: TOMLValue)])

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var int: Int? { if case .integer(let i) = self { i } else { nil } }
    /// A float, or an integer read as one.
    public var number: Double? {
        switch self {
        case .float(let x): x
        case .integer(let i): Double(i)
        default: nil
        }
    }
    public var bool: Bool? { if case .boolean(let b) = self { b } else { nil } }
    public var array: [TOMLValue]? { if case .array(let a) = self { a } else { nil } }
    public var table: [(key: String, value: TOMLValue)]? { if case .table(let t) = self { t } else { nil } }

    public subscript(_ key: String) -> TOMLValue? { table?.first { $0.key == key }?.value }

    /// The value as TOML writes it.
    public var description: String {
        switch self {
        case .string(let s): "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .integer(let i): String(i)
        case .float(let x): x.isNaN ? "nan" : x.isInfinite ? (x > 0 ? "inf" : "-inf") : "\(x)"
        case .boolean(let b): b ? "true" : "false"
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .table(let fields): "{ " + fields.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + " }"
        }
    }

    public static func == (a: TOMLValue, b: TOMLValue) -> Bool { a.description == b.description }
}

/// A TOML document of the kind sweep specifications are: top-level `key = value` lines with
/// strings, integers, floats, booleans, arrays (over several lines, trailing comma allowed) and
/// inline tables, with comments. Table headers, dotted keys, multi-line strings and dates are
/// refused with a message, as are duplicate keys and anything malformed: the reader never traps,
/// whatever the bytes (it is fuzzed: Fuzz/SweepSpecification).
///
/// The tool's own reader replaced a C++ library whose debug assertions aborted the process on
/// some malformed inputs (`width = [71, 128,}`), found by fuzzing.
public struct TOMLDocument: Sendable {
    /// The keys and values in the order written.
    public let entries: [(key: String, value: TOMLValue)]

    public subscript(_ key: String) -> TOMLValue? { entries.first { $0.key == key }?.value }

    public init(parsing text: String) throws {
        var parser = TOMLParser(Array(text.unicodeScalars))
        entries = try parser.document()
    }
}

/// A TOML syntax error: the line and what was wrong.
public struct TOMLError: Error, CustomStringConvertible, Sendable {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// A recursive-descent reader over Unicode scalars.
struct TOMLParser {
    let s: [Unicode.Scalar]
    var i = 0
    var line = 1
    /// Nesting of arrays and inline tables (bounded, so that deep nesting cannot exhaust the stack).
    var depth = 0
    static let maximumDepth = 64

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    func fail(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }

    var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

    mutating func advance() {
        if current == "\n" { line += 1 }
        i += 1
    }

    /// Skips spaces and tabs (and, when `newlines`, line breaks and comments).
    mutating func skipBlank(newlines: Bool = false) {
        while let c = current {
            if c == " " || c == "\t" { advance() }
            else if newlines && (c == "\n" || c == "\r") { advance() }
            else if newlines && c == "#" { skipComment() }
            else { break }
        }
    }

    mutating func skipComment() {
        while let c = current, c != "\n" { advance() }
    }

    /// The rest of a line after a value: blanks, an optional comment, then a line break or the end.
    mutating func endOfLine() throws {
        skipBlank()
        if current == "#" { skipComment() }
        if current == "\r" { advance() }
        guard current == nil || current == "\n" else {
            throw fail("unexpected '\(current!)' after a value (one key = value a line)")
        }
        if current == "\n" { advance() }
    }

    mutating func document() throws -> [(key: String, value: TOMLValue)] {
        var entries: [(key: String, value: TOMLValue)] = []
        while true {
            skipBlank(newlines: true)
            guard let c = current else { return entries }
            if c == "[" { throw fail("tables ([...]) are not used in sweep specifications: write key = value lines") }
            let keyLine = line
            let key = try self.key()
            skipBlank()
            guard current == "=" else { throw fail("expected '=' after the key '\(key)'") }
            advance()
            skipBlank()
            let value = try self.value()
            try endOfLine()
            if entries.contains(where: { $0.key == key }) {
                throw TOMLError(line: keyLine, message: "the key '\(key)' is given twice")
            }
            entries.append((key, value))
        }
    }

    mutating func key() throws -> String {
        guard let c = current else { throw fail("expected a key") }
        var key: String
        if c == "\"" || c == "'" {
            key = try string()
        } else {
            key = ""
            while let c = current, c.properties.isASCIIHexDigit || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || c == "-" {
                key.unicodeScalars.append(c)
                advance()
            }
            guard !key.isEmpty else { throw fail("expected a key, found '\(c)'") }
        }
        skipBlank()
        if current == "." { throw fail("dotted keys (\(key).…) are not used in sweep specifications") }
        return key
    }

    mutating func value() throws -> TOMLValue {
        guard let c = current else { throw fail("expected a value at the end of the text") }
        switch c {
        case "\"", "'":
            return .string(try string())
        case "[":
            return try array()
        case "{":
            return try inlineTable()
        case "t", "f":
            if match("true") { return .boolean(true) }
            if match("false") { return .boolean(false) }
            throw fail("expected a value, found '\(word())'")
        default:
            return try number()
        }
    }

    /// Consumes `literal` if the text continues with it (and then no further letter or digit).
    mutating func match(_ literal: String) -> Bool {
        let scalars = Array(literal.unicodeScalars)
        guard i + scalars.count <= s.count, Array(s[i..<(i + scalars.count)]) == scalars else { return false }
        if i + scalars.count < s.count, isWordScalar(s[i + scalars.count]) { return false }
        i += scalars.count
        return true
    }

    func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "." || c == "+" || c == "-" || c == ":"
    }

    /// The next run of word characters (for messages).
    func word() -> String {
        var j = i, w = ""
        while j < s.count, isWordScalar(s[j]), w.unicodeScalars.count < 20 { w.unicodeScalars.append(s[j]); j += 1 }
        return w.isEmpty ? String(s[i]) : w
    }

    mutating func number() throws -> TOMLValue {
        var text = ""
        while let c = current, isWordScalar(c) { text.unicodeScalars.append(c); advance() }
        guard !text.isEmpty else { throw fail("expected a value, found '\(current.map(String.init) ?? "")'") }
        if text.contains(":") || (text.count >= 10 && text.dropFirst(4).first == "-" && text.first?.isNumber == true) {
            throw fail("dates are not used in sweep specifications, found '\(text)'")
        }
        var body = Substring(text)
        var sign = ""
        if body.first == "+" || body.first == "-" { sign = body.first == "-" ? "-" : ""; body = body.dropFirst() }
        if body == "inf" { return .float(sign == "-" ? -.infinity : .infinity) }
        if body == "nan" { return .float(.nan) }
        // Underscores only between digits.
        let chars = Array(body)
        for (k, ch) in chars.enumerated() where ch == "_" {
            guard k > 0, k < chars.count - 1, chars[k - 1].isNumber, chars[k + 1].isNumber else {
                throw fail("'\(text)' is not a number")
            }
        }
        let digits = body.replacingOccurrences(of: "_", with: "")
        guard let first = digits.first, first.isNumber else { throw fail("expected a value, found '\(text)'") }
        if digits.hasPrefix("0x") || digits.hasPrefix("0o") || digits.hasPrefix("0b") {
            throw fail("write '\(text)' as a decimal number")
        }
        let isFloat = digits.contains(".") || digits.contains("e") || digits.contains("E")
        if isFloat {
            // TOML: digits on both sides of the point, and an exponent of digits.
            let pattern = #"^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#
            guard digits.range(of: pattern, options: .regularExpression) != nil, let x = Double(sign + digits) else {
                throw fail("'\(text)' is not a number")
            }
            return .float(x)
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw fail("'\(text)' is not a number") }
        if digits.count > 1 && digits.first == "0" { throw fail("'\(text)': leading zeros are not allowed") }
        guard let n = Int(sign + digits) else { throw fail("the integer '\(text)' is out of range") }
        return .integer(n)
    }

    mutating func string() throws -> String {
        let quote = current!
        advance()
        if current == quote, i + 1 < s.count, s[i + 1] == quote {
            throw fail("multi-line strings are not used in sweep specifications")
        }
        var out = ""
        while true {
            guard let c = current, c != "\n" else { throw fail("a string is not closed on its line") }
            advance()
            if c == quote { return out }
            if c == "\\" && quote == "\"" {
                guard let e = current else { throw fail("a string ends in a backslash") }
                advance()
                switch e {
                case "\"": out += "\""
                case "\\": out += "\\"
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                case "b": out += "\u{8}"
                case "f": out += "\u{c}"
                case "u", "U":
                    let count = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<count {
                        guard let h = current, h.properties.isASCIIHexDigit else { throw fail("a \\\(e) escape needs \(count) hexadecimal digits") }
                        hex.unicodeScalars.append(h)
                        advance()
                    }
                    guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                        throw fail("\\\(e)\(hex) is not a Unicode character")
                    }
                    out.unicodeScalars.append(scalar)
                default: throw fail("unknown escape \\\(e) in a string")
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }

    mutating func array() throws -> TOMLValue {
        advance()  // [
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw fail("arrays nested more than \(Self.maximumDepth) deep") }
        var items: [TOMLValue] = []
        while true {
            skipBlank(newlines: true)
            guard let c = current else { throw fail("an array is not closed") }
            if c == "]" { advance(); return .array(items) }
            items.append(try value())
            skipBlank(newlines: true)
            guard let next = current else { throw fail("an array is not closed") }
            if next == "," { advance(); continue }
            if next == "]" { advance(); return .array(items) }
            throw fail("expected ',' or ']' in an array, found '\(next)'")
        }
    }

    mutating func inlineTable() throws -> TOMLValue {
        advance()  // {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw fail("tables nested more than \(Self.maximumDepth) deep") }
        var fields: [(key: String, value: TOMLValue)] = []
        skipBlank()
        if current == "}" { advance(); return .table(fields) }
        while true {
            skipBlank()
            if current == "\n" || current == "\r" { throw fail("an inline table is written on one line") }
            let key = try self.key()
            guard current == "=" else { throw fail("expected '=' after '\(key)' in an inline table") }
            advance()
            skipBlank()
            let value = try self.value()
            if fields.contains(where: { $0.key == key }) { throw fail("the key '\(key)' is given twice in an inline table") }
            fields.append((key, value))
            skipBlank()
            guard let c = current else { throw fail("an inline table is not closed") }
            if c == "," { advance(); continue }
            if c == "}" { advance(); return .table(fields) }
            throw fail("expected ',' or '}' in an inline table (on one line), found '\(c == "\n" ? "a line break" : String(c))'")
        }
    }
}
