import Foundation

/// Shape drawn at each data point.
public enum MarkerShape: Sendable, Equatable {
    /// A filled circle.
    case circle
    /// A filled square.
    case square
    /// A filled upward triangle.
    case triangle
    /// A filled downward triangle.
    case triangleDown
    /// A filled diamond.
    case diamond
    /// No marker.
    case none
}

/// Whether a series is drawn as a polyline, as markers, or both.
public enum SeriesStyle: Sendable, Equatable {
    /// A polyline through the points.
    case line
    /// Markers only.
    case markers
    /// A polyline with a marker at every point.
    case lineAndMarkers
}

/// One data series of a ``Figure`` (or an overlay on a ``HeatMap``).
public struct Series: Sendable {
    /// Legend label; an empty name keeps the series out of the legend.
    public var name: String
    /// Abscissae.
    public var x: [Double]
    /// Ordinates (paired with `x`; extra values in the longer array are ignored).
    public var y: [Double]
    /// Symmetric error bars (half-lengths), drawn with caps.
    public var yError: [Double]?
    /// Line, markers, or both.
    public var style: SeriesStyle
    /// Marker shape used when `style` shows markers.
    public var marker: MarkerShape
    /// Colour, or `nil` for the next palette colour.
    public var color: Color?
    /// Draw the line dashed.
    public var dashed: Bool
    /// Line width in pixels.
    public var lineWidth: Double

    /// Creates a series.
    public init(name: String, x: [Double], y: [Double], yError: [Double]? = nil,
                style: SeriesStyle = .line, marker: MarkerShape = .circle, color: Color? = nil,
                dashed: Bool = false, lineWidth: Double = 2) {
        self.name = name
        self.x = x
        self.y = y
        self.yError = yError
        self.style = style
        self.marker = marker
        self.color = color
        self.dashed = dashed
        self.lineWidth = lineWidth
    }

    /// Whether the polyline is drawn.
    var drawsLine: Bool { style != .markers }

    /// Whether markers are drawn.
    var drawsMarkers: Bool { style != .line && marker != .none }

    /// Number of (x, y) pairs.
    var count: Int { min(x.count, y.count) }

    /// Error half-length at `index`, if any and finite.
    func error(at index: Int) -> Double? {
        guard let yError, index < yError.count, yError[index].isFinite else { return nil }
        return abs(yError[index])
    }

    /// All x values that can be shown on `axis` and belong to a point whose y value is also usable.
    func xValues(xAxis: Axis, yAxis: Axis) -> [Double] {
        (0..<count).filter { xAxis.accepts(x[$0]) && yAxis.accepts(y[$0]) }.map { x[$0] }
    }

    /// All y values (including error-bar ends) that can be shown, for points with a usable x.
    func yValues(xAxis: Axis, yAxis: Axis) -> [Double] {
        var values: [Double] = []
        for index in 0..<count where xAxis.accepts(x[index]) && yAxis.accepts(y[index]) {
            values.append(y[index])
            if let error = error(at: index) {
                values.append(y[index] + error)
                if yAxis.accepts(y[index] - error) { values.append(y[index] - error) }
            }
        }
        return values
    }
}
