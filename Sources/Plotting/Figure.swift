import Foundation

/// A 2-D line/scatter plot with optional log axes, error bars and a legend, rendered as SVG.
public struct Figure: Sendable, SVGPanel {
    /// Title above the plot (wrapped when long).
    public var title: String
    /// Horizontal axis.
    public var xAxis: Axis
    /// Vertical axis.
    public var yAxis: Axis
    /// Data series, drawn in order.
    public var series: [Series]
    /// Where the legend (named series only) goes.
    public var legendPosition: LegendPosition
    /// Canvas width in pixels.
    public var width: Double
    /// Canvas height in pixels.
    public var height: Double

    /// Creates a figure.
    public init(title: String, xAxis: Axis, yAxis: Axis, series: [Series] = [],
                legendPosition: LegendPosition = .automatic, width: Double = 760, height: Double = 500) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.legendPosition = legendPosition
        self.width = width
        self.height = height
    }

    /// The figure as a standalone SVG document.
    public func svg() -> String {
        svg(idPrefix: "fig-")
    }

    /// The figure as SVG, with element ids prefixed by `idPrefix` (unique ids when several figures share a document).
    public func svg(idPrefix: String) -> String {
        let width = Self.sanitized(self.width, fallback: 760), height = Self.sanitized(self.height, fallback: 500)
        let colors = Color.assign(to: series, from: Color.palette)
        let xRange = xAxis.resolvedRange(for: series.flatMap { $0.xValues(xAxis: xAxis, yAxis: yAxis) })
        let yRange = yAxis.resolvedRange(for: series.flatMap { $0.yValues(xAxis: xAxis, yAxis: yAxis) })
        let legend = Legend(series: series, colors: colors)
        func layOut(outside: Bool) -> (AxesLayout, [SeriesRenderer]) {
            let layout = AxesLayout(width: width, height: height, title: title, xAxis: xAxis, xRange: xRange,
                                    yAxis: yAxis, yRange: yRange, extraRight: { _ in outside ? legend.width + 14 : 0 })
            return (layout, zip(series, colors).map { SeriesRenderer(series: $0, color: $1, x: layout.x, y: layout.y) })
        }
        var position = legendPosition
        var (layout, renderers) = layOut(outside: position == .outsideRight && !legend.isEmpty)
        // An automatic legend that would cover data in every inside corner goes beside the plot.
        if position == .automatic && !legend.isEmpty
            && legend.coveredCount(plot: layout.plot, covered: renderers.flatMap { $0.coveredPoints() }) > 0 {
            position = .outsideRight
            (layout, renderers) = layOut(outside: true)
        }
        let axes = AxesRenderer(layout: layout)

        var svg = SVGBuilder()
        svg.openDocument(width: width, height: height)
        let clipID = idPrefix + "plot-area"
        svg.open("defs")
        axes.clipPath(id: clipID, into: &svg)
        svg.close("defs")
        axes.drawGrid(into: &svg)
        svg.open("g", [("clip-path", "url(#\(clipID))")])
        for renderer in renderers {
            renderer.draw(into: &svg)
        }
        svg.close("g")
        axes.drawFrameAndLabels(into: &svg)
        if !legend.isEmpty {
            let origin = legend.origin(position, plot: layout.plot,
                                       covered: renderers.flatMap { $0.coveredPoints() })
            legend.draw(into: &svg, x: origin.x, y: origin.y)
        }
        svg.close("svg")
        return svg.output
    }

    /// A usable canvas dimension.
    static func sanitized(_ value: Double, fallback: Double) -> Double {
        value.isFinite && value >= 100 ? value : (value.isFinite && value > 0 ? 100 : fallback)
    }
}

extension Color {
    /// Each series' explicit colour, or the next unused colour of `palette` (cycling) for series without one.
    static func assign(to series: [Series], from palette: [Color]) -> [Color] {
        var next = 0
        return series.map { item in
            if let color = item.color { return color }
            defer { next += 1 }
            return palette[next % palette.count]
        }
    }
}
