/// A JSON document with ordered object keys, rendered deterministically.
///
/// Non-finite numbers have no JSON spelling and are written as `null`; finite numbers use Swift's
/// shortest round-tripping decimal form, so values survive a write–read cycle exactly.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    /// An unsigned integer, written in full (a seed above 2⁶³ stays as given).
    case unsigned(UInt64)
    case string(String)
    case array([JSONValue])
    case object([Field])

    /// One key–value pair of an object.
    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from ordered pairs.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { Field($0.key, $0.value) })
    }

    /// A number, or `null` when the value is `nil` or not finite.
    public static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// The value under `key` if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }

    /// The JSON text; `pretty` indents objects and arrays by two spaces.
    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(into out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .unsigned(let u): out += String(u)
        case .number(let x): out += x.isFinite ? formatNumber(x) : "null"
        case .string(let s): out += JSONValue.quoted(s)
        case .array(let items):
            writeContainer(into: &out, indent: indent, open: "[", close: "]", count: items.count) { out, i, inner in
                items[i].write(into: &out, indent: inner)
            }
        case .object(let fields):
            writeContainer(into: &out, indent: indent, open: "{", close: "}", count: fields.count) { out, i, inner in
                out += JSONValue.quoted(fields[i].key)
                out += indent == nil ? ":" : ": "
                fields[i].value.write(into: &out, indent: inner)
            }
        }
    }

    private func writeContainer(
        into out: inout String, indent: Int?, open: String, close: String, count: Int,
        _ element: (inout String, Int, Int?) -> Void
    ) {
        out += open
        guard count > 0 else { out += close; return }
        let inner = indent.map { $0 + 2 }
        for i in 0..<count {
            if i > 0 { out += "," }
            if let inner { out += "\n" + String(repeating: " ", count: inner) }
            element(&out, i, inner)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Shortest decimal text that reads back as exactly `x` (Swift's `description`), with integral
/// values written without a trailing ".0" when they are small enough to be exact.
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return x.description
}
