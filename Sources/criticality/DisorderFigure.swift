import Foundation
import Plotting
import Scaling

/// The diagnostics that separate clean from disordered classes, for the runs nearest the critical
/// point of a classification, one colour per lattice size (docs/analysis.md, "Typical decay and
/// self-averaging"):
///
/// - (a) ⟨ρ⟩ (circles) and ρ_typ = exp⟨ln ρ⟩ (triangles) against l;
/// - (b) the running exponents δ_eff(l) of both, with their errors;
/// - (c) sd(ln ρ) against l, with the guide ∝ l^{1/2} of temporal noise;
/// - (d) Var(ln ρ) at the test depth against the lattice size, with S^−d (clean) and flat
///   (temporal disorder) through the largest size, when the runs have two sizes or more.
func disorderFigure(_ c: Classification, title: String) -> PanelGrid? {
    let runs = c.runs
    guard !runs.isEmpty else { return nil }
    var values: [Series] = [], slopes: [Series] = [], spreads: [Series] = []
    for (k, run) in runs.enumerated() {
        let color = Color.palette[k % Color.palette.count]
        // The finite size is a width n for networks without space, a lattice size S otherwise.
        let name = run.size.map { "\(c.dimension == 0 ? "n" : "S") = \(formatShort($0))" } ?? (run.average.label.isEmpty ? "run" : run.average.label)
        let a = run.average
        let idx = drawingIndices(a).filter { a.t[$0] >= 1 && a.y[$0] > 0 }
        values.append(Series(name: "\(name): ⟨ρ⟩", x: idx.map { a.t[$0] }, y: idx.map { a.y[$0] },
                             yError: a.error.map { e in idx.map { e[$0] } }, style: .markers, marker: .circle, color: color))
        let local = PowerLawFit.localSlopes(of: a).filter { $0.t >= 4 }
        let keep = thin(local.map(\.t), perOctave: 4)
        slopes.append(Series(name: "\(name): ⟨ρ⟩", x: keep.map { local[$0].t }, y: keep.map { -local[$0].slope },
                             yError: keep.map { local[$0].error.isFinite ? local[$0].error : 0 }, style: .lineAndMarkers,
                             marker: .circle, color: color, lineWidth: 1))
        if let t = run.typical {
            var typ = t
            typ.y = t.y.map { exp($0) }
            typ.error = t.error.map { zip($0, typ.y).map { e, y in e * y } }
            let j = drawingIndices(typ).filter { typ.t[$0] >= 1 && typ.y[$0] > 0 }
            values.append(Series(name: "\(name): ρ_typ", x: j.map { typ.t[$0] }, y: j.map { typ.y[$0] }, style: .markers,
                                 marker: .triangle, color: color))
            let lt = PowerLawFit.localSlopes(of: typ).filter { $0.t >= 4 }
            let kt = thin(lt.map(\.t), perOctave: 4)
            slopes.append(Series(name: "\(name): ρ_typ", x: kt.map { lt[$0].t }, y: kt.map { -lt[$0].slope },
                                 yError: kt.map { lt[$0].error.isFinite ? lt[$0].error : 0 }, style: .lineAndMarkers,
                                 marker: .triangle, color: color, dashed: true, lineWidth: 1))
        }
        if let s = run.spread {
            let j = drawingIndices(s).filter { s.t[$0] >= 1 && s.y[$0] > 0 }
            spreads.append(Series(name: name, x: j.map { s.t[$0] }, y: j.map { s.y[$0] }, style: .line, color: color, lineWidth: 1.5))
        }
    }
    let grey = Color(r: 110, g: 110, b: 110)
    var panels: [Figure] = [
        Figure(title: "(a) average ⟨ρ⟩ and typical ρ_typ = exp⟨ln ρ⟩", xAxis: Axis(label: "depth l", scale: .log),
               yAxis: Axis(label: "ρ", scale: .log), series: values, legendPosition: .outsideRight, width: 620),
        Figure(title: "(b) running exponents −d ln y / d ln l", xAxis: Axis(label: "depth l", scale: .log),
               yAxis: Axis(label: "δ_eff"), series: slopes, legendPosition: .outsideRight, width: 620),
    ]
    if let last = spreads.last, let x0 = last.x.first(where: { $0 >= 8 }), let k = last.x.firstIndex(of: x0), let x1 = last.x.last {
        // The guide ∝ l^{1/2} through the largest size's spread at its first drawn depth ≥ 8.
        let y0 = last.y[k]
        spreads.append(Series(name: "∝ l^1/2 (temporal noise)", x: [x0, x1], y: [y0, y0 * (x1 / x0).squareRoot()], color: grey,
                              dashed: true, lineWidth: 1.2))
        panels.append(Figure(title: "(c) spread of ln ρ over realisations", xAxis: Axis(label: "depth l", scale: .log),
                             yAxis: Axis(label: "sd(ln ρ)", scale: .log), series: spreads, legendPosition: .outsideRight, width: 620))
    }
    let s = c.selfAveraging
    let points = runs.compactMap { run -> (Double, Double)? in
        guard let size = run.size, let v = run.variance, let k = v.t.firstIndex(of: s.depth), v.y[k] > 0 else { return nil }
        return (size, v.y[k])
    }
    if points.count >= 2, let (sMax, vMax) = points.max(by: { $0.0 < $1.0 }), let sMin = points.map(\.0).min() {
        let d = Double(max(c.dimension ?? 1, 1))
        var series = [Series(name: "Var ln ρ at l = \(formatShort(s.depth))", x: points.map(\.0), y: points.map(\.1),
                             style: .lineAndMarkers, marker: .square, color: Color.palette[0])]
        series.append(Series(name: "∝ S^−\(formatShort(d)) (clean)", x: [sMin, sMax], y: [vMax * pow(sMax / sMin, d), vMax],
                             color: grey, dashed: true, lineWidth: 1.2))
        series.append(Series(name: "flat (temporal noise)", x: [sMin, sMax], y: [vMax, vMax], color: Color(r: 120, g: 30, b: 90),
                             dashed: true, lineWidth: 1.2))
        panels.append(Figure(title: "(d) self-averaging: Var ln ρ against the lattice", xAxis: Axis(label: "lattice size S", scale: .log),
                             yAxis: Axis(label: "Var ln ρ", scale: .log), series: series, legendPosition: .outsideRight, width: 620))
    }
    return PanelGrid(title: title, panels: panels, columns: 2)
}
