import Foundation

/// An SVG attribute list in emission order (kept ordered so output is deterministic).
typealias SVGAttributes = [(String, String)]

/// Accumulates SVG markup, escaping all text and attribute values.
struct SVGBuilder {
    /// The markup written so far.
    private(set) var output = ""

    /// Creates an empty builder.
    init() {
        output.reserveCapacity(16_384)
    }

    /// Escapes the XML special characters `& < > " '`.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                // Drop control characters that are not allowed in XML 1.0.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                   scalar.value < 0x20, scalar.value != 0x09, scalar.value != 0x0A, scalar.value != 0x0D {
                    continue
                }
                result.append(character)
            }
        }
        return result
    }

    /// Opens `<tag ...>` and leaves it open.
    mutating func open(_ tag: String, _ attributes: SVGAttributes = []) {
        output += "<\(tag)\(Self.render(attributes))>\n"
    }

    /// Closes `</tag>`.
    mutating func close(_ tag: String) {
        output += "</\(tag)>\n"
    }

    /// Writes a self-closing element `<tag .../>`.
    mutating func element(_ tag: String, _ attributes: SVGAttributes) {
        output += "<\(tag)\(Self.render(attributes))/>\n"
    }

    /// Writes an element with escaped text content, e.g. `<text ...>content</text>`.
    mutating func text(_ content: String, _ attributes: SVGAttributes, tag: String = "text") {
        output += "<\(tag)\(Self.render(attributes))>\(Self.escape(content))</\(tag)>\n"
    }

    /// Appends already well-formed markup verbatim.
    mutating func raw(_ markup: String) {
        output += markup
        if !markup.hasSuffix("\n") { output += "\n" }
    }

    /// Writes a straight line segment.
    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ attributes: SVGAttributes = []) {
        element("line", [("x1", svgNumber(x1)), ("y1", svgNumber(y1)),
                         ("x2", svgNumber(x2)), ("y2", svgNumber(y2))] + attributes)
    }

    /// Writes a rectangle.
    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, _ attributes: SVGAttributes = []) {
        element("rect", [("x", svgNumber(x)), ("y", svgNumber(y)),
                         ("width", svgNumber(max(0, width))), ("height", svgNumber(max(0, height)))] + attributes)
    }

    /// Opens the root `<svg>` element with a white background covering the whole canvas.
    mutating func openDocument(width: Double, height: Double) {
        open("svg", [("xmlns", "http://www.w3.org/2000/svg"),
                     ("width", svgNumber(width)), ("height", svgNumber(height)),
                     ("viewBox", "0 0 \(svgNumber(width)) \(svgNumber(height))"),
                     ("font-family", "sans-serif")])
        rect(0, 0, width, height, [("fill", "#ffffff")])
    }

    private static func render(_ attributes: SVGAttributes) -> String {
        var result = ""
        for (name, value) in attributes {
            result += " \(name)=\"\(escape(value))\""
        }
        return result
    }
}

/// Formats a coordinate with at most two decimals and no trailing zeros (`12.5`, `3`, `-0.25`).
func svgNumber(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let clamped = min(max(value, -1e7), 1e7)
    let hundredths = Int((clamped * 100).rounded())
    if hundredths == 0 { return "0" }
    let sign = hundredths < 0 ? "-" : ""
    let magnitude = abs(hundredths)
    let whole = magnitude / 100
    let fraction = magnitude % 100
    if fraction == 0 { return "\(sign)\(whole)" }
    if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
    return fraction < 10 ? "\(sign)\(whole).0\(fraction)" : "\(sign)\(whole).\(fraction)"
}
