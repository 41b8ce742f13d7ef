import Foundation

/// Anything that renders itself as a standalone SVG document of a known size (``Figure``, ``HeatMap``).
public protocol SVGPanel: Sendable {
    /// The panel as a standalone SVG document.
    func svg() -> String
    /// The panel as SVG with all element ids prefixed by `idPrefix`, so several panels can share one document.
    func svg(idPrefix: String) -> String
    /// Canvas width in pixels.
    var width: Double { get }
    /// Canvas height in pixels.
    var height: Double { get }
}

extension SVGPanel {
    /// Default for panels without ids of their own: the plain document.
    public func svg(idPrefix: String) -> String {
        svg()
    }
}

/// Several panels side by side (row-major, `columns` per row) in one SVG document with an optional overall title.
public struct PanelGrid: Sendable, SVGPanel {
    /// Overall title above the panels.
    public var title: String
    /// The panels, filled row by row.
    public var panels: [any SVGPanel]
    /// Panels per row.
    public var columns: Int

    /// Creates a grid.
    public init(title: String = "", panels: [any SVGPanel], columns: Int) {
        self.title = title
        self.panels = panels
        self.columns = columns
    }

    /// Canvas width: the sum of the widest panel of each column.
    public var width: Double { layout().width }

    /// Canvas height: the title band plus the tallest panel of each row.
    public var height: Double { layout().height }

    /// The grid as one SVG document; each panel is a nested `<svg>` placed at its cell.
    public func svg() -> String {
        svg(idPrefix: "")
    }

    /// The grid as SVG with panel ids prefixed by `idPrefix` (so grids can be nested in grids).
    public func svg(idPrefix: String) -> String {
        let geometry = layout()
        var svg = SVGBuilder()
        svg.openDocument(width: geometry.width, height: geometry.height)
        for (index, line) in geometry.titleLines.enumerated() {
            svg.text(line, [("x", svgNumber(geometry.width / 2)),
                            ("y", svgNumber(10 + TextMetrics.titleFontSize * 1.1 * 0.9 + Double(index) * AxesLayout.titleLineHeight * 1.1)),
                            ("font-size", svgNumber(TextMetrics.titleFontSize * 1.1)), ("font-weight", "bold"),
                            ("text-anchor", "middle"), ("fill", "#111111")])
        }
        for (index, panel) in panels.enumerated() {
            let origin = geometry.origins[index]
            svg.raw(Self.placed(panel.svg(idPrefix: "\(idPrefix)p\(index)-"), x: origin.x, y: origin.y))
        }
        svg.close("svg")
        return svg.output
    }

    /// Positions of every panel and the canvas size.
    private func layout() -> (width: Double, height: Double, titleLines: [String], origins: [(x: Double, y: Double)]) {
        let columns = max(1, self.columns)
        let rows = (panels.count + columns - 1) / columns
        var columnWidths = [Double](repeating: 0, count: columns)
        var rowHeights = [Double](repeating: 0, count: rows)
        for (index, panel) in panels.enumerated() {
            columnWidths[index % columns] = max(columnWidths[index % columns], Figure.sanitized(panel.width, fallback: 760))
            rowHeights[index / columns] = max(rowHeights[index / columns], Figure.sanitized(panel.height, fallback: 500))
        }
        let usedColumns = min(columns, max(1, panels.count))
        let width = max(200, columnWidths.prefix(usedColumns).reduce(0, +))
        let titleLines = TextMetrics.wrap(title, fontSize: TextMetrics.titleFontSize * 1.1, maxWidth: width - 20)
        let titleBand = titleLines.isEmpty ? 0 : 14 + Double(titleLines.count) * AxesLayout.titleLineHeight * 1.1
        var origins: [(x: Double, y: Double)] = []
        for index in panels.indices {
            let column = index % columns, row = index / columns
            origins.append((columnWidths.prefix(column).reduce(0, +), titleBand + rowHeights.prefix(row).reduce(0, +)))
        }
        return (width, max(100, titleBand + rowHeights.reduce(0, +)), titleLines, origins)
    }

    /// Strips any XML declaration from `document` and adds `x`/`y` to its root `<svg>` element.
    static func placed(_ document: String, x: Double, y: Double) -> String {
        var body = Substring(document)
        if body.hasPrefix("<?xml"), let end = body.range(of: "?>") {
            body = body[end.upperBound...]
        }
        guard let start = body.range(of: "<svg") else { return "" }
        return String(body[start.lowerBound..<start.upperBound]) + " x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\""
            + body[start.upperBound...]
    }
}
