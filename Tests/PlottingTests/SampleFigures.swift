import Foundation
@testable import Plotting

/// Realistic figures used both by the tests and to write sample files for visual inspection.
enum SampleFigures {
    /// Log-log decay ρ(l) ≈ 1/(0.23 l) for three widths, with error bars and a dashed asymptote.
    static func powerLawDecay() -> Figure {
        let depths = (0...12).map { pow(2.0, Double($0) * 0.75) }
        var series: [Series] = []
        for (index, width) in [64.0, 256.0, 1024.0].enumerated() {
            let y = depths.map { l in 1 / (0.23 * l + 1 + 40 / width) + 0.6 / width }
            let errors = zip(depths, y).map { l, v in v * (0.04 + 0.02 * Double(index)) * (1 + 0.1 * log2(l + 1)) }
            let markers: [MarkerShape] = [.circle, .square, .triangle]
            series.append(Series(name: "N = \(Int(width))", x: depths, y: y, yError: errors,
                                 style: .lineAndMarkers, marker: markers[index], lineWidth: 1.5))
        }
        let asymptote = [1.0, 1000.0]
        series.append(Series(name: "1/(0.23 l)", x: asymptote, y: asymptote.map { 1 / (0.23 * $0) },
                             color: Color(hex: "#333333"), dashed: true, lineWidth: 1.5))
        return Figure(title: "Correlation decay ρ(l) with depth", xAxis: Axis(label: "depth l", scale: .log),
                      yAxis: Axis(label: "ρ(l)", scale: .log), series: series)
    }

    /// σ_w,c against σ_b for three activations (linear axes, markers on lines).
    static func criticalLines() -> Figure {
        let sigmaB = stride(from: 0.0, through: 0.5, by: 0.025).map { $0 }
        let curves: [(String, (Double) -> Double)] = [
            ("tanh", { b in sqrt(1 + 2.2 * b * b + 1.1 * b) }),
            ("erf", { b in sqrt(1.25 + 2.8 * b * b + 0.9 * b) }),
            ("ReLU (σ_w,c = √2)", { _ in sqrt(2) }),
        ]
        let series = curves.enumerated().map { index, curve in
            Series(name: curve.0, x: sigmaB, y: sigmaB.map(curve.1),
                   style: index == 2 ? .line : .lineAndMarkers, marker: index == 0 ? .circle : .diamond,
                   dashed: index == 2)
        }
        return Figure(title: "Edge of chaos: critical weight variance", xAxis: Axis(label: "σ_b"),
                      yAxis: Axis(label: "σ_w,c"), series: series)
    }

    /// Critical line σ_w,c(σ_b) of the phase-diagram sample.
    static func criticalSigmaW(_ b: Double) -> Double {
        sqrt(1 + 2.2 * b * b + 1.1 * b)
    }

    /// A 40 × 30 phase diagram of the correlation length with NaN cells and the critical line on top.
    static func phaseDiagram() -> HeatMap {
        let xs = (0..<40).map { 0.5 + Double($0) * 3.5 / 39 }
        let ys = (0..<30).map { Double($0) * 0.5 / 29 }
        let values = ys.map { b in
            xs.map { w -> Double in
                let distance = abs(w - criticalSigmaW(b))
                if w > 3.6 && b > 0.42 { return .nan }   // runs that diverged
                return 1 / (distance + 0.02)
            }
        }
        let lineB = stride(from: 0.0, through: 0.5, by: 0.01).map { $0 }
        let overlay = Series(name: "σ_w,c(σ_b)", x: lineB.map(criticalSigmaW), y: lineB, lineWidth: 2)
        return HeatMap(title: "Depth scale ξ (grey: diverged)", xAxis: Axis(label: "σ_w"), yAxis: Axis(label: "σ_b"),
                       xValues: xs, yValues: ys, values: values, colorbarLabel: "ξ (layers)", logColor: true,
                       overlays: [overlay])
    }

    /// The decay plot and the phase diagram side by side.
    static func panelGrid() -> PanelGrid {
        var decay = powerLawDecay()
        decay.width = 600
        decay.height = 440
        decay.title = "(a) ρ(l)"
        var phase = phaseDiagram()
        phase.width = 600
        phase.height = 440
        phase.title = "(b) phase diagram"
        return PanelGrid(title: "Signal propagation & criticality", panels: [decay, phase], columns: 2)
    }

    /// A stress test: long title, huge values, many decades, outside legend, NaNs, special characters.
    static func stress() -> Figure {
        let x = (0..<50).map { pow(10, -14 + Double($0) * 0.4) }
        let a = Series(name: "loss < 1e-3 & \"trained\"", x: x, y: x.map { 3e7 * pow($0, 0.35) }, style: .lineAndMarkers)
        var yb = x.map { 5e5 * pow($0, 0.2) }
        yb[10] = .nan
        yb[11] = -4
        yb[20] = .infinity
        let b = Series(name: "with gaps", x: x, y: yb, style: .lineAndMarkers, marker: .square)
        let title = "A very long title that describes every single detail of the experiment, "
            + "including the width, the depth, the optimiser & the learning-rate schedule <v2>"
        return Figure(title: title, xAxis: Axis(label: "learning rate η (units of 1/N)", scale: .log),
                      yAxis: Axis(label: "number of steps to reach the target loss", scale: .log),
                      series: [a, b], legendPosition: .outsideRight)
    }

    /// Linear axes with tiny values, negative values and an explicit range.
    static func smallNumbers() -> Figure {
        let x = stride(from: -3.7, through: 12.1, by: 0.2).map { $0 }
        let s = Series(name: "1e-5 sin(x)", x: x, y: x.map { 1e-5 * sin($0) }, yError: x.map { _ in 2e-6 })
        return Figure(title: "Tiny values", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), series: [s],
                      legendPosition: .bottomLeft, width: 500, height: 360)
    }

    /// Log axes spanning less than a decade (minor ticks get labels).
    static func shortLogRange() -> Figure {
        let x = stride(from: 2.0, through: 5.0, by: 0.25).map { $0 }
        let s = Series(name: "x^-0.8", x: x, y: x.map { pow($0, -0.8) }, style: .markers, marker: .triangle)
        return Figure(title: "Less than one decade", xAxis: Axis(label: "x", scale: .log),
                      yAxis: Axis(label: "y", scale: .log), series: [s], width: 520, height: 380)
    }

    /// No data at all.
    static func empty() -> Figure {
        Figure(title: "Nothing yet", xAxis: Axis(label: "epoch"), yAxis: Axis(label: "loss", scale: .log),
               width: 420, height: 300)
    }

    /// A linear-colour heat map with negative values.
    static func linearHeatMap() -> HeatMap {
        let xs = (0..<25).map { Double($0) * 0.04 }
        let ys = (0..<20).map { -1 + Double($0) * 0.1 }
        let values = ys.map { y in xs.map { x in sin(6 * x) * y * 1200 } }
        return HeatMap(title: "Linear colours", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), xValues: xs,
                       yValues: ys, values: values, colorbarLabel: "signal", width: 520, height: 380)
    }
}
