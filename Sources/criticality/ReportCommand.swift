import ArgumentParser
import CriticalityCore
import Foundation
import Plotting
import Scaling

/// `criticality report`: one self-contained HTML page of analyses and verdicts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page (inline SVG figures) with exponents, critical points and verdicts.",
        discussion: """
            Each INPUT (a campaign store or a tidy CSV; foreign columns named as for analyze) gets a section: the decay fits of its runs, the \
            critical point when it holds a scan of at least three control values, the depth collapse when \
            it holds one run per size for several sizes, and the universality verdict. Analyses the data \
            cannot support are reported as such instead of failing the page.
            """
    )

    @OptionGroup var input: AnalysisInputOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: "The HTML file to write.")
    var output = "report.html"

    @Option(help: "Title of the page.")
    var title = "Criticality report"

    func validate() throws {
        guard output.lowercased().hasSuffix(".html") else { throw ValidationError("-o expects a file name ending in .html, got '\(output)'") }
    }

    func run() throws {
        try Self.render(input, output: output, title: title)
    }

    /// Writes the page for `input` to `output`; `preamble` (HTML) goes between the title and the
    /// table of verdicts (the demo's table of the paper's claims).
    static func render(_ input: AnalysisInputOptions, output: String, title: String, preamble: String = "",
                       progress: ((String) -> Void)? = nil) throws {
        var sections: [String] = []
        var summary: [(String, String)] = []
        let folder = (output as NSString).deletingLastPathComponent.isEmpty ? "." : (output as NSString).deletingLastPathComponent
        for (k, path) in input.inputs.enumerated() {
            var options = input
            options.inputs = [path]
            progress?("section \(k + 1)/\(input.inputs.count): \(displayName(path, relativeTo: folder))")
            do {
                let (html, verdict) = try reportSection(path, index: k, options: options, reportFolder: folder)
                sections.append(html)
                summary.append((path, verdict))
            } catch let error as ScalingError {
                // Data too thin for any analysis get their reason, not a failed page; unreadable
                // inputs and missing columns still stop the command (exit status 2).
                sections.append("<h2 title=\"\(escape(path))\">\(escape(displayName(path, relativeTo: folder)))</h2>\n<div class=\"verdict none\">\(escape("\(error)"))</div>\n")
                summary.append((path, "\(error)"))
            }
        }
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1450px; color: #222; line-height: 1.45; padding: 0 1em; }
            h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
            th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; } th { background: #f3f3f3; }
            td.text, th.text { text-align: left; }
            .verdict { background: #eef6ee; border-left: 5px solid #3a8a3a; padding: 0.6em 1em; margin: 1em 0; font-size: 1.05em; }
            .none { background: #fbf1e6; border-left-color: #c77a1c; }
            .note { color: #666; font-size: 0.9em; } figure { margin: 1em 0; } svg { max-width: 100%; height: auto; }
            </style></head><body>
            <h1>\(escape(title))</h1>
            <p class="note">criticality \(Criticality.version), \(ISO8601DateFormatter().string(from: Date())). Errors are bootstrap \
            standard errors over realisations; exponent errors for verdicts add the fit's drift over the window and a 3% allowance \
            for corrections to scaling. A class is excluded beyond 3 standard errors.</p>
            \(preamble)<table><tr><th class="text">input</th><th class="text">verdict</th></tr>

            """
        for (input, verdict) in summary {
            page += "<tr><td class=\"text\" title=\"\(escape(input))\">\(escape(displayName(input, relativeTo: folder)))</td><td class=\"text\">\(escape(verdict))</td></tr>\n"
        }
        page += "</table>\n" + sections.joined(separator: "\n") + "\n</body></html>\n"
        try writeOutput(page, to: output)
        noteOnStderr("report: \(output) (\(input.inputs.count) input\(input.inputs.count == 1 ? "" : "s"))")
    }
}

func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

/// An HTML table from a header and rows of text.
func htmlTable(_ header: [String], _ rows: [[String]]) -> String {
    var s = "<table><tr>" + header.enumerated().map { "<th class=\"\($0.offset == 0 ? "text" : "")\">\(escape($0.element))</th>" }.joined() + "</tr>\n"
    for row in rows { s += "<tr>" + row.enumerated().map { "<td class=\"\($0.offset == 0 ? "text" : "")\">\(escape($0.element))</td>" }.joined() + "</tr>\n" }
    return s + "</table>\n"
}

/// The section of one input and its one-line verdict.
func reportSection(_ input: String, index: Int, options: AnalysisInputOptions, reportFolder: String = ".") throws -> (String, String) {
    let data = try options.load()
    if data.table.has("test_mse") && data.table.has("kappa_depth") {
        return try trainingReportSection(input, data: data, index: index, reportFolder: reportFolder)
    }
    let replicates = options.replicates
    let window = try options.fittingWindow()
    let observable = options.primaryObservable(data)
    let curves = try options.curves(data, observable: observable)
    var html = "<h2 title=\"\(escape(input))\">\(escape(displayName(input, relativeTo: reportFolder)))</h2>\n"
    let models = Set(data.table.index(of: "model").map { k in data.table.rows.map { $0[k] } } ?? [])
    html += "<p>\(curves.count) run\(curves.count == 1 ? "" : "s")\(models.isEmpty ? "" : " of " + models.sorted().joined(separator: ", ")), observable \(observable.rawValue)\(data.isSpreading ? " (spreading from a seed)" : "").</p>\n"
    var figure = 0
    func embed(_ svg: (String) -> String, caption: String) {
        figure += 1
        html += "<figure>\(svg("r\(index)f\(figure)-"))<figcaption class=\"note\">\(escape(caption))</figcaption></figure>\n"
    }
    // Decay fits.
    var fitted: [(Curve, SlopeEstimate)] = []
    var rows: [[String]] = []
    var unfitted: [(label: String, reason: String)] = []
    for c in curves {
        do {
            let s = try SlopeEstimate.estimate(c, window: window, replicates: replicates, seed: options.seed)
            fitted.append((c, s))
            rows.append([c.label, formatEstimate(-s.slope, s.totalError), formatError(s.error), formatError(s.drift),
                         "\(formatShort(s.window.lowerBound))–\(formatShort(s.window.upperBound))"])
        } catch {
            // The reason, without the run's label (the row names it), once below the table.
            var reason = "\(error)"
            if let range = reason.range(of: "\(c.label): ") { reason.removeSubrange(range) }
            unfitted.append((c.label, reason))
            rows.append([c.label, "not fitted (below)", "", "", ""])
        }
    }
    html += "<h3>Decay</h3>\n" + htmlTable(["run", "δ (slope of −ln \(observable.rawValue) vs ln l)", "statistical", "drift", "window"], rows)
    if let first = unfitted.first {
        let others = unfitted.dropFirst().map(\.label)
        html += "<p class=\"note\">Not fitted: \(escape(first.label))\(others.isEmpty ? "" : " (and likewise \(escape(others.joined(separator: ", "))))"): \(escape(first.reason)).</p>\n"
    }
    let bySize = Dictionary(grouping: curves) { $0.size ?? .nan }
    let isScan = bySize.values.contains { Set($0.compactMap(\.control)).count >= 3 }
    let dimension = latticeDimension(data)
    if !fitted.isEmpty {
        // A scan's effective exponents are drawn once, in the critical-point figure below.
        let figure = decayFigure(fitted, observable: observable, dimension: dimension, effectivePanel: !isScan)
        let caption = isScan ? "The runs on log-log axes with their power-law fits (dashed) on the fitting window."
            : "\(panelWords(figure).0): the runs on log-log axes with their power-law fits (dashed); \(panelWords(figure).1): effective exponents with their errors, and the δ of the universality classes near them (solid)."
        embed({ figure.svg(idPrefix: $0) }, caption: caption)
    }
    // Critical point of a scan.
    if let (size, group) = bySize.max(by: { ($0.key.isNaN ? -1 : $0.key) < ($1.key.isNaN ? -1 : $1.key) }),
       Set(group.compactMap(\.control)).count >= 3 {
        html += "<h3>Critical point</h3>\n"
        do {
            let cp = try CriticalPoint.locate(group, window: window, replicates: replicates, seed: options.seed)
            let control = options.controlColumn ?? ["p", "sigma_w"].first { data.table.hasNumbers(in: $0) } ?? "control"
            let e = observable.exponent(at: cp).exponent
            html += "<p><b>\(control)<sub>c</sub> = \(formatEstimate(cp.control, cp.error))</b> from \(cp.bends.count) runs; \(observable.exponent) there = \(formatEstimate(e.value, e.error)).</p>\n"
            let figure = criticalPointFigure(group, [(size.isNaN ? nil : size, cp)], controlName: control, observable: observable,
                                             dimension: dimension)
            let (first, second) = panelWords(figure)
            embed({ figure.svg(idPrefix: $0) }, caption: "\(first): effective exponents across the scan (flat at criticality), with the δ of the universality classes near them (solid); \(second): the curvature of ln y against ln t, which changes sign at the critical point.")
        } catch {
            html += "<p>\(escape("\(error)"))</p>\n"
        }
    }
    // Collapse over sizes.
    if bySize.count >= 2, bySize.values.allSatisfy({ $0.count == 1 }), curves.allSatisfy({ $0.size != nil }) {
        html += "<h3>Finite-size collapse</h3>\n"
        do {
            let series = try DataCollapse.depthSeries(curves, window: window)
            let c = try DataCollapse.fit(series, ansatz: .depth, replicates: min(replicates, 50), seed: options.seed)
            html += "<p>y = n<sup>−a</sup> F(l / n<sup>b</sup>): <b>a = \(formatEstimate(c.parameters[0], c.errors[0])), b = \(formatEstimate(c.parameters[1], c.errors[1]))</b>, quality \(String(format: "%.3g", c.quality)) (about 1 when the curves agree within errors).</p>\n"
            let figure = collapseFigure(series, c, quantity: observable.symbol)
            embed({ figure.svg(idPrefix: $0) }, caption: "The runs as measured and rescaled with the fitted exponents.")
        } catch {
            html += "<p>\(escape("\(error)"))</p>\n"
        }
    }
    // Verdict.
    html += "<h3>Universality verdict</h3>\n"
    var line: String
    do {
        let c = try classify(data, input: options, control: nil, threshold: 3)
        let (verdict, exponents, skipped) = (c.verdict, c.exponents, c.skipped)
        line = verdict.summary
        // A verdict that names no class is shown amber; the typical decay and self-averaging
        // follow it, as classify and the demo print them.
        let css = verdict.outcome == .fits ? "verdict" : "verdict none"
        html += "<div class=\"\(css)\">\(escape(line))</div>\n"
        if let precision = precisionSentence(verdict) { html += "<p class=\"note\">\(escape(precision))</p>\n" }
        if let typical = c.typical { html += "<p class=\"note\">\(escape(typical.sentence))</p>\n" }
        if c.selfAveraging.status != .unknown { html += "<p class=\"note\">\(escape(c.selfAveraging.sentence))</p>\n" }
        if c.typical != nil || c.selfAveraging.status != .unknown, let figure = disorderFigure(c, title: "Typical decay and self-averaging") {
            embed({ figure.svg(idPrefix: $0) }, caption: "(a) the average and typical density of the run nearest the critical point, per lattice size; (b) their running exponents; (c) the spread of ln ρ over realisations (∝ l^1/2 under temporal noise); (d) Var ln ρ at the end of the window against the lattice size (∝ S^−d in a clean class, flat under temporal noise).")
        }
        html += htmlTable(["exponent", "measured", "error for the verdict", "from", "at"], exponents.measurements.map { m in
            [m.observable.exponent, String(format: "%.4g", m.exponent.value), formatError(verdict.exponents[m.observable.exponent]?.error ?? .nan),
             m.observable.rawValue, m.source]
        })
        html += htmlTable(["class", "status", "largest distance (σ)", "in"], verdict.ranking.map { d, status in
            [d.universality.name, status, String(format: "%.1f", d.sigmas), d.exponent]
        })
        for s in skipped { html += "<p class=\"note\">skipped \(escape(s))</p>\n" }
    } catch {
        line = "\(error)"
        html += "<div class=\"verdict none\">\(escape(line))</div>\n"
    }
    return (html, line)
}

/// "Left"/"right" for panels side by side, "Top"/"bottom" for panels stacked.
func panelWords(_ grid: PanelGrid) -> (String, String) {
    grid.columns == 1 ? ("Top", "bottom") : ("Left", "right")
}

/// How a report names an input: relative to the report's folder when it lies inside it (the
/// demo's stores), otherwise as given when relative, otherwise its last two path components.
func displayName(_ path: String, relativeTo folder: String) -> String {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    let base = URL(fileURLWithPath: folder).standardizedFileURL.path
    let prefix = base.hasSuffix("/") ? base : base + "/"
    if absolute.hasPrefix(prefix) { return String(absolute.dropFirst(prefix.count)) }
    if !path.hasPrefix("/") { return path }
    return URL(fileURLWithPath: absolute).pathComponents.suffix(2).joined(separator: "/")
}
