import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting
import Scaling

/// `criticality analyze training`: the κL measurement on the output of `train ntk` or an `ntk`
/// campaign (docs/kernels.md, "The κL measurement").
struct AnalyzeTraining: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training",
        abstract: "Test error against depth L and kappa L: best depth and window per network, the collapse of the critical curves, the decay off the line.",
        discussion: """
            Reads tables of train ntk (CSV files) or ntk campaign stores. Each network (activation, sigma_w, sigma_b, \
            input correlation) is one curve of test MSE against depth, for one kernel and one time (--kernel, --time or \
            --steps), from depth 2 on (depth 1 is linear in the input). Per curve (the CSV rows): sigma_w_scale = sigma_w / sigma_w,c, kappa, xi_c (the correlation depth, \
            empty on the line), the best depth and kappa_depth, the window of depths within 5% of the best test MSE, \
            the best test MSE and accuracy, and depth_doubled (the depth at which the test MSE has doubled from its \
            best). The collapse of the curves on the critical line is measured against four variables: L, kappa L, \
            kappa rho1 L and rho1/rho_L, where rho1 is the data's mean distance after the first layer (rho0 = \
            1 - input_correlation, rho1 = sigma_w^2 q0 rho0 / q1) and rho_L the mean-field distance after L layers \
            (rho_L ~ rho1 / (1 + kappa rho1 L) at criticality): the RMS difference between curves at equal value of \
            the variable, and the same divided by their errors (quality, about 1 when they agree within errors). The collapse goes to stderr and \
            into --format json (with the curves) and the figure.
            """
    )

    @Argument(help: ArgumentHelp("Tables of train ntk or ntk campaign stores.", valueName: "INPUT"))
    var inputs: [String]
    @Option(help: "Kernel: ntk or nngp.")
    var kernel = "ntk"
    @Option(help: ArgumentHelp("The training time of the curves: a number or inf.", valueName: "T|inf"))
    var time: String?
    @Option(parsing: .unconditional, help: "Use the rows of this many gradient-descent steps (instead of --time).")
    var steps: Double?
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one table of train ntk or ntk campaign store") }
        guard ["ntk", "nngp"].contains(kernel) else { throw ValidationError("--kernel expects ntk or nngp, got '\(kernel)'") }
        if time != nil && steps != nil { throw ValidationError("give --time or --steps, not both") }
        if let time, time != "inf", Double(time) == nil { throw ValidationError("--time expects a number or inf, got '\(time)'") }
    }

    func run() throws {
        let data = try AnalysisData.load(inputs).table
        let curves = try trainingCurves(data, kernel: kernel, time: steps == nil ? (time ?? "inf") : nil, steps: steps)
        let critical = curves.filter(\.onLine)
        let collapse = try collapseMeasures(critical)
        for c in collapse {
            noteOnStderr(String(format: "collapse of %d critical curves against %@: rms %.3g, quality %.3g (%d comparisons)%@",
                                critical.count, c.variable, c.spread.rms, c.spread.quality, c.spread.comparisons,
                                c.variable == "L" ? "" : String(format: "; %.2f of the spread at equal L", c.spread.rms / collapse[0].spread.rms)))
        }
        if !collapse.isEmpty {
            noteOnStderr("(rms: of the differences between curves at equal abscissa; quality: their mean square over the sum of the variances, "
                + "about 1 when the curves agree within errors; ρ¹: the data's mean distance after layer 1; ρ_L: the mean-field distance after L layers)")
        }
        let table = curveTable(curves)
        if output.format == .json {
            let object = JSONValue.object([
                "curves": table.json(),
                "collapse": collapseJSON(collapse, curves: critical.count),
            ])
            try output.emit(text: object.rendered() + "\n")
        } else {
            try output.emit(table)
        }
        if let path = plot.plot { try writeFigure(kappaDepthFigure(curves, collapse: collapse).svg(), to: path) }
    }
}

/// One network's test-error curve and what the κL measurement needs of it.
struct TrainingCurve {
    let activation: Activation
    let sigmaW: Double, sigmaB: Double, q0: Double
    let kappa: Double
    /// ρ̄⁰ = 1 − the mean input correlation of the training pairs.
    let rho0: Double
    let sigmaWScale: Double
    /// ξ_c = −1/ln χ_c off the line (nil on it).
    let xi: Double?
    let curve: DepthErrorCurve
    let accuracy: [Double: Double]
    var onLine: Bool { abs(sigmaWScale - 1) < 1e-6 }
    var label: String { "\(activation.rawValue), σ_b = \(formatNumber(sigmaB))" }
}

/// The curves of `kernel` at `time` (a number or "inf") or at `steps` in a table of `train ntk`.
func trainingCurves(_ table: TidyTable, kernel: String, time: String?, steps: Double?) throws -> [TrainingCurve] {
    let needed = ["activation", "sigma_w", "sigma_b", "kappa", "depth", "kernel", "time", "steps", "test_mse",
                  "test_mse_err", "test_accuracy", "input_correlation"]
    var index: [String: Int] = [:]
    for name in needed {
        guard let k = table.index(of: name) else {
            throw InputError.invalid("no column '\(name)': analyze training reads the tables of train ntk; the columns are \(table.columns.filter { $0 != "source" }.joined(separator: ", "))")
        }
        index[name] = k
    }
    let q0Column = table.index(of: "q0"), task = table.index(of: "task"), source = table.index(of: "source")
    var groups: [String: [[String]]] = [:]
    var order: [String] = []
    // Depth 1 is linear in the input (no activation acts yet): it has no κ and is left out.
    for row in table.rows where row[index["kernel"]!] == kernel && (TidyTable.number(row[index["depth"]!]) ?? 0) >= 2 {
        if let steps {
            guard TidyTable.number(row[index["steps"]!]) == steps else { continue }
        } else if let time {
            let t = row[index["time"]!]
            guard row[index["steps"]!].isEmpty, time == "inf" ? t == "inf" : TidyTable.number(t) == Double(time) else { continue }
        }
        let key = ["activation", "sigma_w", "sigma_b", "input_correlation"].map { row[index[$0]!] }.joined(separator: "|")
            + "|" + (task.map { row[$0] } ?? "") + "|" + (source.map { row[$0] } ?? "")
        if groups[key] == nil { order.append(key) }
        groups[key, default: []].append(row)
    }
    guard !order.isEmpty else {
        throw InputError.invalid("no rows of kernel \(kernel) at \(steps.map { "\(formatNumber($0)) steps" } ?? "time \(time ?? "inf")")")
    }
    var criticalSigmaW: [String: Double] = [:]
    return try order.map { key in
        let rows = groups[key]!
        let first = rows[0]
        func number(_ name: String) -> Double { TidyTable.number(first[index[name]!]) ?? .nan }
        guard let activation = Activation(name: first[index["activation"]!]) else {
            throw InputError.invalid("unknown activation '\(first[index["activation"]!])'")
        }
        let sigmaB = number("sigma_b"), sigmaW = number("sigma_w")
        let q0 = q0Column.flatMap { TidyTable.number(first[$0]) } ?? 1
        let lineKey = "\(activation.rawValue)|\(sigmaB)|\(q0)"
        if criticalSigmaW[lineKey] == nil {
            criticalSigmaW[lineKey] = try CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB, q0: q0)
        }
        let scale = sigmaW / criticalSigmaW[lineKey]!
        let onLine = abs(scale - 1) < 1e-6
        let xi = onLine ? nil : try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB).point(q0: q0).correlationDepth
        let depth = rows.map { TidyTable.number($0[index["depth"]!]) ?? .nan }
        let mse = rows.map { TidyTable.number($0[index["test_mse"]!]) ?? .nan }
        let err = rows.map { TidyTable.number($0[index["test_mse_err"]!]) ?? .nan }
        var accuracy: [Double: Double] = [:]
        for (d, row) in zip(depth, rows) { accuracy[d] = TidyTable.number(row[index["test_accuracy"]!]) }
        return TrainingCurve(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB, q0: q0, kappa: number("kappa"),
                             rho0: 1 - number("input_correlation"), sigmaWScale: scale, xi: xi,
                             curve: DepthErrorCurve(depth: depth, value: mse, error: err), accuracy: accuracy)
    }
}

/// The spread of the critical curves against L, κL, κρ¹L and ρ¹/ρ_L (docs/kernels.md, "The κL
/// measurement"): ρ¹ = σ_w² q₀ ρ̄⁰/q¹ is the data's mean distance after the first layer and ρ_L the
/// mean-field distance after L layers of two inputs at ρ̄⁰ (ρ_L ≈ ρ¹/(1 + κρ¹L) at criticality).
func collapseMeasures(_ curves: [TrainingCurve]) throws -> [(variable: String, spread: CollapseSpread, x: [[Double]])] {
    func trajectory(_ c: TrainingCurve) throws -> Trajectory {
        let network = try MeanFieldNetwork(activation: c.activation, sigmaW: c.sigmaW, sigmaB: c.sigmaB)
        return try Trajectory(network: network, q0: c.q0, rho0: min(max(c.rho0, 0), 2), depth: Int(c.curve.depth.last ?? 1))
    }
    let trajectories = try curves.map(trajectory)
    let variables: [(String, (Int) -> [Double])] = [
        ("L", { curves[$0].curve.depth }),
        ("κL", { k in curves[k].curve.depth.map { curves[k].kappa * $0 } }),
        ("κρ¹L", { k in curves[k].curve.depth.map { curves[k].kappa * trajectories[k].rho[0] * $0 } }),
        ("ρ¹/ρ_L", { k in curves[k].curve.depth.map { trajectories[k].rho[0] / trajectories[k].rho[Int($0) - 1] } }),
    ]
    return variables.map { name, transform in
        let xs = curves.indices.map(transform)
        let spread = CollapseSpread(curves: zip(xs, curves).map { ($0, $1.curve.value, $1.curve.error) })
        return (name, spread, xs)
    }
}

/// The collapse measures as JSON (`analyze training --format json`, the demo's summary).
func collapseJSON(_ collapse: [(variable: String, spread: CollapseSpread, x: [[Double]])], curves: Int) -> JSONValue {
    .array(collapse.map { c in
        .object(["variable": .string(c.variable), "curves": .integer(curves), "rms": .number(c.spread.rms),
                 "quality": .number(c.spread.quality), "comparisons": .integer(c.spread.comparisons),
                 "rms_relative_to_L": .number(c.spread.rms / collapse[0].spread.rms)])
    })
}

/// The per-curve rows of `analyze training`.
func curveTable(_ curves: [TrainingCurve]) -> Table {
    var table = Table(columns: ["activation", "sigma_w", "sigma_b", "sigma_w_scale", "kappa", "xi_c", "input_correlation",
                                "best_depth", "best_kappa_depth", "window_low", "window_high", "best_test_mse",
                                "best_test_mse_err", "best_test_accuracy", "max_depth", "test_mse_at_max_depth", "depth_doubled"])
    for c in curves {
        guard let b = c.curve.bestIndex, let window = c.curve.window() else { continue }
        let best = c.curve.depth[b]
        table.append([.text(c.activation.rawValue), .number(c.sigmaW), .number(c.sigmaB), .number(c.sigmaWScale), .number(c.kappa),
                      .optional(c.xi), .number(1 - c.rho0), .number(best), .number(c.kappa * best), .number(window.lowerBound),
                      .number(window.upperBound), .number(c.curve.value[b]), .number(c.curve.error[b]), .optional(c.accuracy[best]),
                      .number(c.curve.depth.last!), .number(c.curve.value.last!), .optional(c.curve.depthWhereErrorReaches(factor: 2))])
    }
    return table
}

/// The κL measurement in four panels, one question each (docs/kernels.md, "The κL measurement"):
/// (a) what leaving the critical line does (one activation, on the line and 5% to either side;
/// colour by side, marker by σ_b); (b)–(d) the critical networks against L, κL and ρ¹/ρ_L, with the
/// rms spread between the curves in each title (colour by σ_b, which sets κ, marker by activation).
/// Every symbol is in a legend.
func kappaDepthFigure(_ curves: [TrainingCurve], collapse: [(variable: String, spread: CollapseSpread, x: [[Double]])]) -> PanelGrid {
    let activations = curves.map(\.activation.rawValue).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    let biases = curves.map(\.sigmaB).reduce(into: [Double]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
    let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond, .triangleDown]
    let colours = [Color(hex: "#1f5fa8"), Color(hex: "#2a9d3a"), Color(hex: "#e07b00"), Color(hex: "#c0392b"), Color(hex: "#6a3d9a"),
                   Color(hex: "#17becf"), Color(hex: "#8c564b")]
    func colour(_ c: TrainingCurve) -> Color { colours[(biases.firstIndex(of: c.sigmaB) ?? 0) % colours.count] }
    func marker(_ c: TrainingCurve) -> MarkerShape { markers[(activations.firstIndex(of: c.activation.rawValue) ?? 0) % markers.count] }
    let grey = Color(r: 70, g: 70, b: 70)
    let critical = curves.filter(\.onLine)
    // The legend of the critical panels: σ_b by colour, activation by marker.
    var legend: [Series] = biases.enumerated().map { k, b in
        Series(name: "σ_b = \(formatNumber(b))", x: [], y: [], style: .line, color: colours[k % colours.count], lineWidth: 1.6)
    }
    for (k, a) in activations.enumerated() where activations.count > 1 {
        legend.append(Series(name: a, x: [], y: [], style: .markers, marker: markers[k % markers.count], color: grey, lineWidth: 1.6))
    }
    func panel(_ title: String, _ label: String, x: (Int) -> [Double]) -> Figure {
        var series: [Series] = critical.indices.map { k in
            let c = critical[k]
            return Series(name: "", x: x(k), y: c.curve.value, yError: c.curve.error, style: .lineAndMarkers, marker: marker(c),
                          color: colour(c), lineWidth: 1.6)
        }
        series += legend
        return Figure(title: title, xAxis: Axis(label: label, scale: .log), yAxis: Axis(label: "test MSE", scale: .linear),
                      series: series, legendPosition: .topLeft, width: 620, height: 440)
    }
    func spread(_ name: String) -> String {
        guard let c = collapse.first(where: { $0.variable == name }) else { return "" }
        guard let atL = collapse.first?.spread.rms, name != "L", atL > 0 else { return String(format: ": spread %.2g", c.spread.rms) }
        return String(format: ": spread %.2g (%.2f of L's)", c.spread.rms, c.spread.rms / atL)
    }
    var panels: [Figure] = []
    // (a) On and off the line, for the first activation: colour by side, marker by σ_b.
    if let first = activations.first, curves.contains(where: { !$0.onLine }) {
        let sides: [(String, Color, (Double) -> Bool)] = [
            ("ordered side, σ_w < σ_w,c", Color(hex: "#2a9d3a"), { $0 < 1 - 1e-6 }),
            ("on the line, σ_w = σ_w,c", Color.black, { abs($0 - 1) <= 1e-6 }),
            ("chaotic side, σ_w > σ_w,c", Color(hex: "#c0392b"), { $0 > 1 + 1e-6 }),
        ]
        var series: [Series] = []
        for c in curves where c.activation.rawValue == first {
            guard let side = sides.first(where: { $0.2(c.sigmaWScale) }) else { continue }
            series.append(Series(name: "", x: c.curve.depth, y: c.curve.value, yError: c.curve.error, style: .lineAndMarkers,
                                 marker: markers[(biases.firstIndex(of: c.sigmaB) ?? 0) % markers.count], color: side.1,
                                 dashed: !c.onLine, lineWidth: 1.4))
        }
        let scales = Set(curves.filter { !$0.onLine }.map { String(format: "%.2f", $0.sigmaWScale) }).sorted().joined(separator: ", ")
        for side in sides { series.append(Series(name: side.0, x: [], y: [], style: .line, color: side.1, dashed: side.0.hasPrefix("on") == false, lineWidth: 1.6)) }
        for (k, b) in biases.enumerated() {
            series.append(Series(name: "σ_b = \(formatNumber(b))", x: [], y: [], style: .markers, marker: markers[k % markers.count], color: grey, lineWidth: 1.6))
        }
        panels.append(Figure(title: "(a) \(first): on the line and off it (σ_w/σ_w,c = \(scales))", xAxis: Axis(label: "depth L", scale: .log),
                             yAxis: Axis(label: "test MSE", scale: .linear), series: series, legendPosition: .outsideRight, width: 840, height: 440))
    }
    let letter = panels.isEmpty ? ["(a)", "(b)", "(c)"] : ["(b)", "(c)", "(d)"]
    panels.append(panel("\(letter[0]) Critical networks against depth L\(spread("L"))", "depth L") { critical[$0].curve.depth })
    panels.append(panel("\(letter[1]) … against κL\(spread("κL"))", "κ L (κ: the metric factor)") { k in critical[k].curve.depth.map { critical[k].kappa * $0 } })
    if let relative = collapse.first(where: { $0.variable == "ρ¹/ρ_L" }), relative.x.count == critical.count {
        panels.append(panel("\(letter[2]) … against ρ¹/ρ_L\(spread("ρ¹/ρ_L"))", "ρ¹/ρ_L (ρ¹: data's distance after layer 1; ρ_L: mean field after L)") { relative.x[$0] })
    }
    return PanelGrid(title: "Infinitely wide networks (NTK); spread: rms gap between critical curves at equal abscissa",
                     panels: panels, columns: 2)
}
