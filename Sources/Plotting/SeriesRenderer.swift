import Foundation

/// Draws one ``Series`` (line, error bars, markers) through a pair of axis mappings.
struct SeriesRenderer {
    /// The series to draw.
    var series: Series
    /// The resolved colour.
    var color: Color
    /// Horizontal mapping.
    var x: AxisMapping
    /// Vertical mapping.
    var y: AxisMapping
    /// Draw a white halo under lines so they stand out on coloured backgrounds (heat maps).
    var halo = false

    /// Marker half-size for a given line width.
    static func markerRadius(lineWidth: Double) -> Double {
        max(3.5, lineWidth * 1.9)
    }

    /// SVG dash pattern for dashed lines of the given width.
    static func dashArray(lineWidth: Double) -> String {
        "\(svgNumber(max(4, lineWidth * 3.5))),\(svgNumber(max(3, lineWidth * 2)))"
    }

    /// Pixel position of point `index`, or `nil` when either coordinate cannot be shown.
    func point(_ index: Int) -> (x: Double, y: Double)? {
        guard let px = x.pixel(series.x[index]), let py = y.pixel(series.y[index]) else { return nil }
        return (px, py)
    }

    /// Path data for the polyline, starting a new sub-path after every unusable point.
    func linePath() -> String {
        var path = ""
        var penDown = false
        for index in 0..<series.count {
            guard let p = point(index) else {
                penDown = false
                continue
            }
            path += "\(penDown ? "L" : "M")\(svgNumber(p.x)) \(svgNumber(p.y))"
            penDown = true
        }
        return path
    }

    /// Draws the series.
    func draw(into svg: inout SVGBuilder) {
        let stroke = color.hexString
        if series.drawsLine {
            let path = linePath()
            if path.contains("L") {
                if halo {
                    svg.element("path", [("d", path), ("fill", "none"), ("stroke", "#ffffff"),
                                         ("stroke-opacity", "0.7"), ("stroke-width", svgNumber(series.lineWidth + 2.5)),
                                         ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
                }
                var attributes: SVGAttributes = [("d", path), ("fill", "none"), ("stroke", stroke),
                                                 ("stroke-width", svgNumber(series.lineWidth)),
                                                 ("stroke-linejoin", "round"), ("stroke-linecap", "round")]
                if series.dashed {
                    attributes.append(("stroke-dasharray", Self.dashArray(lineWidth: series.lineWidth)))
                    attributes[5] = ("stroke-linecap", "butt")
                }
                svg.element("path", attributes)
            }
        }
        drawErrorBars(into: &svg, stroke: stroke)
        if series.drawsMarkers {
            let radius = Self.markerRadius(lineWidth: series.lineWidth)
            svg.open("g", [("fill", stroke), ("stroke", "#ffffff"), ("stroke-width", "0.8")])
            for index in 0..<series.count {
                if let p = point(index) {
                    series.marker.draw(into: &svg, x: p.x, y: p.y, radius: radius)
                }
            }
            svg.close("g")
        }
    }

    /// Error bars with caps; ends that cannot be shown on a log axis are clipped to the axis.
    private func drawErrorBars(into svg: inout SVGBuilder, stroke: String) {
        guard series.yError != nil else { return }
        let cap = Self.markerRadius(lineWidth: series.lineWidth) * 0.9
        var path = ""
        for index in 0..<series.count {
            guard let p = point(index), let error = series.error(at: index), error > 0 else { continue }
            let value = series.y[index]
            let top = y.pixel(value + error) ?? p.y
            let lowerIsShown = y.pixel(value - error) != nil
            let bottom = y.pixel(value - error) ?? y.start
            path += "M\(svgNumber(p.x)) \(svgNumber(bottom))L\(svgNumber(p.x)) \(svgNumber(top))"
            path += "M\(svgNumber(p.x - cap)) \(svgNumber(top))L\(svgNumber(p.x + cap)) \(svgNumber(top))"
            if lowerIsShown {
                path += "M\(svgNumber(p.x - cap)) \(svgNumber(bottom))L\(svgNumber(p.x + cap)) \(svgNumber(bottom))"
            }
        }
        if !path.isEmpty {
            svg.element("path", [("d", path), ("fill", "none"), ("stroke", stroke),
                                 ("stroke-width", svgNumber(max(1.2, series.lineWidth * 0.6)))])
        }
    }

    /// Pixel points covered by the series (data points plus samples along line segments), for legend placement.
    func coveredPoints() -> [(x: Double, y: Double)] {
        var result: [(x: Double, y: Double)] = []
        var previous: (x: Double, y: Double)?
        for index in 0..<series.count {
            guard let p = point(index) else {
                previous = nil
                continue
            }
            result.append(p)
            // Error bars: a few points along each bar.
            if let error = series.error(at: index), error > 0 {
                let value = series.y[index]
                let top = y.pixel(value + error) ?? p.y, bottom = y.pixel(value - error) ?? y.start
                for k in 1...4 { result.append((p.x, p.y + (top - p.y) * Double(k) / 4)); result.append((p.x, p.y + (bottom - p.y) * Double(k) / 4)) }
            }
            if series.drawsLine, let q = previous {
                let length = hypot(p.x - q.x, p.y - q.y)
                let steps = min(200, Int(length / 6))
                if steps > 1 {
                    for step in 1..<steps {
                        let t = Double(step) / Double(steps)
                        result.append((q.x + (p.x - q.x) * t, q.y + (p.y - q.y) * t))
                    }
                }
            }
            previous = p
        }
        return result
    }
}
