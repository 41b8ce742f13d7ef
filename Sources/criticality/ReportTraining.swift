import CriticalityCore
import Foundation
import Plotting
import Scaling

/// The report section of a table of `train ntk` or an `ntk` store: the κL measurement
/// (docs/kernels.md, "The κL measurement"), at the largest `--steps` the data hold (where networks
/// off the line reach chance) or else at t = ∞, for the NTK.
func trainingReportSection(_ input: String, data: AnalysisData, index: Int, reportFolder: String) throws -> (String, String) {
    let table = data.table
    let stepsColumn = table.index(of: "steps")
    let steps = stepsColumn.flatMap { k in table.rows.compactMap { TidyTable.number($0[k]) }.max() }
    let curves = try trainingCurves(table, kernel: "ntk", time: steps == nil ? "inf" : nil, steps: steps)
    let critical = curves.filter(\.onLine)
    let collapse = try collapseMeasures(critical)
    var html = "<h2 title=\"\(escape(input))\">\(escape(displayName(input, relativeTo: reportFolder)))</h2>\n"
    let when = steps.map { "after \(formatNumber($0)) gradient-descent steps at the rate N/λ<sub>max</sub>" } ?? "at t = ∞ (kernel regression)"
    html += "<p>\(curves.count) infinitely wide networks trained with the NTK, \(when); \(critical.count) on the critical line.</p>\n"
    let line = trainingSummary(critical, collapse: collapse)
    html += "<div class=\"\(critical.count >= 2 ? "verdict" : "verdict none")\">\(escape(line))</div>\n"
    if critical.count >= 2 {
        html += htmlTable(["variable", "rms spread of test MSE", "quality", "comparisons", "relative to L"], collapse.map { c in
            [c.variable, String(format: "%.3g", c.spread.rms), String(format: "%.3g", c.spread.quality), "\(c.spread.comparisons)",
             String(format: "%.2f", c.spread.rms / collapse[0].spread.rms)]
        })
        html += "<p class=\"note\">Each critical curve is compared at every point with the others, interpolated at the same abscissa. "
            + "Spread: the rms of those differences; quality: their mean square over the sum of the two variances (about 1 when "
            + "the curves agree within their errors). κ: the metric factor; ρ¹: the data's mean distance after the first layer; "
            + "ρ<sub>L</sub>: the mean-field distance after L layers.</p>\n"
    }
    html += htmlTable(["network", "σ_w/σ_w,c", "κ", "ξ_c", "best L", "best κL", "window (L)", "best test MSE", "L where it doubled"],
                      curves.compactMap { c in
        guard let b = c.curve.bestIndex, let w = c.curve.window() else { return nil }
        let best = c.curve.depth[b]
        return [c.label, String(format: "%.3g", c.sigmaWScale), String(format: "%.4g", c.kappa), c.xi.map { String(format: "%.3g", $0) } ?? "",
                formatNumber(best), String(format: "%.3g", c.kappa * best), "\(formatNumber(w.lowerBound))–\(formatNumber(w.upperBound))",
                formatEstimate(c.curve.value[b], c.curve.error[b]), c.curve.depthWhereErrorReaches(factor: 2).map { String(format: "%.3g", $0) } ?? "–"]
    })
    let figure = kappaDepthFigure(curves, collapse: collapse)
    html += "<figure>\(figure.svg(idPrefix: "r\(index)t-"))<figcaption class=\"note\">Top left: test MSE against depth, on the critical line (markers, with standard errors over the test points) and 5% off it (dashed). Top right: the critical networks against κL. Bottom: against ρ¹/ρ_L, the factor by which the network has shrunk the data's mean distance since its first layer (mean field).</figcaption></figure>\n"
    return (html, line)
}

/// One line: how much κL, κρ¹L and ρ¹/ρ_L reduce the spread of the critical curves against L, and the
/// best κL over them.
func trainingSummary(_ critical: [TrainingCurve], collapse: [(variable: String, spread: CollapseSpread, x: [[Double]])]) -> String {
    guard critical.count >= 2, let atL = collapse.first?.spread.rms, atL > 0 else {
        return "fewer than two networks on the critical line: no collapse to measure"
    }
    let parts = collapse.dropFirst().map { c in String(format: "%@: %.2f", c.variable, c.spread.rms / atL) }
    let best = critical.compactMap { c in c.curve.bestIndex.map { c.kappa * c.curve.depth[$0] } }.sorted()
    let median = best.isEmpty ? Double.nan : best[best.count / 2]
    return String(format: "spread of the critical test-error curves relative to their spread at equal L: %@; best κL %.3g (median over %d networks, range %.3g to %.3g)",
                  parts.joined(separator: ", "), median, best.count, best.first ?? .nan, best.last ?? .nan)
}
