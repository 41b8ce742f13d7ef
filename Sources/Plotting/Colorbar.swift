import Foundation

/// The vertical colour scale drawn to the right of a heat map.
struct Colorbar {
    /// Value range covered by the colormap.
    var range: ClosedRange<Double>
    /// Whether colours follow log10 of the value.
    var logarithmic: Bool
    /// Label drawn (rotated) to the right of the tick labels.
    var label: String
    /// Ticks, chosen for the bar height.
    var ticks: [Tick]

    /// Space between the plot frame and the bar.
    static let gap = 18.0
    /// Width of the bar.
    static let barWidth = 16.0

    /// Creates a colour bar whose tick labels fit along a bar `length` pixels tall.
    init(range: ClosedRange<Double>, logarithmic: Bool, label: String, length: Double) {
        self.range = range
        self.logarithmic = logarithmic
        self.label = label
        let fit = LabelFit(length: length, horizontal: false)
        ticks = logarithmic
            ? TickGenerator.log(lo: range.lowerBound, hi: range.upperBound, fit: fit)
            : TickGenerator.linear(lo: range.lowerBound, hi: range.upperBound, fit: fit)
    }

    /// Horizontal room needed to the right of the plot.
    var requiredWidth: Double {
        let widest = ticks.compactMap { $0.label }.map { TextMetrics.width($0, fontSize: TextMetrics.tickFontSize) }.max() ?? 0
        return Self.gap + Self.barWidth + AxesLayout.majorTickLength + AxesLayout.tickLabelGap + widest
            + (label.isEmpty ? 0 : 8 + TextMetrics.axisLabelFontSize * 1.2)
    }

    /// Position of `value` along the bar as a fraction (0 bottom, 1 top), or `nil` if it has no colour.
    func fraction(_ value: Double) -> Double? {
        AxisMapping(scale: logarithmic ? .log : .linear, range: range, start: 0, end: 1).fraction(value)
    }

    /// Draws the bar beside `plot`, defining its gradient with id `gradientID`.
    func draw(into svg: inout SVGBuilder, plot: PlotRect, gradientID: String) {
        let left = plot.right + Self.gap
        let mapping = AxisMapping(scale: logarithmic ? .log : .linear, range: range, start: plot.bottom, end: plot.top)
        svg.open("defs")
        svg.open("linearGradient", [("id", gradientID), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")])
        let anchors = Colormap.viridisAnchors
        for (index, color) in anchors.enumerated() {
            let offset = Double(index) / Double(anchors.count - 1)
            svg.element("stop", [("offset", svgNumber(offset)), ("stop-color", color.hexString)])
        }
        svg.close("linearGradient")
        svg.close("defs")
        svg.rect(left, plot.top, Self.barWidth, plot.height,
                 [("fill", "url(#\(gradientID))"), ("stroke", AxesRenderer.frameColor), ("stroke-width", "1")])
        let visible = AxesLayout.visible(ticks, on: mapping)
        let tickRight = left + Self.barWidth
        var path = ""
        for (tick, py) in visible {
            let length = tick.isMajor ? AxesLayout.majorTickLength : AxesLayout.minorTickLength
            path += "M\(svgNumber(tickRight)) \(svgNumber(py))h\(svgNumber(length))"
        }
        if !path.isEmpty {
            svg.element("path", [("d", path), ("stroke", AxesRenderer.frameColor), ("stroke-width", "1"), ("fill", "none")])
        }
        let size = TextMetrics.tickFontSize
        let labelLeft = tickRight + AxesLayout.majorTickLength + AxesLayout.tickLabelGap
        svg.open("g", [("font-size", svgNumber(size)), ("fill", AxesRenderer.textColor)])
        for (tick, py) in visible {
            guard let text = tick.label else { continue }
            svg.text(text, [("x", svgNumber(labelLeft)), ("y", svgNumber(py + size * 0.35))])
        }
        svg.close("g")
        if !label.isEmpty {
            let widest = visible.compactMap { $0.tick.label }.map { TextMetrics.width($0, fontSize: size) }.max() ?? 0
            let fontSize = AxesLayout.labelFontSize(label, length: plot.height)
            let x = labelLeft + widest + 8 + fontSize * 0.85
            let y = (plot.top + plot.bottom) / 2
            svg.text(label, [("x", svgNumber(x)), ("y", svgNumber(y)), ("font-size", svgNumber(fontSize)),
                             ("text-anchor", "middle"), ("fill", AxesRenderer.textColor),
                             ("transform", "rotate(-90 \(svgNumber(x)) \(svgNumber(y)))")])
        }
    }
}
