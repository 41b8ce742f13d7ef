import Foundation

/// Draws the non-data parts of a plot (background grid, frame, ticks, labels, title) from an ``AxesLayout``.
struct AxesRenderer {
    /// The layout to draw.
    var layout: AxesLayout

    /// Colour of the plot frame and tick marks.
    static let frameColor = "#333333"
    /// Colour of the grid lines.
    static let gridColor = "#e3e3e3"
    /// Colour of labels.
    static let textColor = "#222222"

    /// Light grid lines at the major ticks of both axes.
    func drawGrid(into svg: inout SVGBuilder) {
        let plot = layout.plot
        svg.open("g", [("stroke", Self.gridColor), ("stroke-width", "1")])
        for (tick, px) in AxesLayout.visible(layout.xTicks, on: layout.x) where tick.isMajor {
            svg.line(px, plot.top, px, plot.bottom)
        }
        for (tick, py) in AxesLayout.visible(layout.yTicks, on: layout.y) where tick.isMajor {
            svg.line(plot.left, py, plot.right, py)
        }
        svg.close("g")
    }

    /// A `<clipPath>` with the plot rectangle, identified by `id`.
    func clipPath(id: String, into svg: inout SVGBuilder) {
        let plot = layout.plot
        svg.open("clipPath", [("id", id)])
        svg.rect(plot.left, plot.top, plot.width, plot.height)
        svg.close("clipPath")
    }

    /// The frame around the plot, outward ticks, tick labels, axis labels and the title.
    func drawFrameAndLabels(into svg: inout SVGBuilder) {
        let plot = layout.plot
        svg.rect(plot.left, plot.top, plot.width, plot.height,
                 [("fill", "none"), ("stroke", Self.frameColor), ("stroke-width", "1")])
        drawTickMarks(into: &svg)
        drawTickLabels(into: &svg)
        drawAxisLabels(into: &svg)
        drawTitle(into: &svg)
    }

    private func drawTickMarks(into svg: inout SVGBuilder) {
        let plot = layout.plot
        var path = ""
        for (tick, px) in AxesLayout.visible(layout.xTicks, on: layout.x) {
            let length = tick.isMajor ? AxesLayout.majorTickLength : AxesLayout.minorTickLength
            path += "M\(svgNumber(px)) \(svgNumber(plot.bottom))v\(svgNumber(length))"
        }
        for (tick, py) in AxesLayout.visible(layout.yTicks, on: layout.y) {
            let length = tick.isMajor ? AxesLayout.majorTickLength : AxesLayout.minorTickLength
            path += "M\(svgNumber(plot.left)) \(svgNumber(py))h\(svgNumber(-length))"
        }
        if !path.isEmpty {
            svg.element("path", [("d", path), ("stroke", Self.frameColor), ("stroke-width", "1"), ("fill", "none")])
        }
    }

    private func drawTickLabels(into svg: inout SVGBuilder) {
        let plot = layout.plot
        let size = TextMetrics.tickFontSize
        svg.open("g", [("font-size", svgNumber(size)), ("fill", Self.textColor)])
        let xBaseline = plot.bottom + AxesLayout.majorTickLength + AxesLayout.tickLabelGap + size * 0.8
        for (tick, px) in AxesLayout.visible(layout.xTicks, on: layout.x) {
            guard let label = tick.label else { continue }
            svg.text(label, [("x", svgNumber(px)), ("y", svgNumber(xBaseline)), ("text-anchor", "middle")])
        }
        let yRight = plot.left - AxesLayout.majorTickLength - AxesLayout.tickLabelGap
        for (tick, py) in AxesLayout.visible(layout.yTicks, on: layout.y) {
            guard let label = tick.label else { continue }
            svg.text(label, [("x", svgNumber(yRight)), ("y", svgNumber(py + size * 0.35)), ("text-anchor", "end")])
        }
        svg.close("g")
    }

    private func drawAxisLabels(into svg: inout SVGBuilder) {
        let plot = layout.plot
        if !layout.xAxis.label.isEmpty {
            let size = layout.xLabelFontSize
            let halfWidth = TextMetrics.width(layout.xAxis.label, fontSize: size) / 2
            let centerX = Self.clampCenter((plot.left + plot.right) / 2, halfWidth: halfWidth, canvasWidth: layout.width)
            let baseline = plot.bottom + AxesLayout.majorTickLength + AxesLayout.tickLabelGap
                + TextMetrics.tickFontSize * 1.1 + 6 + size * 0.85
            svg.text(layout.xAxis.label, [("x", svgNumber(centerX)), ("y", svgNumber(baseline)),
                                          ("font-size", svgNumber(size)), ("text-anchor", "middle"),
                                          ("fill", Self.textColor)])
        }
        if !layout.yAxis.label.isEmpty {
            let size = layout.yLabelFontSize
            let x = AxesLayout.edge + size * 0.85
            let y = (plot.top + plot.bottom) / 2
            svg.text(layout.yAxis.label, [("x", svgNumber(x)), ("y", svgNumber(y)),
                                          ("font-size", svgNumber(size)), ("text-anchor", "middle"),
                                          ("fill", Self.textColor),
                                          ("transform", "rotate(-90 \(svgNumber(x)) \(svgNumber(y)))")])
        }
    }

    private func drawTitle(into svg: inout SVGBuilder) {
        let plot = layout.plot
        let size = TextMetrics.titleFontSize
        let widest = layout.titleLines.map { TextMetrics.width($0, fontSize: size) }.max() ?? 0
        let centerX = Self.clampCenter((plot.left + plot.right) / 2, halfWidth: widest / 2, canvasWidth: layout.width)
        for (index, line) in layout.titleLines.enumerated() {
            let baseline = 10 + size * 0.9 + Double(index) * AxesLayout.titleLineHeight
            svg.text(line, [("x", svgNumber(centerX)), ("y", svgNumber(baseline)), ("font-size", svgNumber(size)),
                            ("font-weight", "bold"), ("text-anchor", "middle"), ("fill", "#111111")])
        }
    }

    /// Moves a centred text's centre so that the whole text stays on the canvas.
    static func clampCenter(_ center: Double, halfWidth: Double, canvasWidth: Double) -> Double {
        let lo = AxesLayout.edge + halfWidth, hi = canvasWidth - AxesLayout.edge - halfWidth
        return lo > hi ? canvasWidth / 2 : min(max(center, lo), hi)
    }
}
