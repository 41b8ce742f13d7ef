import ArgumentParser
import CriticalityCore
import Foundation
import Plotting
import Propagation


/// The model columns of one lattice run; cells that do not apply to the model are empty.
struct LatticeRunLabel {
    var model: String
    var start: LatticeProtocol
    var activation: String? = nil
    var sigmaW: Double? = nil
    var sigmaB: Double? = nil
    var p: Double? = nil
    var channels: Int? = nil
    var kernel: Int? = nil
    var dim: Int
    var size: Int
}

/// Tidy columns shared by `simulate cnn` and `simulate dp` (docs/file-formats.md, "Simulation tables").
let latticeColumns = ["model", "protocol", "activation", "sigma_w", "sigma_b", "p", "channels", "kernel", "dim", "size",
                      "depth", "rho", "rho_err", "delta_eff", "delta_eff_err", "survival", "survival_err", "active", "active_err",
                      "r2", "r2_err", "log_rho", "log_rho_err", "log_rho_sd", "samples", "seed"]

/// One row per layer of one run.
func latticeTable(_ series: LatticeSeries, label: LatticeRunLabel) -> Table {
    var t = Table(columns: latticeColumns)
    func optional(_ v: Double?) -> Table.Cell { v.map { .number($0) } ?? .missing }
    func optional(_ v: Int?) -> Table.Cell { v.map { .integer($0) } ?? .missing }
    for l in 1...series.depth {
        let spread = series.spread[l - 1]
        let spreading = label.start == .spreading
        t.append([.text(label.model), .text(label.start.rawValue), label.activation.map { .text($0) } ?? .missing,
                  optional(label.sigmaW), optional(label.sigmaB), optional(label.p), optional(label.channels),
                  optional(label.kernel), .integer(label.dim), .integer(label.size), .integer(l),
                  .number(series.rho[l - 1].value), .number(series.rho[l - 1].standardError),
                  .number(series.effectiveDecayExponent(l)), .number(series.effectiveDecayExponentError(l)),
                  .number(series.survival(l)), .number(series.survivalError(l)),
                  .number(series.active[l - 1].value), .number(series.active[l - 1].standardError),
                  spreading ? .number(spread.ratio) : .missing, spreading ? .number(spread.ratioStandardError) : .missing,
                  .number(series.logRho[l - 1].value), .number(series.logRho[l - 1].standardError),
                  .number(series.logRho[l - 1].variance.squareRoot()),
                  .integer(series.samples), .unsigned(series.seed)])
    }
    return t
}

/// The recorded field as a tidy table: depth, site (the lattice index), value.
func latticeFieldTable(_ field: LatticeField, valueName: String) -> Table {
    var t = Table(columns: ["depth", "site", valueName])
    for l in 1...field.depth {
        for i in 0..<field.sites {
            t.append([.integer(l), .integer((field.firstSite + i) % field.latticeSites), .number(field[layer: l, site: i])])
        }
    }
    return t
}

/// The run's curves and the space-time picture of one realisation. A homogeneous run shows ρ(l)
/// and δ_eff(l) (every realisation survives and every site is active, so P and N say nothing); a
/// spreading run shows ρ(l), P(l) and N(l). Each panel's title names its curve, so no legend.
func latticeFigure(_ series: LatticeSeries, title: String, fieldLabel: String, logField: Bool,
                   start: LatticeProtocol, dimension: Int? = nil) -> PanelGrid {
    let layers = logSpacedLayers(series.depth)
    func panel(_ name: String, _ y: (Int) -> Double, _ err: (Int) -> Double) -> Figure {
        var xs: [Double] = [], ys: [Double] = [], es: [Double] = []
        for l in layers where y(l) > 0 && y(l).isFinite {
            xs.append(Double(l)); ys.append(y(l)); es.append(err(l).isFinite ? err(l) : 0)
        }
        let s = Series(name: "", x: xs, y: ys, yError: es, style: .markers, color: Color.palette[0])
        return Figure(title: name, xAxis: Axis(label: "layer l", scale: .log), yAxis: Axis(label: name, scale: .log),
                      series: xs.count > 1 ? [s] : [])
    }
    var panels: [any SVGPanel] = [panel("ρ(l)", { series.rho[$0 - 1].value }, { series.rho[$0 - 1].standardError })]
    switch start {
    case .homogeneous:
        var xs: [Double] = [], ys: [Double] = [], es: [Double] = []
        for l in layers where l >= 2 && l % 2 == 0 {
            let d = series.effectiveDecayExponent(l), e = series.effectiveDecayExponentError(l)
            guard d.isFinite else { continue }
            xs.append(Double(l)); ys.append(d); es.append(e.isFinite ? e : 0)
        }
        let points = Series(name: "", x: xs, y: ys, yError: es, style: .markers, color: Color.palette[0])
        let window = (xs.first ?? 1)...(xs.last ?? 2)
        let references = classLines([window], near: zip(ys, es).flatMap { [$0 - $1, $0 + $1] }, dimension: dimension)
        panels.append(Figure(title: "δ_eff(l) = −ln[ρ(l)/ρ(l/2)] / ln 2", xAxis: Axis(label: "layer l", scale: .log),
                             yAxis: Axis(label: "δ_eff"), series: xs.count > 1 ? [points] + references : []))
    case .spreading:
        panels.append(panel("P(l)", { series.survival($0) }, { series.survivalError($0) }))
        panels.append(panel("N(l)", { series.active[$0 - 1].value }, { series.active[$0 - 1].standardError }))
    }
    if let field = series.field {
        panels.append(spaceTimePicture(field, label: fieldLabel, logColor: logField, runDepth: series.depth))
    }
    return PanelGrid(title: title, panels: panels, columns: 2)
}

/// About 40 log-spaced layers between 1 and `depth` (all of them when depth ≤ 40).
func logSpacedLayers(_ depth: Int) -> [Int] {
    if depth <= 40 { return Array(1...depth) }
    var layers = Set<Int>()
    for k in 0...40 { layers.insert(Int((pow(Double(depth), Double(k) / 40)).rounded())) }
    return layers.filter { $0 >= 1 && $0 <= depth }.sorted()
}

/// The field as a heat map (sites across, layers up), cropped to the sites and layers where it is
/// non-zero (with a margin) and averaged over blocks so that it has at most 256 × 256 cells.
///
/// The field is recorded for at most 2²⁰ values, so a long run on a wide window keeps only its
/// first layers: the title then says which layers of `runDepth` are shown.
func spaceTimePicture(_ field: LatticeField, label: String, logColor: Bool, runDepth: Int? = nil) -> HeatMap {
    var lo = field.sites, hi = -1, last = 0
    for l in 1...field.depth {
        for i in 0..<field.sites where field[layer: l, site: i] != 0 { lo = min(lo, i); hi = max(hi, i); last = l }
    }
    if hi < 0 { (lo, hi, last) = (0, field.sites - 1, field.depth) }
    let margin = max(8, (hi - lo) / 10)
    lo = max(0, lo - margin); hi = min(field.sites - 1, hi + margin)
    let layers = min(field.depth, last + max(8, last / 10))
    let width = hi - lo + 1
    let bx = (width + 255) / 256, by = (layers + 255) / 256
    let nx = (width + bx - 1) / bx, ny = (layers + by - 1) / by
    var values = [[Double]](repeating: [Double](repeating: 0, count: nx), count: ny)
    for j in 0..<ny {
        for i in 0..<nx {
            var sum = 0.0, n = 0
            for l in (j * by + 1)...min(layers, (j + 1) * by) {
                for x in (lo + i * bx)..<min(hi + 1, lo + (i + 1) * bx) { sum += field[layer: l, site: x]; n += 1 }
            }
            values[j][i] = sum / Double(n)
        }
    }
    let positive = values.flatMap { $0 }.filter { $0 > 0 }
    let range: ClosedRange<Double>? = logColor ? positive.min().flatMap { lo in positive.max().map { lo...max($0, lo * 10) } } : 0...1
    // Sites relative to the middle of the lattice (the seed), so the window reads naturally.
    let centre = Double(field.latticeSites / 2 - field.firstSite)
    let xs = (0..<nx).map { Double(lo + $0 * bx) + Double(bx - 1) / 2 - centre }
    let ys = (0..<ny).map { Double($0 * by + 1) + Double(by - 1) / 2 }
    var title = "the longest-lived of the first \(LatticeSimulation.fieldCandidates) realisations"
    if let runDepth, field.depth < runDepth { title += ", layers 1–\(field.depth) of \(runDepth) recorded" }
    return HeatMap(title: title + (bx > 1 || by > 1 ? "; block means \(bx)×\(by)" : ""),
                   xAxis: Axis(label: "site x − x₀"), yAxis: Axis(label: "layer l"), xValues: xs, yValues: ys,
                   values: values, colorbarLabel: label, logColor: logColor && range != nil, colorRange: range)
}
