import Foundation

/// Font sizes and rough text-extent estimates used to lay out labels without overlaps.
enum TextMetrics {
    /// Tick-label font size in pixels.
    static let tickFontSize = 13.0
    /// Axis-label font size in pixels.
    static let axisLabelFontSize = 15.0
    /// Title font size in pixels (bold).
    static let titleFontSize = 17.0
    /// Legend font size in pixels.
    static let legendFontSize = 13.0
    /// Estimated average glyph width as a fraction of the font size.
    static let widthFactor = 0.6

    /// Estimated rendered width of `text` at `fontSize`.
    static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * widthFactor * fontSize
    }

    /// Splits `text` into lines whose estimated width stays below `maxWidth`, breaking at spaces
    /// (a single over-long word is kept whole on its own line).
    static func wrap(_ text: String, fontSize: Double, maxWidth: Double) -> [String] {
        if text.isEmpty { return [] }
        let maxCharacters = max(8, Int(maxWidth / (widthFactor * fontSize)))
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            for word in paragraph.split(separator: " ") {
                if current.isEmpty {
                    current = String(word)
                } else if current.count + 1 + word.count <= maxCharacters {
                    current += " " + word
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            lines.append(current)
        }
        return lines
    }
}
