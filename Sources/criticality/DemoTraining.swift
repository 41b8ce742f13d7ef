import CriticalityCore
import Foundation
import Scaling

/// The training part of `criticality demo`: a small κL measurement (docs/kernels.md, "The κL
/// measurement") through the campaign machinery: infinitely wide tanh, erf and sin networks on the
/// shipped digits, on the critical line and 5% to either side, trained by gradient descent.
struct DemoTraining {
    static let name = "ntk-kappa-depth"
    static func specification(data: String) -> String {
        """
        name = "demo-ntk-kappa-depth"
        model = "ntk"
        activation = ["tanh", "erf", "sin"]
        sigma_w = "critical"
        sigma_w_scale = [0.95, 1.0, 1.05]
        sigma_b = [0.1, 0.5]
        depth = 10000
        train = 200
        test = 200
        seed = 1
        kernel = "ntk"
        steps = "100000"
        input = "\(data)"
        """
    }

    /// Runs (or resumes) the store, writes `kappa_depth.csv` and `kappa_depth.svg`, and returns the
    /// summary line, its JSON and the store's path (for the report).
    static func run(folder: String, data: String, threads: Int, note: (String) -> Void) throws -> (text: String, json: JSONValue, store: String, claim: PaperClaim) {
        let spec = try ModelRegistry.specification(text: specification(data: data))
        let store = ModelRegistry.store((folder as NSString).appendingPathComponent("stores/\(name)"))
        try store.prepare(for: spec, tool: "criticality", version: Criticality.version)
        try runSweep(spec, tasks: spec.tasks, campaign: store, threads: threads, quiet: true, summary: false,
                     progressLabel: "  training")
        let table = try AnalysisData.load([store.path]).table
        let curves = try trainingCurves(table, kernel: "ntk", time: nil, steps: 100_000)
        let critical = curves.filter(\.onLine)
        let collapse = try collapseMeasures(critical)
        try writeAtomically(curveTable(curves).csv(), to: (folder as NSString).appendingPathComponent("kappa_depth.csv"))
        try writeFigure(kappaDepthFigure(curves, collapse: collapse).svg(), to: (folder as NSString).appendingPathComponent("kappa_depth.svg"))
        let text = trainingSummary(critical, collapse: collapse)
        // Off the line: the depth where the test error has doubled, in units of ξ_c.
        let ratios = curves.compactMap { c -> Double? in
            guard let xi = c.xi, let d = c.curve.depthWhereErrorReaches(factor: 2) else { return nil }
            return d / xi
        }.sorted()
        let offLine = ratios.isEmpty ? "" : String(format: "off the line the test error doubles at L = %.2g to %.2g ξ_c", ratios.first!, ratios.last!)
        note("  \(text)")
        if !offLine.isEmpty { note("  \(offLine)") }
        let json = JSONValue.object([
            "store": .string(store.path), "summary": .string(text),
            "collapse": collapseJSON(collapse, curves: critical.count),
            "doubling_depth_over_xi_c": .array(ratios.map { .number($0) }),
        ])
        return (text, json, store.path, claim(critical, collapse: collapse, doublingOverXi: ratios))
    }

    /// The κL-window claim from the critical curves (``PaperClaim/kappaDepthWindow(spreadRatio:bestKappaDepth:interior:collapseThreshold:source:)``).
    static func claim(_ critical: [TrainingCurve], collapse: [(variable: String, spread: CollapseSpread, x: [[Double]])],
                      doublingOverXi: [Double]) -> PaperClaim {
        let atL = collapse.first { $0.variable == "L" }?.spread.rms ?? .nan
        let atKappaL = collapse.first { $0.variable == "κL" }?.spread.rms ?? .nan
        let best = critical.compactMap { c in c.curve.bestIndex.map { (c.kappa * c.curve.depth[$0], $0 > 0 && $0 < c.curve.depth.count - 1) } }
        return PaperClaim.kappaDepthWindow(spreadRatio: atKappaL / atL, bestKappaDepth: best.map(\.0), interior: best.map(\.1),
                                           doublingOverXi: doublingOverXi,
                                           source: "stores/\(name) (this run: \(critical.count) critical networks on 200 digits)")
    }
}
