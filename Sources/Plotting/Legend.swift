import Foundation

/// Where a legend box is placed.
public enum LegendPosition: Sendable, Equatable {
    /// The inside corner whose box covers the fewest data points.
    case automatic
    /// Inside the plot, top-left corner.
    case topLeft
    /// Inside the plot, top-right corner.
    case topRight
    /// Inside the plot, bottom-left corner.
    case bottomLeft
    /// Inside the plot, bottom-right corner.
    case bottomRight
    /// To the right of the plot area (the figure's right margin grows to make room).
    case outsideRight
}

/// One legend row: a line/marker sample and a label.
struct LegendEntry {
    /// Label text.
    var name: String
    /// Sample colour.
    var color: Color
    /// The series whose style the sample mimics.
    var series: Series
}

/// A boxed legend with a semi-opaque white background.
struct Legend {
    /// Rows, top to bottom.
    var entries: [LegendEntry]

    /// Space between the box edge and its content.
    static let padding = 8.0
    /// Height of one row.
    static let rowHeight = 20.0
    /// Length of the line sample.
    static let sampleWidth = 30.0
    /// Space between the sample and the label.
    static let gap = 8.0
    /// Distance between the box and the plot frame.
    static let inset = 8.0

    /// Legend for the named series among `series`, each with its resolved colour.
    init(series: [Series], colors: [Color]) {
        entries = zip(series, colors).filter { !$0.0.name.isEmpty }.map { LegendEntry(name: $0.0.name, color: $0.1, series: $0.0) }
    }

    /// Whether there is anything to show.
    var isEmpty: Bool { entries.isEmpty }

    /// Box width.
    var width: Double {
        let text = entries.map { TextMetrics.width($0.name, fontSize: TextMetrics.legendFontSize) }.max() ?? 0
        return Self.padding * 2 + Self.sampleWidth + Self.gap + text
    }

    /// Box height.
    var height: Double {
        Self.padding * 2 + Self.rowHeight * Double(entries.count) - 4
    }

    /// Top-left corner of the box for a fixed inside corner of `plot`.
    func origin(_ position: LegendPosition, plot: PlotRect) -> (x: Double, y: Double) {
        let left = plot.left + Self.inset
        let right = plot.right - Self.inset - width
        let top = plot.top + Self.inset
        let bottom = plot.bottom - Self.inset - height
        switch position {
        case .topLeft: return (left, top)
        case .bottomLeft: return (left, bottom)
        case .bottomRight: return (right, bottom)
        case .outsideRight: return (plot.right + 12, plot.top)
        case .topRight, .automatic: return (right, top)
        }
    }

    /// The fewest of the `covered` points that the box hides in any inside corner.
    func coveredCount(plot: PlotRect, covered: [(x: Double, y: Double)]) -> Int {
        [LegendPosition.topRight, .topLeft, .bottomLeft, .bottomRight].map { corner in
            let o = origin(corner, plot: plot)
            let margin = 4.0
            return covered.filter { p in
                p.x >= o.x - margin && p.x <= o.x + width + margin && p.y >= o.y - margin && p.y <= o.y + height + margin
            }.count
        }.min() ?? 0
    }

    /// Top-left corner for `position`, resolving `.automatic` to the corner covering the fewest `covered` points.
    func origin(_ position: LegendPosition, plot: PlotRect, covered: [(x: Double, y: Double)]) -> (x: Double, y: Double) {
        guard position == .automatic else { return origin(position, plot: plot) }
        var best: (count: Int, origin: (x: Double, y: Double))?
        for corner in [LegendPosition.topRight, .topLeft, .bottomLeft, .bottomRight] {
            let o = origin(corner, plot: plot)
            let margin = 4.0
            let count = covered.filter { p in
                p.x >= o.x - margin && p.x <= o.x + width + margin && p.y >= o.y - margin && p.y <= o.y + height + margin
            }.count
            if best == nil || count < best!.count { best = (count, o) }
        }
        return best!.origin
    }

    /// Draws the box and its rows with the top-left corner at (`x`, `y`).
    func draw(into svg: inout SVGBuilder, x: Double, y: Double) {
        guard !isEmpty else { return }
        svg.rect(x, y, width, height, [("fill", "#ffffff"), ("fill-opacity", "0.85"),
                                       ("stroke", "#b0b0b0"), ("stroke-width", "1"), ("rx", "3")])
        for (row, entry) in entries.enumerated() {
            let centerY = y + Self.padding + Self.rowHeight * (Double(row) + 0.5) - 2
            let sampleLeft = x + Self.padding
            let series = entry.series
            let hex = entry.color.hexString
            if series.drawsLine {
                var attributes: SVGAttributes = [("stroke", hex), ("stroke-width", svgNumber(min(series.lineWidth, 4)))]
                if series.dashed { attributes.append(("stroke-dasharray", SeriesRenderer.dashArray(lineWidth: min(series.lineWidth, 4)))) }
                svg.line(sampleLeft, centerY, sampleLeft + Self.sampleWidth, centerY, attributes)
            }
            if series.yError != nil {
                let cap = 3.0
                svg.element("path", [("d", "M\(svgNumber(sampleLeft + Self.sampleWidth / 2)) \(svgNumber(centerY - 6))"
                    + "v12m\(svgNumber(-cap)) 0h\(svgNumber(2 * cap))m0 -12h\(svgNumber(-2 * cap))"),
                    ("fill", "none"), ("stroke", hex), ("stroke-width", "1.2")])
            }
            if series.drawsMarkers {
                svg.open("g", [("fill", hex), ("stroke", "#ffffff"), ("stroke-width", "0.8")])
                series.marker.draw(into: &svg, x: sampleLeft + Self.sampleWidth / 2, y: centerY,
                                   radius: min(5, SeriesRenderer.markerRadius(lineWidth: series.lineWidth)))
                svg.close("g")
            }
            svg.text(entry.name, [("x", svgNumber(sampleLeft + Self.sampleWidth + Self.gap)),
                                  ("y", svgNumber(centerY + TextMetrics.legendFontSize * 0.35)),
                                  ("font-size", svgNumber(TextMetrics.legendFontSize)), ("fill", "#222222")])
        }
    }
}
