import CriticalityCore
import Foundation
import Plotting
import Scaling

/// The width n*(L) at which a trained network's relative gap to the kernel prediction falls to a
/// tolerance, per depth, and the fit n* = μ L (docs/training.md, "Depth against width").
struct WidthNeeded {
    var tolerance: Double
    /// Per family (activation, σ_b, L): n*, or nil when no measured width brackets the tolerance.
    var needed: [(family: String, activation: String, sigmaB: Double, depth: Int, width: Double?)]
    /// n* = μ L over the depths that have an n* (per activation and σ_b): μ, its error, and the
    /// exponent of n* ~ L^s fitted freely (nil below three depths).
    var fits: [(activation: String, sigmaB: Double, mu: Double, muError: Double, slope: Double?, slopeError: Double?)]

    init(_ points: [KernelGapPoint], tolerance: Double) {
        self.tolerance = tolerance
        needed = distinctInOrder(points.map(\.family)).map { family in
            let curve = points.filter { $0.family == family }.sorted { $0.width < $1.width }
            let first = curve[0]
            // The first pair of widths between which the relative gap crosses the tolerance.
            var width: Double?
            if let k = curve.indices.dropFirst().first(where: { curve[$0].relativeGap <= tolerance && curve[$0 - 1].relativeGap > tolerance }) {
                let (a, b) = (curve[k - 1], curve[k])
                let f = (a.relativeGap - tolerance) / (a.relativeGap - b.relativeGap)
                width = exp(log(Double(a.width)) + f * (log(Double(b.width)) - log(Double(a.width))))
            } else if curve[0].relativeGap <= tolerance {
                width = nil  // Already within the tolerance at the narrowest width: below the grid.
            }
            return (family, first.activation, first.sigmaB, first.depth, width)
        }
        let needed = self.needed
        fits = distinctInOrder(needed.map { "\($0.activation)|\($0.sigmaB)" }).compactMap { key in
            let rows = needed.filter { "\($0.activation)|\($0.sigmaB)" == key && $0.width != nil }
            guard !rows.isEmpty else { return nil }
            // μ: the mean of ln(n*/L) and its standard error.
            let logs = rows.map { log($0.width! / Double($0.depth)) }
            var m = RunningMoments()
            for v in logs { m.add(v) }
            let mu = exp(m.mean), muError = rows.count > 1 ? mu * m.standardError : .nan
            let line = rows.count >= 3 ? LeastSquares.line(x: rows.map { log(Double($0.depth)) }, y: rows.map { log($0.width!) }) : nil
            return (rows[0].activation, rows[0].sigmaB, mu, muError, line?.slope, line?.slopeError)
        }
    }

    var sentences: [String] {
        needed.map { n in
            "\(n.family): relative gap within \(formatShort(tolerance)) from n* = " + (n.width.map { String(format: "%.0f", $0) } ?? "? (not bracketed by the widths)")
        } + fits.map { f in
            "\(f.activation), σ_b = \(formatShort(f.sigmaB)): n* = mu L with mu = \(formatEstimate(f.mu, f.muError))"
                + (f.slope.map { s in "; free fit n* ~ L^\(formatEstimate(s, f.slopeError ?? .nan))" } ?? "")
        }
    }

    var json: JSONValue {
        .object([
            "tolerance": .number(tolerance),
            "depths": .array(needed.map { n in
                .object(["family": .string(n.family), "depth": .integer(n.depth), "width": n.width.map { .number($0) } ?? .null])
            }),
            "fits": .array(fits.map { f in
                .object(["activation": .string(f.activation), "sigma_b": .number(f.sigmaB), "mu": .number(f.mu), "mu_err": .number(f.muError),
                         "slope": f.slope.map { .number($0) } ?? .null, "slope_err": f.slopeError.map { .number($0) } ?? .null])
            }),
        ])
    }
}

/// Whether the relative gap is a function of L/n: the spread between depths at equal L/n against
/// the spread at equal n (``CollapseSpread``), and the power p for which L^p/n does best, per
/// activation and σ_b.
struct KernelGapCollapse {
    var results: [(group: String, curves: Int, ofRatio: CollapseSpread, ofWidth: CollapseSpread, bestPower: Double, ofBest: CollapseSpread)]

    init(_ points: [KernelGapPoint]) {
        let groups = distinctInOrder(points.map(\.group))
        results = groups.compactMap { group in
            let members = points.filter { $0.group == group }
            let depths = Array(Set(members.map(\.depth))).sorted()
            guard depths.count >= 2 else { return nil }
            let curves = depths.map { d in members.filter { $0.depth == d }.sorted { $0.width < $1.width } }
            func spread(_ x: (KernelGapPoint) -> Double) -> CollapseSpread {
                CollapseSpread(curves: curves.map { c in (c.map(x), c.map(\.relativeGap), c.map { $0.testError / $0.kernelMSE }) })
            }
            // The power p of L^p / n that collapses the curves best (RMS), on a grid of 0.05 from 0 to 4.
            let grid = (0...80).map { Double($0) * 0.05 }
            let scanned = grid.map { p in (p, spread { pow(Double($0.depth), p) / Double($0.width) }) }
            let best = scanned.filter { $0.1.rms.isFinite && $0.1.comparisons > 0 }.min { $0.1.rms < $1.1.rms } ?? scanned[20]
            return (group, depths.count, spread { Double($0.depth) / Double($0.width) }, spread { 1 / Double($0.width) }, best.0, best.1)
        }
    }

    var sentences: [String] {
        results.map { r in
            String(format: "%@: relative gap of %d depths against L/n: rms %.3g, quality %.3g (%d comparisons); against n alone: rms %.3g, quality %.3g (%d); best L^p/n at p = %.2f: rms %.3g, quality %.3g (%d)",
                   r.group, r.curves, r.ofRatio.rms, r.ofRatio.quality, r.ofRatio.comparisons, r.ofWidth.rms, r.ofWidth.quality,
                   r.ofWidth.comparisons, r.bestPower, r.ofBest.rms, r.ofBest.quality, r.ofBest.comparisons)
        }
    }

    var json: JSONValue {
        .array(results.map { r in
            .object(["group": .string(r.group), "depths": .integer(r.curves),
                     "ratio": .object(["rms": .number(r.ofRatio.rms), "quality": .number(r.ofRatio.quality), "comparisons": .integer(r.ofRatio.comparisons)]),
                     "width": .object(["rms": .number(r.ofWidth.rms), "quality": .number(r.ofWidth.quality), "comparisons": .integer(r.ofWidth.comparisons)]),
                     "best_power": .number(r.bestPower),
                     "best": .object(["rms": .number(r.ofBest.rms), "quality": .number(r.ofBest.quality), "comparisons": .integer(r.ofBest.comparisons)])])
        })
    }
}

/// Left: the gap against the width per depth, with the fitted power laws (dashed). Right: the
/// relative gap against L/n, with the tolerance.
func kernelGapFigure(_ points: [KernelGapPoint], fits: [KernelGapFit], widthNeeded: WidthNeeded,
                     collapse: KernelGapCollapse? = nil) -> PanelGrid {
    let families = distinctInOrder(points.map(\.family))
    var left: [Series] = [], right: [Series] = []
    // A colour per depth, a marker per activation and σ_b.
    let depths = Array(Set(points.map(\.depth))).sorted()
    let groups = distinctInOrder(points.map(\.group))
    let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond, .triangleDown]
    func style(_ p: KernelGapPoint) -> (Color, MarkerShape) {
        (Color.palette[(depths.firstIndex(of: p.depth) ?? 0) % Color.palette.count],
         markers[(groups.firstIndex(of: p.group) ?? 0) % markers.count])
    }
    for family in families {
        let curve = points.filter { $0.family == family }
        let (color, marker) = style(curve[0])
        let positive = curve.filter { $0.gap > 0 }
        left.append(Series(name: family, x: positive.map { Double($0.width) }, y: positive.map(\.gap), yError: positive.map(\.testError),
                           style: .lineAndMarkers, marker: marker, color: color, lineWidth: 1.2))
        if let f = fits.first(where: { $0.label == family }), let lo = f.widths.first, let hi = f.widths.last {
            left.append(Series(name: "", x: [lo, hi], y: [lo, hi].map { f.amplitude * pow($0, -f.exponent) }, color: color, dashed: true,
                               lineWidth: 1))
        }
        right.append(Series(name: family, x: curve.map { Double($0.depth) / Double($0.width) }, y: curve.map(\.relativeGap),
                            yError: curve.map { $0.testError / $0.kernelMSE }, style: .lineAndMarkers, marker: marker, color: color,
                            lineWidth: 1.2))
    }
    let ratios = points.map { Double($0.depth) / Double($0.width) }
    if let lo = ratios.min(), let hi = ratios.max() {
        right.append(Series(name: "tolerance \(formatShort(widthNeeded.tolerance))", x: [lo, hi], y: [widthNeeded.tolerance, widthNeeded.tolerance],
                            color: Color(r: 120, g: 120, b: 120), dashed: true, lineWidth: 1))
    }
    let time = points.first.map { " at t = \(formatShort($0.time))" } ?? ""
    let l = Figure(title: "Test MSE minus the kernel prediction\(time)", xAxis: Axis(label: "width n", scale: .log),
                   yAxis: Axis(label: "gap", scale: .log), series: left, legendPosition: .automatic)
    let r = Figure(title: "Relative gap against L / n", xAxis: Axis(label: "L / n", scale: .log),
                   yAxis: Axis(label: "gap / kernel test MSE", scale: .linear), series: right, legendPosition: .automatic)
    // With several depths: the same against L^p / n at the power that collapses each group best.
    guard let collapse, !collapse.results.isEmpty else { return PanelGrid(title: "", panels: [l, r], columns: 2) }
    var third: [Series] = []
    for family in families {
        let curve = points.filter { $0.family == family }
        let (color, marker) = style(curve[0])
        guard let power = collapse.results.first(where: { $0.group == curve[0].group })?.bestPower else { continue }
        third.append(Series(name: "\(family) (p = \(String(format: "%.2f", power)))",
                            x: curve.map { pow(Double($0.depth), power) / Double($0.width) }, y: curve.map(\.relativeGap),
                            yError: curve.map { $0.testError / $0.kernelMSE }, style: .lineAndMarkers, marker: marker,
                            color: color, lineWidth: 1.2))
    }
    let powers = Set(collapse.results.map { String(format: "%.2f", $0.bestPower) }).sorted().joined(separator: ", ")
    let f = Figure(title: "Relative gap against L^p / n (best p: \(powers))", xAxis: Axis(label: "L^p / n", scale: .log),
                   yAxis: Axis(label: "gap / kernel test MSE", scale: .linear), series: third, legendPosition: .automatic)
    return PanelGrid(title: "", panels: [l, r, f], columns: 2)
}
