import ArgumentParser
import CriticalityCore
import Foundation
import Plotting
import Scaling

/// `criticality analyze`: exponents, critical points and collapses from tidy CSVs or stores.
struct AnalyzeGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Scaling analysis of simulation results (CSV files or campaign stores).",
        subcommands: [AnalyzeDecay.self, AnalyzeCriticalPoint.self, AnalyzeStationary.self, AnalyzeCollapse.self, AnalyzeTraining.self,
                      AnalyzeKernelGap.self]
    )
}

/// `criticality analyze decay`: δ with its bootstrap error and window drift, per run.
struct AnalyzeDecay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decay",
        abstract: "Decay exponent delta of rho(l) (or of P(t) for spreading runs): a log-log fit with errors.",
        discussion: """
            For each run: delta = -(slope of ln y against ln t) on the window, from log-spaced points. \
            delta_stat_err is the bootstrap error over the realisation blocks of a stored campaign \
            (error_method block-bootstrap); for a CSV with only per-depth errors it is those errors propagated \
            with the correlation between depths allowed for: the largest of three models (independent depths, \
            fluctuations that accumulate with depth, correlation from the residuals), named in error_method \
            as errors-independent, errors-cumulative or errors-residual-correlation; delta_drift = |late - early|/2 of the fits on the two halves of the window; \
            delta_err combines both in quadrature. With --format json a single run gives one object, \
            several give {"runs": [...]}.
            """
    )

    @OptionGroup var input: AnalysisInputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    static let columns = ["run", "control", "size", "observable", "delta", "delta_err", "delta_stat_err", "delta_drift",
                          "delta_early", "delta_late", "window_from", "window_to", "points", "replicates", "error_method"]

    func run() throws {
        let data = try input.load()
        let observable = input.primaryObservable(data)
        let curves = try input.curves(data, observable: observable)
        let window = try input.fittingWindow()
        var table = Table(columns: Self.columns)
        var fitted: [(Curve, SlopeEstimate)] = []
        var failure: Error? = nil
        for curve in curves {
            do {
                let s = try SlopeEstimate.estimate(curve, window: window, replicates: input.replicates, seed: input.seed)
                fitted.append((curve, s))
                table.append([.text(curve.label), .optional(curve.control), .optional(curve.size), .text(observable.rawValue),
                              .number(-s.slope), .number(s.totalError), .number(s.error), .number(s.drift),
                              .number(-s.early), .number(-s.late), .number(s.window.lowerBound), .number(s.window.upperBound),
                              .integer(s.points), .integer(s.replicates), .text(s.errorMethod.description)])
                noteOnStderr("\(curve.label): delta = \(formatEstimate(-s.slope, s.totalError)) (statistical \(formatError(s.error)) by \(s.errorMethod), drift \(formatError(s.drift))) on t = \(formatShort(s.window.lowerBound))…\(formatShort(s.window.upperBound))")
            } catch {
                if curves.count == 1 { throw error }
                failure = failure ?? error
                noteOnStderr("criticality: \(curve.label): skipped: \(error)")
            }
        }
        if fitted.isEmpty { throw failure! }
        if output.format == .json, fitted.count == 1 { try output.emit(record: table) }
        else if output.format == .json { try output.emit(text: JSONValue.object(["runs": table.json()]).rendered() + "\n") }
        else { try output.emit(table) }
        if let path = plot.plot {
            let spreads = observable == .rho ? input.spreadCurves(data) : nil
            try writeFigure(decayFigure(fitted, observable: observable, spreads: spreads, dimension: latticeDimension(data)).svg(), to: path)
        }
    }
}

/// `1.234 ± 0.012` with the error to two significant digits and the value to match.
func formatError(_ error: Double) -> String { error.isFinite ? String(format: "%.2g", error) : "n/a" }

/// Log-spaced points of a curve for drawing (at most about 12 per octave).
func drawingIndices(_ curve: Curve) -> [Int] {
    guard let first = curve.t.first, let last = curve.t.last, last > 0 else { return [] }
    return curve.logSpacedIndices(in: max(first, 1e-300)...last, perOctave: 8)
}

/// The curves with their fits on log-log axes, and the effective exponents with the fitted values
/// (dashed). Crowded figures put their legends outside the plots. With `spreads` (the runs'
/// `log_rho_sd` curves, matched by label) a third panel draws the spread of ln ρ across
/// realisations against depth, with the level 1 above which the mean is carried by few
/// realisations (docs/models.md, "Typical decay and its spread").
///
/// - Parameters:
///   - dimension: a lattice run's dimension (only DP of that dimension is drawn as a reference).
///   - effectivePanel: false leaves out the δ_eff panel (the report's critical-point figure of a
///     scan draws the same curves).
func decayFigure(_ fitted: [(Curve, SlopeEstimate)], observable: Observable, spreads: [Curve]? = nil,
                 dimension: Int? = nil, effectivePanel: Bool = true) -> PanelGrid {
    var data: [Series] = [], local: [Series] = [], spread: [Series] = []
    let shown = Array(fitted.prefix(12))
    let crowded = shown.count > 3
    let labels = figureLabels(shown.map(\.0.label))
    // A blue-to-red gradient when the runs differ by the control alone, the palette otherwise.
    let colors = labels.allSatisfy { !$0.contains(",") } ? scanColors(shown.map(\.0.control))
        : shown.indices.map { k in
            // Past the palette, the same hues darkened, so that no two runs share a colour.
            let base = Color.palette[k % Color.palette.count], dark = k / Color.palette.count
            let f = pow(0.6, Double(dark))
            return Color(r: UInt8(Double(base.r) * f), g: UInt8(Double(base.g) * f), b: UInt8(Double(base.b) * f))
        }
    for (k, (curve, s)) in shown.enumerated() {
        let color = colors[k]
        let label = labels[k]
        let idx = drawingIndices(curve)
        data.append(Series(name: crowded ? label : "\(label): δ = \(formatEstimate(-s.slope, s.totalError))",
                           x: idx.map { curve.t[$0] }, y: idx.map { curve.y[$0] },
                           yError: curve.error.map { e in idx.map { e[$0] } }, style: .markers, color: color))
        let idxFit = curve.logSpacedIndices(in: s.window)
        if let line = LeastSquares.line(x: idxFit.map { log(curve.t[$0]) }, y: idxFit.map { log(curve.y[$0]) }) {
            let xs = [s.window.lowerBound, s.window.upperBound]
            data.append(Series(name: "", x: xs, y: xs.map { exp(line.intercept + line.slope * log($0)) }, color: color,
                               dashed: true, lineWidth: 1.5))
        }
        let slopes = PowerLawFit.localSlopes(of: curve).filter { $0.t >= 2 }
        let keep = thin(slopes.map(\.t), perOctave: crowded ? 4 : 8)
        local.append(Series(name: label, x: keep.map { slopes[$0].t }, y: keep.map { -slopes[$0].slope },
                            yError: keep.map { slopes[$0].error.isFinite ? slopes[$0].error : 0 },
                            style: crowded ? .lineAndMarkers : .markers, color: color, lineWidth: 1))
        local.append(Series(name: "", x: [s.window.lowerBound, s.window.upperBound], y: [-s.slope, -s.slope], color: color,
                            dashed: true, lineWidth: 1.5))
        if let sd = spreads?.first(where: { $0.label == curve.label }) {
            let keep = drawingIndices(sd).filter { sd.t[$0] >= 1 && sd.y[$0].isFinite }
            spread.append(Series(name: label, x: keep.map { sd.t[$0] }, y: keep.map { sd.y[$0] }, style: .line, color: color,
                                 lineWidth: 1.5))
        }
    }
    let name = "\(observable.symbol)(l)"
    let position: LegendPosition = crowded ? .outsideRight : .automatic
    // Legends beside crowded plots widen the canvas instead of narrowing the plot.
    let width = crowded ? 1180.0 : 760
    let left = Figure(title: "\(name) with power-law fits on their windows (dashed)", xAxis: Axis(label: "depth l", scale: .log),
                      yAxis: Axis(label: name, scale: .log), series: data, legendPosition: position, width: width)
    let right = Figure(title: "effective exponent δ_eff(l) = −ln[y(l)/y(l/2)] / ln 2", xAxis: Axis(label: "depth l", scale: .log),
                       yAxis: Axis(label: "δ_eff"),
                       series: local + classLines(shown.map(\.1.window), near: local.flatMap { series in
                           series.y.indices.flatMap { [series.y[$0] - (series.yError?[$0] ?? 0), series.y[$0] + (series.yError?[$0] ?? 0)] }
                       }, dimension: dimension), legendPosition: crowded ? .outsideRight : .automatic, width: width)
    var panels = effectivePanel ? [left, right] : [left]
    if !spread.isEmpty, let lo = spread.compactMap(\.x.first).min(), let hi = spread.compactMap(\.x.last).max() {
        spread.append(Series(name: "1: above, few realisations carry the mean", x: [lo, hi], y: [1, 1],
                             color: Color(r: 120, g: 120, b: 120), dashed: true, lineWidth: 1.2))
        panels.append(Figure(title: "spread of ln ρ across realisations", xAxis: Axis(label: "depth l", scale: .log),
                             yAxis: Axis(label: "sd of ln ρ"), series: spread, legendPosition: crowded ? .outsideRight : .automatic,
                             width: width))
    }
    return PanelGrid(title: "Decay exponent", panels: panels, columns: crowded || panels.count > 2 ? 1 : 2)
}

/// Horizontal reference lines at the δ of the classes near the data (`values`: the plotted
/// δ_eff with their error bars), across the fitting windows; the nearest class when none is near.
/// They are drawn solid, thick and in dark colours of their own, unlike the runs' dashed fit lines,
/// and named "class …" in the legend. With `dimension` (a lattice run's), directed percolation of
/// other dimensions is left out, as the verdict leaves it out.
func classLines(_ windows: [ClosedRange<Double>], near values: [Double] = [], dimension: Int? = nil) -> [Series] {
    guard let lo = windows.map(\.lowerBound).min(), let hi = windows.map(\.upperBound).max() else { return [] }
    let styles: [(UniversalityClass, Color)] = [
        (.dp1, Color(r: 20, g: 20, b: 20)), (.dp2, Color(r: 0, g: 110, b: 110)), (.dp3, Color(r: 110, g: 110, b: 0)),
        (.meanField, Color(r: 110, g: 110, b: 110)), (.meanFieldKinked, Color(r: 130, g: 70, b: 20)),
        (.temporalNoiseMeanField, Color(r: 120, g: 30, b: 90)),
    ].filter { u, _ in u.admits(dimension: dimension) }
    let finite = values.filter(\.isFinite)
    var chosen = styles
    if let a = finite.min(), let b = finite.max() {
        let margin = max(0.1, 0.25 * (b - a))
        chosen = styles.filter { $0.0.exponents["delta"]! >= a - margin && $0.0.exponents["delta"]! <= b + margin }
        if chosen.isEmpty, let nearest = styles.min(by: { abs($0.0.exponents["delta"]! - (a + b) / 2) < abs($1.0.exponents["delta"]! - (a + b) / 2) }) {
            chosen = [nearest]
        }
    }
    return chosen.map { u, color in
        let delta = u.exponents["delta"]!
        return Series(name: "class \(u.name): δ = \(formatShort(delta))", x: [lo / 2, hi], y: [delta, delta],
                      color: color, dashed: false, lineWidth: 2.6)
    }
}

/// Indices of `t` thinned to about `perOctave` per octave.
func thin(_ t: [Double], perOctave: Int = 8) -> [Int] {
    var out: [Int] = []
    var last = -Double.infinity
    for (i, x) in t.enumerated() where x > 0 && log2(x) - last >= 1.0 / Double(perOctave) {
        out.append(i)
        last = log2(x)
    }
    return out
}

/// Colours for runs: when they differ by a control parameter, a blue-to-red gradient by rank of
/// the control value (as in the critical-point figure, so that a value has the same colour in
/// both); otherwise the palette in order.
func scanColors(_ controls: [Double?]) -> [Color] {
    let values = controls.compactMap { $0 }
    let distinct = Array(Set(values)).sorted()
    guard values.count == controls.count, distinct.count >= 2 else {
        return controls.indices.map { Color.palette[$0 % Color.palette.count] }
    }
    return values.map { v in
        let shade = Double(distinct.firstIndex(of: v)!) / Double(distinct.count - 1)
        return Color(r: UInt8(40 + 200 * shade), g: 70, b: UInt8(220 - 180 * shade))
    }
}

/// Run labels as a legend writes them: numbers to four significant digits, without the source
/// file, sample count or seed where the rest still tells the runs apart, σ_w and σ_b as in the text.
func figureLabels(_ labels: [String]) -> [String] {
    var parts = labels.map { label in
        label.components(separatedBy: ", ").map { part -> (key: String, value: String) in
            guard let r = part.range(of: " = ") else { return (part, "") }
            let value = String(part[r.upperBound...])
            let short = Double(value).map { $0 == $0.rounded() ? value : String(format: "%.4g", $0) } ?? value
            return (String(part[..<r.lowerBound]), short)
        }
    }
    let text = { (p: [(key: String, value: String)]) in
        p.map { $0.value.isEmpty ? $0.key : "\($0.key) = \($0.value)" }.joined(separator: ", ")
    }
    for key in ["source", "samples", "seed"] {
        let fewer = parts.map { $0.filter { $0.key != key } }
        if fewer.allSatisfy({ !$0.isEmpty }), Set(fewer.map(text)).count == Set(parts.map(text)).count { parts = fewer }
    }
    return parts.map { figureLabel(text($0)) }
}

/// A run label as figures write it: σ_w and σ_b as in the text.
func figureLabel(_ label: String) -> String {
    label.replacingOccurrences(of: "sigma_w", with: "σ_w").replacingOccurrences(of: "sigma_b", with: "σ_b")
}
