import ArgumentParser
import CriticalityCore
import Foundation
import Plotting
import Scaling

/// The scaling forms of `analyze collapse`: the library's two, and the off-critical form in time,
/// which is the control form with the depth in the place of the size.
enum CollapseForm: String, ExpressibleByArgument, CaseIterable {
    case depth, control, time
    var ansatz: DataCollapse.Ansatz { self == .depth ? .depth : .control }
}

/// `criticality analyze collapse`: the exponents that collapse curves of several sizes.
struct AnalyzeCollapse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collapse",
        abstract: "Data collapse: y = n^-a F(l / n^b) over sizes (--ansatz depth), y = L^-a F((x - x_c) L^b) over sizes (control), or y = l^-a F((x - x_c) l^b) over depths (time).",
        discussion: """
            The Houdayer-Hartmann quality (about 1 when the curves agree within their errors) is \
            minimised by Nelder-Mead; errors are the spread over bootstrap replicates. The depth form \
            uses each run's log-spaced points in --window (default: from 32 times the first depth); errors \
            combine the bootstrap spread (_stat_err) with the largest move of the optimum when one size is \
            left out (_size_drift, with three sizes or more). The control form uses \
            each run's value at --at-depth (default: its last depth) against the control column. The time form \
            collapses a scan off the critical point at one size (the largest): its values at each depth of --depths \
            (default: the last depth and its halves down to an eighth) against the control column, with a = delta \
            and b = 1/nu_par (nu_par is printed too).
            """
    )

    @OptionGroup var input: AnalysisInputOptions

    @Option(name: .customLong("ansatz"), help: "Scaling form: depth, control or time.")
    var form: CollapseForm = .depth

    @Option(help: ArgumentHelp("Starting values a,b or a,b,x_c.", valueName: "A,B[,XC]"))
    var start: String?

    @Option(help: ArgumentHelp("Hold a parameter fixed, e.g. --fix x_c=0.6447 (repeatable).", valueName: "NAME=VALUE"))
    var fix: [String] = []

    @Option(name: .customLong("at-depth"), parsing: .unconditional, help: "Control form: the depth whose values collapse.")
    var atDepth: Double?

    @Option(help: ArgumentHelp("Time form: the depths whose values collapse (comma-separated).", valueName: "L1,L2,..."))
    var depths: String?

    func parsedDepths() throws -> [Double]? {
        guard let depths else { return nil }
        let v = depths.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count >= 2, v.allSatisfy({ $0.map { $0 > 0 && $0.isFinite } == true }) else {
            throw ValidationError("--depths expects at least two positive depths separated by commas, got '\(depths)'")
        }
        return v.map { $0! }
    }

    var ansatz: DataCollapse.Ansatz { form.ansatz }

    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    func parsedStart() throws -> [Double]? {
        guard let start else { return nil }
        let v = start.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == ansatz.parameterNames.count, v.allSatisfy({ $0?.isFinite == true }) else {
            throw ValidationError("--start expects \(ansatz.parameterNames.joined(separator: ",")) as numbers, got '\(start)'")
        }
        return v.map { $0! }
    }

    func parsedFixed() throws -> [Int: Double] {
        var fixed: [Int: Double] = [:]
        for item in fix {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let k = ansatz.parameterNames.firstIndex(of: parts[0]), let v = Double(parts[1]), v.isFinite else {
                throw ValidationError("--fix expects NAME=VALUE with NAME one of \(ansatz.parameterNames.joined(separator: ", ")), got '\(item)'")
            }
            fixed[k] = v
        }
        return fixed
    }

    func validate() throws {
        _ = try parsedStart()
        _ = try parsedFixed()
        _ = try parsedDepths()
    }

    func run() throws {
        let data = try input.load()
        let observable = input.primaryObservable(data)
        let curves = try input.curves(data, observable: observable)
        let series: [DataCollapse.Series]
        switch form {
        case .depth: series = try DataCollapse.depthSeries(curves, window: input.fittingWindow())
        case .control: series = try DataCollapse.controlSeries(curves, depth: atDepth)
        case .time:
            let last = curves.compactMap { $0.t.last }.max() ?? 1
            series = try DataCollapse.timeSeries(curves, depths: try parsedDepths() ?? [last / 8, last / 4, last / 2, last])
        }
        let c = try DataCollapse.fit(series, ansatz: ansatz, start: parsedStart(), fixed: parsedFixed(),
                                     replicates: min(input.replicates, 100), seed: input.seed)
        var columns = ["ansatz", "observable"]
        var cells: [Table.Cell] = [.text(form.rawValue), .text(observable.rawValue)]
        for (k, name) in ansatz.parameterNames.enumerated() {
            columns += [name, name + "_err", name + "_stat_err", name + "_size_drift"]
            cells += [.number(c.parameters[k]), .number(c.errors[k]), .number(c.statisticalErrors[k]), .number(c.sizeDrift[k])]
        }
        columns += ["quality", "pairs", "sizes", "replicates"]
        cells += [.number(c.quality), .integer(c.pairs), .integer(Set(series.map(\.size)).count), .integer(c.replicates)]
        var table = Table(columns: columns)
        table.append(cells)
        try output.emit(record: table)
        let text = ansatz.parameterNames.enumerated().map { "\($0.element) = \(formatEstimate(c.parameters[$0.offset], c.errors[$0.offset]))" }
        var note = "collapse (\(form.rawValue)): \(text.joined(separator: ", ")); quality \(String(format: "%.3g", c.quality)) over \(c.pairs) pairs"
        if form == .time {
            note += "; delta = a, nu_par = 1/b = \(formatEstimate(1 / c.parameters[1], c.errors[1] / (c.parameters[1] * c.parameters[1])))"
        }
        noteOnStderr(note)
        if let path = plot.plot {
            // The control column the curves were read from (sigma_w or p for the tool's own files).
            let control = input.controlColumn
                ?? (try? CurveSelection(value: input.valueColumn ?? observable.rawValue).resolved(for: data.table).control) ?? nil
            try writeFigure(collapseFigure(series, c, quantity: input.valueColumn ?? observable.symbol,
                                           control: controlSymbol(control ?? "x"), size: form == .time ? "l" : "L",
                                           form: form.rawValue).svg(), to: path)
        }
    }
}

/// The curves as measured and after rescaling with the fitted exponents.
///
/// `quantity` is the observable as written in the text (ρ, P, …); the size is n for the depth form
/// and L for the control form, as in the ansatz.
func collapseFigure(_ series: [DataCollapse.Series], _ c: DataCollapse, quantity: String = "ρ", control: String = "x",
                    size: String = "L", form: String? = nil) -> PanelGrid {
    var raw: [Series] = [], scaled: [Series] = []
    let p = c.parameters
    for (k, s) in series.enumerated() {
        let color = Color.palette[k % Color.palette.count]
        let keep = (s.probes ?? Array(s.x.indices)).filter { c.ansatz == .control || (s.y[$0] > 0 && s.x[$0] > 0) }
        raw.append(Series(name: s.label, x: keep.map { s.x[$0] }, y: keep.map { s.y[$0] },
                          yError: s.error.map { e in keep.map { e[$0] } }, style: .lineAndMarkers, color: color, lineWidth: 1))
        let xs: [Double], ys: [Double]
        switch c.ansatz {
        case .depth:
            xs = keep.map { s.x[$0] / pow(s.size, p[1]) }
            ys = keep.map { s.y[$0] * pow(s.size, p[0]) }
        case .control:
            xs = keep.map { (s.x[$0] - p[2]) * pow(s.size, p[1]) }
            ys = keep.map { s.y[$0] * pow(s.size, p[0]) }
        }
        scaled.append(Series(name: s.label, x: xs, y: ys, yError: s.error.map { e in keep.map { e[$0] * pow(s.size, p[0]) } },
                             style: .lineAndMarkers, color: color, lineWidth: 1))
    }
    let log = c.ansatz == .depth
    let names = c.ansatz.parameterNames.enumerated().map { "\($0.element) = \(formatEstimate(p[$0.offset], c.errors[$0.offset]))" }
    let left = Figure(title: "as measured", xAxis: Axis(label: log ? "depth l" : control, scale: log ? .log : .linear),
                      yAxis: Axis(label: quantity, scale: log ? .log : .linear), series: raw, legendPosition: .automatic)
    let right = Figure(title: "rescaled: " + names.joined(separator: ", "),
                       xAxis: Axis(label: log ? "l / n^b" : "(\(control) − \(control)_c) \(size)^b", scale: log ? .log : .linear),
                       yAxis: Axis(label: log ? "n^a \(quantity)" : "\(size)^a \(quantity)", scale: log ? .log : .linear), series: scaled,
                       legendPosition: .automatic)
    return PanelGrid(title: "Data collapse (\(form ?? c.ansatz.rawValue) form), quality \(String(format: "%.3g", c.quality)) (about 1 when the rescaled curves agree within errors)",
                     panels: [left, right], columns: 2)
}
