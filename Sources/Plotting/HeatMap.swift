import Foundation

/// A phase diagram: a grid of coloured cells (viridis) with a colour bar and optional line/marker overlays.
public struct HeatMap: Sendable, SVGPanel {
    /// Title above the plot.
    public var title: String
    /// Horizontal axis (range defaults to the outer cell edges).
    public var xAxis: Axis
    /// Vertical axis (range defaults to the outer cell edges).
    public var yAxis: Axis
    /// Cell centres along x (n values, increasing).
    public var xValues: [Double]
    /// Cell centres along y (m values, increasing).
    public var yValues: [Double]
    /// m rows (one per y value) of n values; NaN/±inf cells are drawn light grey.
    public var values: [[Double]]
    /// Label of the colour bar.
    public var colorbarLabel: String
    /// Colour by log10 of the value (non-positive cells are grey).
    public var logColor: Bool
    /// Fixed colour range, or `nil` for the range of the finite (positive, if `logColor`) values.
    public var colorRange: ClosedRange<Double>?
    /// Lines/markers drawn on top of the cells; named ones appear in a legend.
    public var overlays: [Series]
    /// Where the overlay legend goes.
    public var legendPosition: LegendPosition
    /// Canvas width in pixels.
    public var width: Double
    /// Canvas height in pixels.
    public var height: Double

    /// Creates a heat map.
    public init(title: String, xAxis: Axis, yAxis: Axis, xValues: [Double], yValues: [Double], values: [[Double]],
                colorbarLabel: String = "", logColor: Bool = false, colorRange: ClosedRange<Double>? = nil,
                overlays: [Series] = [], legendPosition: LegendPosition = .automatic,
                width: Double = 760, height: Double = 500) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.xValues = xValues
        self.yValues = yValues
        self.values = values
        self.colorbarLabel = colorbarLabel
        self.logColor = logColor
        self.colorRange = colorRange
        self.overlays = overlays
        self.legendPosition = legendPosition
        self.width = width
        self.height = height
    }

    /// The heat map as a standalone SVG document.
    public func svg() -> String {
        svg(idPrefix: "heat-")
    }

    /// The heat map as SVG, with element ids prefixed by `idPrefix`.
    public func svg(idPrefix: String) -> String {
        let width = Figure.sanitized(self.width, fallback: 760), height = Figure.sanitized(self.height, fallback: 500)
        let xEdges = Self.edges(of: xValues, on: xAxis), yEdges = Self.edges(of: yValues, on: yAxis)
        let xRange = xAxis.resolvedRange(for: xEdges.filter { $0.isFinite }, padding: 0)
        let yRange = yAxis.resolvedRange(for: yEdges.filter { $0.isFinite }, padding: 0)
        let valueRange = resolvedValueRange()
        let colors = Color.assign(to: overlays, from: Color.overlayPalette)
        let legend = Legend(series: overlays, colors: colors)
        let outside = legendPosition == .outsideRight && !legend.isEmpty
        let layout = AxesLayout(width: width, height: height, title: title, xAxis: xAxis, xRange: xRange,
                                yAxis: yAxis, yRange: yRange, extraRight: { plotHeight in
            let bar = Colorbar(range: valueRange, logarithmic: logColor, label: colorbarLabel, length: plotHeight)
            return bar.requiredWidth + (outside ? legend.width + 14 : 0)
        })
        let colorbar = Colorbar(range: valueRange, logarithmic: logColor, label: colorbarLabel, length: layout.plot.height)
        let axes = AxesRenderer(layout: layout)

        var svg = SVGBuilder()
        svg.openDocument(width: width, height: height)
        let clipID = idPrefix + "plot-area"
        svg.open("defs")
        axes.clipPath(id: clipID, into: &svg)
        svg.close("defs")
        svg.open("g", [("clip-path", "url(#\(clipID))")])
        drawCells(into: &svg, layout: layout, xEdges: xEdges, yEdges: yEdges, colorbar: colorbar)
        let renderers = zip(overlays, colors).map {
            SeriesRenderer(series: $0, color: $1, x: layout.x, y: layout.y, halo: true)
        }
        for renderer in renderers {
            renderer.draw(into: &svg)
        }
        svg.close("g")
        axes.drawFrameAndLabels(into: &svg)
        colorbar.draw(into: &svg, plot: layout.plot, gradientID: idPrefix + "colorbar")
        if !legend.isEmpty {
            var origin = legend.origin(legendPosition, plot: layout.plot, covered: renderers.flatMap { $0.coveredPoints() })
            if outside { origin.x += colorbar.requiredWidth }
            legend.draw(into: &svg, x: origin.x, y: origin.y)
        }
        svg.close("svg")
        return svg.output
    }

    /// One rect per cell, coloured by value; cells without a usable value are light grey.
    private func drawCells(into svg: inout SVGBuilder, layout: AxesLayout, xEdges: [Double], yEdges: [Double],
                           colorbar: Colorbar) {
        svg.open("g", [("shape-rendering", "crispEdges")])
        for (row, rowValues) in values.prefix(yValues.count).enumerated() {
            guard let y0 = layout.y.pixel(yEdges[row]), let y1 = layout.y.pixel(yEdges[row + 1]) else { continue }
            for (column, value) in rowValues.prefix(xValues.count).enumerated() {
                guard let x0 = layout.x.pixel(xEdges[column]), let x1 = layout.x.pixel(xEdges[column + 1]) else { continue }
                let color = colorbar.fraction(value).map { Colormap.viridis($0) } ?? .missing
                // Whole-pixel edges shared by neighbours: with crispEdges, fractional edges would
                // round apart and leave visible seams between cells.
                let left = min(x0, x1).rounded(), right = max(x0, x1).rounded()
                let top = min(y0, y1).rounded(), bottom = max(y0, y1).rounded()
                svg.rect(left, top, max(right - left, 1), max(bottom - top, 1), [("fill", color.hexString)])
            }
        }
        svg.close("g")
    }

    /// The colour range: `colorRange`, or the span of the usable values (never empty).
    private func resolvedValueRange() -> ClosedRange<Double> {
        let axis = Axis(label: "", scale: logColor ? .log : .linear, range: colorRange)
        return axis.resolvedRange(for: values.flatMap { $0 }, padding: 0)
    }

    /// Cell edges (n + 1 of them) around `centers`: midpoints between neighbours (geometric on log axes),
    /// half a spacing beyond the outermost centres. Edges of unusable centres are NaN.
    static func edges(of centers: [Double], on axis: Axis) -> [Double] {
        guard !centers.isEmpty else { return [] }
        let log = axis.scale == .log
        let t = centers.map { axis.accepts($0) ? (log ? log10($0) : $0) : Double.nan }
        var result = [Double](repeating: .nan, count: t.count + 1)
        if t.count == 1 {
            result = [t[0] - 0.5, t[0] + 0.5]
        } else {
            for index in 1..<t.count {
                result[index] = (t[index - 1] + t[index]) / 2
            }
            result[0] = t[0] - (t[1] - t[0]) / 2
            result[t.count] = t[t.count - 1] + (t[t.count - 1] - t[t.count - 2]) / 2
        }
        return log ? result.map { pow(10, $0) } : result
    }
}
