import ArgumentParser
import CriticalityCore
import Foundation
import Plotting
import Scaling

/// `criticality analyze critical-point`: the critical control value of a scan, with its error.
struct AnalyzeCriticalPoint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "critical-point",
        abstract: "Critical control value (sigma_w,c or p_c) of a scan, with its bootstrap error.",
        discussion: """
            Each run's curve y(t) is fitted on a common window by ln y = c0 + c1 u + c2 u^2 (u = ln t): \
            c2 < 0 bends down (absorbing), c2 > 0 bends up (active), c2 = 0 at criticality. The \
            critical point is where c2 changes sign (a weighted line through the four curvatures around \
            the change); its error is the spread of the whole procedure over bootstrap replicates. The \
            exponent at the critical point is interpolated from the runs' slopes. Runs of several sizes \
            are analysed one size at a time. JSON keys: critical, critical_err, exponent, exponent_err.
            """
    )

    @OptionGroup var input: AnalysisInputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    static let columns = ["size", "observable", "control", "critical", "critical_err", "exponent", "exponent_name",
                          "exponent_err", "exponent_stat_err", "exponent_drift", "window_from", "window_to", "runs",
                          "replicates", "failed_replicates"]

    func run() throws {
        let data = try input.load()
        let observable = input.primaryObservable(data)
        let curves = try input.curves(data, observable: observable)
        let window = try input.fittingWindow()
        let controlName = input.controlColumn ?? (["p", "sigma_w"].first { data.table.hasNumbers(in: $0) } ?? "control")
        let sizes = Array(Set(curves.map { $0.size ?? .nan })).sorted()
        var table = Table(columns: Self.columns)
        var results: [(Double?, CriticalPoint)] = []
        var bendRows: [JSONValue] = []
        for size in sizes {
            let group = curves.filter { ($0.size ?? .nan).bitPattern == size.bitPattern }
            let cp = try CriticalPoint.locate(group, window: window, replicates: input.replicates, seed: input.seed)
            let (total, stat, drift) = observable.exponent(at: cp)
            let sizeValue: Double? = size.isNaN ? nil : size
            results.append((sizeValue, cp))
            table.append([.optional(sizeValue), .text(observable.rawValue), .text(controlName), .number(cp.control), .number(cp.error),
                          .number(total.value), .text(observable.exponent), .number(total.error), .number(stat), .number(drift),
                          .number(cp.window.lowerBound), .number(cp.window.upperBound), .integer(cp.bends.count),
                          .integer(cp.replicates), .integer(cp.failedReplicates)])
            for b in cp.bends {
                bendRows.append(.object(["size": sizeValue.map { .number($0) } ?? .null, "run": .string(b.label), "control": .number(b.control),
                                         "curvature": .number(b.curvature), "curvature_err": .number(b.curvatureError),
                                         "slope": .number(b.slope), "slope_err": .number(b.slopeError)]))
            }
            let sizeText = sizeValue.map { " at size \(formatShort($0))" } ?? ""
            noteOnStderr("\(controlName)_c\(sizeText) = \(formatEstimate(cp.control, cp.error)) from \(cp.bends.count) runs on t = \(formatShort(cp.window.lowerBound))…\(formatShort(cp.window.upperBound)); \(observable.exponent) there = \(formatEstimate(total.value, total.error))")
            if cp.failedReplicates > 0 {
                noteOnStderr("criticality: \(cp.failedReplicates) of \(cp.replicates + cp.failedReplicates) bootstrap replicates found no sign change")
            }
        }
        switch output.format {
        case .csv: try output.emit(table)
        case .json:
            guard case .array(let rows) = table.json() else { return }
            var fields: [JSONValue.Field] = []
            if rows.count == 1, case .object(let f) = rows[0] { fields = f } else { fields = [JSONValue.Field("sizes", .array(rows))] }
            try output.emit(text: JSONValue.object(fields + [JSONValue.Field("bends", .array(bendRows))]).rendered() + "\n")
        }
        if let path = plot.plot {
            try writeFigure(criticalPointFigure(curves, results, controlName: controlName, observable: observable,
                                                dimension: latticeDimension(data)).svg(), to: path)
        }
    }
}

/// Effective exponents of every run of the largest size, coloured by control value, and the
/// curvature against the control value with the critical point.
func criticalPointFigure(_ curves: [Curve], _ results: [(Double?, CriticalPoint)], controlName: String,
                         observable: Observable, dimension: Int? = nil) -> PanelGrid {
    guard let (size, cp) = results.last else { return PanelGrid(panels: [], columns: 1) }
    var group = curves.filter { $0.size == size }.sorted { ($0.control ?? 0) < ($1.control ?? 0) }
    // A search of several rounds has too many runs for one legend: the nine nearest the estimate.
    let shown = 9
    let thinned = group.count > shown
    if thinned { group = curvesNearest(group, to: cp.control, count: shown).sorted { ($0.control ?? 0) < ($1.control ?? 0) } }
    var local: [Series] = []
    let sign = observable == .active || observable == .r2 ? 1.0 : -1.0
    let colors = scanColors(group.map(\.control))
    for (k, c) in group.enumerated() {
        let slopes = PowerLawFit.localSlopes(of: c).filter { $0.t >= cp.window.lowerBound / 4 && $0.t <= cp.window.upperBound }
        let keep = thin(slopes.map(\.t))
        local.append(Series(name: "\(controlSymbol(controlName)) = \(formatShort(c.control ?? .nan))", x: keep.map { slopes[$0].t },
                            y: keep.map { sign * slopes[$0].slope },
                            yError: keep.map { slopes[$0].error.isFinite ? slopes[$0].error : 0 }, style: .lineAndMarkers,
                            color: colors[k], lineWidth: 1.2))
    }
    let name = observable.exponent == "delta" ? "δ_eff" : observable == .active ? "θ_eff" : "2/z_eff"
    // The axis fits every point with its error bar: nothing is clipped.
    let references = observable.exponent == "delta"
        ? classLines([cp.window], near: local.flatMap { s in s.y.indices.map { s.y[$0] } }, dimension: dimension) : []
    let left = Figure(title: thinned ? "\(name)(t), the \(shown) runs nearest \(controlSymbol(controlName))_c" : "\(name)(t) across the scan", xAxis: Axis(label: "depth l", scale: .log),
                      yAxis: Axis(label: name),
                      series: local + references, legendPosition: group.count > 6 ? .outsideRight : .automatic)
    let finite = cp.bends.filter { $0.curvature.isFinite }
    var right: [Series] = [
        Series(name: "curvature c₂ of ln y against ln t", x: finite.map(\.control), y: finite.map(\.curvature),
               yError: finite.map { $0.curvatureError.isFinite ? $0.curvatureError : 0 }, style: .markers, color: Color.palette[0]),
        Series(name: "zero", x: [cp.bends.first!.control, cp.bends.last!.control], y: [0, 0], color: Color(r: 120, g: 120, b: 120), dashed: true, lineWidth: 1),
    ]
    let ys = finite.map(\.curvature)
    if let lo = ys.min(), let hi = ys.max() {
        right.append(Series(name: "\(controlSymbol(controlName))_c = \(formatEstimate(cp.control, cp.error))", x: [cp.control, cp.control], y: [min(lo, 0), max(hi, 0)],
                            color: Color.palette[1], lineWidth: 2))
    }
    let sizeText = size.map { " (size \(formatShort($0)))" } ?? ""
    let rightFigure = Figure(title: "bend of the curves against \(controlSymbol(controlName))\(sizeText)", xAxis: Axis(label: controlSymbol(controlName)),
                             yAxis: Axis(label: "curvature c₂"), series: right, legendPosition: .automatic)
    // A long legend sits beside its plot, so the two panels go one above the other.
    return PanelGrid(title: "Critical point", panels: [left, rightFigure], columns: group.count > 6 ? 1 : 2)
}

/// The `count` curves whose control value is nearest `x`, nearest first (curves without one last).
func curvesNearest(_ curves: [Curve], to x: Double, count: Int) -> [Curve] {
    Array(curves.sorted { abs(($0.control ?? .infinity) - x) < abs(($1.control ?? .infinity) - x) }.prefix(count))
}

/// A control column as it is written in the text: σ_w, σ_b or p.
func controlSymbol(_ column: String) -> String {
    switch column {
    case "sigma_w": "σ_w"
    case "sigma_b": "σ_b"
    default: column
    }
}
