import Campaign
import CriticalityCore
import Foundation
import Propagation
import Scaling

/// The closing part of `criticality demo`: runs through the campaign machinery, the analysis and the
/// verdicts — the MLP, the DP lattice (the calibration), the 1D CNN with shared weights at three
/// lattice sizes and its untied control at two — each with its typical decay and whether its
/// realisations self-average (docs/analysis.md, "Typical decay and self-averaging").
struct DemoVerdicts {
    /// One verdict line of the summary.
    struct Line {
        var name: String
        var store: String
        var text: String
        var json: JSONValue
    }

    static let specifications: [(name: String, title: String, toml: String)] = [
        ("mlp-critical", "MLP, tanh, sigma_b = 0.3, at the mean-field sigma_w,c, n = 4096", """
            name = "demo-mlp-critical"
            model = "mlp"
            activation = "tanh"
            sigma_b = 0.3
            sigma_w = "critical"
            width = 4096
            depth = 512
            samples = 128
            """),
        ("dp-scan", "bond DP 1+1 from a seed, S = 4096, t <= 2000 (the calibration)", """
            name = "demo-dp-scan"
            model = "dp"
            protocol = "spreading"
            p = { from = 0.640, to = 0.650, steps = 5 }
            size = 4096
            depth = 2000
            samples = 4000
            """),
        ("cnn-scan", "1D CNN, shared weights, C = 8, K = 3, tanh, sigma_b = 0.3, S = 64, 128, 256, l <= 1000", """
            name = "demo-cnn-scan"
            model = "cnn"
            protocol = "homogeneous"
            activation = "tanh"
            dim = 1
            channels = 8
            kernel = 3
            sigma_b = 0.3
            sigma_w = { from = 1.55, to = 1.70, steps = 7 }
            size = [64, 128, 256]
            depth = 1000
            samples = 256
            """),
        ("cnn-untied", "its untied control (fresh weights at every site), C = 8, S = 32 and 128, l <= 1000", """
            name = "demo-cnn-untied"
            model = "cnn"
            protocol = "homogeneous"
            activation = "tanh"
            untied = true
            dim = 1
            channels = 8
            kernel = 3
            sigma_b = 0.3
            sigma_w = [1.38, 1.40, 1.42]
            size = [32, 128]
            depth = 1000
            samples = 128
            common_streams = true
            """),
    ]

    /// The CNN runs whose replica Lyapunov exponent is measured at their ρ-critical point: the
    /// largest lattice of the store, its depth, 16 realisations (docs/models.md, "Replica Lyapunov
    /// exponent").
    static func lyapunovConfiguration(_ name: String) -> CNNConfiguration? {
        guard name.hasPrefix("cnn") else { return nil }
        var c = CNNConfiguration(activation: .tanh, sigmaW: 0, sigmaB: 0.3, dim: 1, size: name == "cnn-untied" ? 128 : 256,
                                 channels: 8, kernel: 3, depth: 1000, start: .homogeneous)
        c.untied = name == "cnn-untied"
        return c
    }

    /// λ at `critical` and along σ_w,c − 0.12 … σ_w,c + 0.03, for its zero.
    static func replicaStability(_ config: CNNConfiguration, critical: Double, threads: Int) -> ReplicaStability {
        let offsets = [-0.12, -0.09, -0.06, -0.03, 0, 0.03]
        let values = offsets.map { Double(String(format: "%.4f", critical + $0))! }
        var at = config
        at.sigmaW = critical
        let (lambda, error) = CNNLyapunov.point(at, samples: 16, seed: 1, burnIn: 100, threads: threads)
        let scan = CNNLyapunov.scan(config, sigmaW: values, samples: 16, seed: 1, burnIn: 100, threads: threads)
        return ReplicaStability(control: critical, lambda: lambda, error: error, zero: scan.zero.map { ($0.sigmaW, $0.error) })
    }

    /// The classification of one store or CSV as the demo prints it.
    struct Classified {
        var verdict: Verdict
        var text: String
        var critical: JSONValue
        var precision: String?
        var spread: RealisationSpread?
        /// The typical decay and self-averaging, as classify prints them.
        var typical: TypicalDecay?
        var selfAveraging: SelfAveraging
        var json: JSONValue
        /// The first exponent measured (`delta = 0.253 ± 0.013`) and the critical point, for a claim.
        var measured: String
    }

    /// Classifies `path` (a store or an exported CSV) as `classify` does; `isDP` names the control
    /// p instead of σ_w.
    static func classified(_ path: String, isDP: Bool) throws -> Classified {
        let data = try AnalysisData.load([path])
        let options = try AnalysisInputOptions.parse([path])
        let c = try classify(data, input: options, control: nil, threshold: 3)
        let verdict = c.verdict, exponents = c.exponents
        // The measurements as the terminal writes them (`delta`, `sigma_w,c`) and as a claim does (`δ`, `σ_w,c`).
        var parts: [String] = [], symbolic: [String] = []
        var critical: JSONValue = .null
        for m in exponents.measurements {
            let e = verdict.exponents[m.observable.exponent]?.error ?? m.exponent.error
            parts.append("\(m.observable.exponent) = \(formatEstimate(m.exponent.value, e))")
            symbolic.append("\(exponentSymbol(m.observable.exponent)) = \(formatEstimate(m.exponent.value, e))")
            if critical == .null, let cp = m.criticalPoint {
                parts.insert("\(isDP ? "p_c" : "sigma_w,c") = \(formatEstimate(cp.control, cp.error))", at: 0)
                symbolic.insert("\(isDP ? "p_c" : "σ_w,c") = \(formatEstimate(cp.control, cp.error))", at: 0)
                critical = .object(["value": .number(cp.control), "error": .number(cp.error)])
            }
        }
        let spread = realisationSpread(data, exponents, control: nil)
        let text = "\(parts.joined(separator: ", ")) -> \(verdict.summary)"
        return Classified(verdict: verdict, text: text, critical: critical, precision: precisionSentence(verdict), spread: spread,
                          typical: c.typical, selfAveraging: c.selfAveraging, json: verdictJSON(c, spread: spread),
                          measured: symbolic.joined(separator: ", "))
    }

    /// Runs (or resumes) the three stores under `folder` and classifies each; returns the lines,
    /// the classifications by name and the stores' paths (for the report).
    static func run(folder: String, threads: Int, note: (String) -> Void) throws -> (lines: [Line], classified: [String: Classified], stores: [String]) {
        var lines: [Line] = []
        var inputs: [String] = []
        var results: [String: Classified] = [:]
        for s in specifications {
            let spec = try ModelRegistry.specification(text: s.toml)
            let store = ModelRegistry.store((folder as NSString).appendingPathComponent("stores/\(s.name)"))
            try store.prepare(for: spec, tool: "criticality", version: Criticality.version)
            try runSweep(spec, tasks: spec.tasks, campaign: store, threads: threads, quiet: true, summary: false,
                         progressLabel: "  \(s.name)")
            inputs.append(store.path)
            let c = try classified(store.path, isDP: s.name.hasPrefix("dp"))
            results[s.name] = c
            note("  \(s.title):")
            note("    \(c.text)")
            // The precision a verdict rests on, and how far the realisations drift apart (lattice
            // runs with a homogeneous start: here the CNN).
            if let precision = c.precision { note("    \(precision)") }
            if let typical = c.typical { note("    \(typical.sentence)") }
            if c.selfAveraging.status != .unknown { note("    \(c.selfAveraging.sentence)") }
            var stability: JSONValue = .null
            if let config = lyapunovConfiguration(s.name), case .object(let fields) = c.critical,
               let value = fields.first(where: { $0.key == "value" }), case .number(let critical) = value.value {
                let r = replicaStability(config, critical: critical, threads: threads)
                note("    \(r.sentence()) (S = \(config.size), 16 realisations)")
                stability = .object(["sigma_w": .number(r.control), "lambda": .number(r.lambda), "lambda_err": .number(r.error),
                                     "kind": .string(r.kind.rawValue), "zero": r.zero.map { .number($0.control) } ?? .null,
                                     "zero_err": r.zero.map { .number($0.error) } ?? .null, "size": .integer(config.size)])
            }
            lines.append(Line(name: s.name, store: store.path, text: c.text, json: .object([
                "name": .string(s.name), "store": .string(store.path), "critical_point": c.critical, "verdict": c.json,
                "replica_lyapunov": stability])))
        }
        return (lines, results, inputs)
    }

    /// The finite-width collapse of the MLP runs in `finiteWidthCSV` (a and b should both be 1).
    static func finiteWidthCollapse(_ finiteWidthCSV: String, note: (String) -> Void) throws -> (line: Line, collapse: DataCollapse) {
        let table = try TidyTable(contentsOf: finiteWidthCSV)
        let curves = try CurveSelection(value: "rho", size: "width").curves(from: table)
        let collapse = try DataCollapse.fit(try DataCollapse.depthSeries(curves), ansatz: .depth, replicates: 50)
        let text = "a = \(formatEstimate(collapse.parameters[0], collapse.errors[0])), b = \(formatEstimate(collapse.parameters[1], collapse.errors[1])) (collapse quality \(String(format: "%.2f", collapse.quality)), about 1 when the rescaled curves agree within their errors; mean field: a = b = 1)"
        note("  Finite-width collapse rho(l; n) = n^-a F(l / n^b) of finite_width.csv:")
        note("    \(text)")
        let line = Line(name: "finite-width-collapse", store: finiteWidthCSV, text: text, json: .object([
            "name": .string("finite-width-collapse"), "a": .number(collapse.parameters[0]), "a_err": .number(collapse.errors[0]),
            "b": .number(collapse.parameters[1]), "b_err": .number(collapse.errors[1]), "quality": .number(collapse.quality)]))
        return (line, collapse)
    }
}
