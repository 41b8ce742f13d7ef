import Foundation

/// The rectangle, in pixels, where data are drawn.
struct PlotRect: Sendable {
    /// Left edge.
    var left: Double
    /// Top edge.
    var top: Double
    /// Width.
    var width: Double
    /// Height.
    var height: Double

    /// Right edge.
    var right: Double { left + width }
    /// Bottom edge.
    var bottom: Double { top + height }
}

/// Margins, ticks and axis mappings of one plot, computed so that no text overlaps or is clipped.
///
/// The order matters: the title and x-axis label fix the plot height, which fixes the y ticks;
/// the widest y tick label fixes the left margin; then the x ticks are chosen for the remaining width.
struct AxesLayout {
    /// Canvas width.
    var width: Double
    /// Canvas height.
    var height: Double
    /// Title, wrapped to fit the canvas width.
    var titleLines: [String]
    /// Where data go.
    var plot: PlotRect
    /// Horizontal axis description.
    var xAxis: Axis
    /// Vertical axis description.
    var yAxis: Axis
    /// Horizontal data-to-pixel mapping.
    var x: AxisMapping
    /// Vertical data-to-pixel mapping.
    var y: AxisMapping
    /// Ticks of the x axis.
    var xTicks: [Tick]
    /// Ticks of the y axis.
    var yTicks: [Tick]
    /// Font size of the x-axis label (shrunk for very long labels).
    var xLabelFontSize: Double
    /// Font size of the y-axis label (shrunk for very long labels).
    var yLabelFontSize: Double

    /// Outward tick length for major ticks.
    static let majorTickLength = 5.0
    /// Outward tick length for minor ticks.
    static let minorTickLength = 3.0
    /// Gap between a tick's end and its label.
    static let tickLabelGap = 4.0
    /// Empty space kept at the canvas edges.
    static let edge = 10.0
    /// Title line height.
    static let titleLineHeight = TextMetrics.titleFontSize * 1.25

    /// Lays out a plot of `width` × `height`; `extraRight` returns the right-margin room needed
    /// (colour bar, outside legend) given the plot height.
    init(width: Double, height: Double, title: String, xAxis: Axis, xRange: ClosedRange<Double>,
         yAxis: Axis, yRange: ClosedRange<Double>, extraRight: (Double) -> Double = { _ in 0 }) {
        self.width = width
        self.height = height
        self.xAxis = xAxis
        self.yAxis = yAxis
        titleLines = TextMetrics.wrap(title, fontSize: TextMetrics.titleFontSize, maxWidth: width - 2 * Self.edge)
        let top = titleLines.isEmpty ? 16 : 10 + Double(titleLines.count) * Self.titleLineHeight + 10
        let tickBand = Self.majorTickLength + Self.tickLabelGap + TextMetrics.tickFontSize * 1.1
        let bottom = tickBand + (xAxis.label.isEmpty ? 0 : 6 + TextMetrics.axisLabelFontSize * 1.25) + Self.edge
        let plotHeight = max(40, height - top - bottom)
        yLabelFontSize = Self.labelFontSize(yAxis.label, length: plotHeight)
        let yTicks = yAxis.ticks(for: yRange, fit: LabelFit(length: plotHeight, horizontal: false))
        let widestY = yTicks.compactMap { $0.label }.map { TextMetrics.width($0, fontSize: TextMetrics.tickFontSize) }.max() ?? 0
        let left = Self.edge + (yAxis.label.isEmpty ? 0 : yLabelFontSize * 1.2 + 6)
            + widestY + Self.majorTickLength + Self.tickLabelGap
        var right = max(22, extraRight(plotHeight) + 10)
        var plotWidth = max(40, width - left - right)
        var xMapping = AxisMapping(scale: xAxis.scale, range: xRange, start: left, end: left + plotWidth)
        var xTicks = xAxis.ticks(for: xRange, fit: LabelFit(length: plotWidth, horizontal: true))
        // The last x label may stick out to the right of the plot; make room and re-tick once.
        if let last = xTicks.last(where: { $0.label != nil }), let px = xMapping.pixel(last.value) {
            let overhang = px + TextMetrics.width(last.label!, fontSize: TextMetrics.tickFontSize) / 2 + 4 - (width - right)
            if overhang > 0 && extraRight(plotHeight) == 0 {
                right += overhang
                plotWidth = max(40, width - left - right)
                xMapping = AxisMapping(scale: xAxis.scale, range: xRange, start: left, end: left + plotWidth)
                xTicks = xAxis.ticks(for: xRange, fit: LabelFit(length: plotWidth, horizontal: true))
            }
        }
        plot = PlotRect(left: left, top: top, width: plotWidth, height: plotHeight)
        x = xMapping
        y = AxisMapping(scale: yAxis.scale, range: yRange, start: top + plotHeight, end: top)
        self.xTicks = xTicks
        self.yTicks = yTicks
        xLabelFontSize = Self.labelFontSize(xAxis.label, length: width - 2 * Self.edge)
    }

    /// Axis-label font size: normally 15 px, smaller when the label would be longer than `length`.
    static func labelFontSize(_ label: String, length: Double) -> Double {
        let natural = TextMetrics.axisLabelFontSize
        let needed = TextMetrics.width(label, fontSize: natural)
        return needed <= length ? natural : max(9, natural * length / needed)
    }

    /// Ticks of `ticks` that lie inside `mapping`'s range, with their pixel coordinates.
    static func visible(_ ticks: [Tick], on mapping: AxisMapping) -> [(tick: Tick, pixel: Double)] {
        ticks.compactMap { tick in
            guard let f = mapping.fraction(tick.value), f >= -1e-6, f <= 1 + 1e-6, let p = mapping.pixel(tick.value) else { return nil }
            return (tick, p)
        }
    }
}
