import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting
import Scaling

/// `criticality demo`: the main job on defaults, written into a folder.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole job: mean-field figures, finite-width scaling, universality verdicts (MLP, DP, CNN) and an HTML report.",
        discussion: """
            Writes CSV, JSON and SVG files into the output folder and prints a summary:
              boundary.csv/.svg        critical lines sigma_w,c(sigma_b) of tanh, erf and sin
              trajectories.csv/.svg    mean-field rho(l) at criticality (sigma_b = 0.3) with 1/(kappa l)
              collapse.svg             kappa l rho(l) against l: the three activations collapse onto 1
              phase_tanh.csv/.svg      tanh phase diagram (rho*) with the critical line
              finite_width.csv/.svg    finite-width MLPs at criticality: rho(l; n) and the collapse n rho vs l/n
              kappa_depth.csv/.svg     infinitely wide networks trained on the digits: test error against L and kappa L
              stores/                  campaign stores of the training and verdict runs (NTK, MLP, DP 1+1 scan, 1D CNN scan)
              report.html              the analysis and verdicts of those runs, one page with inline figures
              summary.json             the numbers printed below
            """
    )

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output folder.")
    var output = "criticality-demo"

    @Option(parsing: .unconditional, help: "Depth of the critical trajectories.")
    var depth: Int = 10_000

    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "sigma_b of the critical trajectories.")
    var sigmaB: Double = 0.3

    @Option(name: .customLong("widths"), help: "Widths of the finite-width collapse (comma-separated).")
    var widths = "128,256,512,1024"

    @Option(parsing: .unconditional, help: "Realisations per width of the finite-width collapse.")
    var samples: Int = 256

    @Flag(inversion: .prefixedNo, help: "Run the universality verdicts of the demo's own small runs and the report.")
    var verdicts = true

    @Option(parsing: .unconditional, help: "Seed of the finite-width runs.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("training"), inversion: .prefixedNo, help: "Train infinitely wide networks on the digits against depth (the kappa L measurement).")
    var training_ = true

    @Option(help: ArgumentHelp("The labelled data of the training part (the shipped digits).", valueName: "FILE"))
    var data = "data/digits.csv.gz"

    @OptionGroup var threads: ThreadOption

    var widthList: [Int] { widths.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard depth >= 10 else { throw ValidationError("--depth must be at least 10, got \(depth)") }
        try validateParameter("--sigma-b", sigmaB)
        let list = widthList
        guard list.count == widths.split(separator: ",").count, !list.isEmpty, list.allSatisfy({ $0 >= 2 }) else {
            throw ValidationError("--widths expects comma-separated widths >= 2, got '\(widths)'")
        }
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2, got \(samples)") }
    }

    @Option(help: ArgumentHelp("The precision campaign the CNN claim rests on (the shipped store of examples/cnn-c8-scan.toml, a tar.gz).", valueName: "FILE"))
    var evidence = DemoClaims.cnnEvidence

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let folder = URL(fileURLWithPath: output)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let activations: [Activation] = [.tanh, .erf, .sin]
        let log = DemoLog()
        let parts = DemoParts(total: 9)
        noteOnStderr("criticality demo → \(output)/ (progress on stderr, the summary on stdout at the end)")

        // 1. Phase boundaries.
        parts.run("critical lines of \(activations.map(\.rawValue).joined(separator: ", ")) (boundary.csv, .svg)") {
            let lines = try criticalLines(activations: activations, sigmaB: ParameterGrid(from: 0, to: 1, steps: 41).values,
                                          threads: threads.threads)
            try writeAtomically(criticalTable(lines.flatMap(\.points)).csv(), to: path("boundary.csv"))
            try writeFigure(boundaryFigure(lines).svg(), to: path("boundary.svg"))
        }

        // 2. Critical trajectories and their collapse.
        let runs = parts.run("critical trajectories to l = \(depth) (trajectories.csv, .svg, collapse.svg)") { () throws -> [TrajectoryRun] in
            let runs = try parallelMap(activations.count, threads: threads.threads) { i in
                Result { () throws -> TrajectoryRun in
                    let w = try CriticalLine.sigmaWCritical(activation: activations[i], sigmaB: sigmaB)
                    return try TrajectoryRun(activation: activations[i], sigmaW: w, sigmaB: sigmaB, depth: depth)
                }
            }.map { try $0.get() }
            var trajectories = Table(columns: TrajectoryRun.columns)
            for run in runs { trajectories.append(contentsOf: run.table) }
            try writeAtomically(trajectories.csv(), to: path("trajectories.csv"))
            try writeFigure(trajectoryFigure(runs).svg(), to: path("trajectories.svg"))
            try writeFigure(collapseFigure(runs).svg(), to: path("collapse.svg"))
            return runs
        }

        // 3. Phase diagram of tanh.
        parts.run("tanh phase diagram (phase_tanh.csv, .svg)") {
            let diagram = try PhaseDiagram(activation: .tanh, sigmaW: ParameterGrid(from: 0.5, to: 3, steps: 41).values,
                                           sigmaB: ParameterGrid(from: 0, to: 1, steps: 21).values, threads: threads.threads)
            try writeAtomically(diagram.table.csv(), to: path("phase_tanh.csv"))
            try writeFigure(phaseFigure(diagram, quantity: .rhoStar, threads: threads.threads).svg(), to: path("phase_tanh.svg"))
        }

        // 4. Finite-width scaling at criticality.
        let collapse = parts.run("finite-width MLPs at criticality, n = \(widths), \(samples) realisations each (finite_width.csv, .svg)") {
            let collapse = try FiniteWidthCollapse(widths: widthList.sorted(), depthPerWidth: 4, samples: samples, sigmaB: sigmaB,
                                                   seed: seed, threads: threads.threads, progress: { noteOnStderr("  \($0)") })
            try writeAtomically(collapse.table.csv(), to: path("finite_width.csv"))
            try writeFigure(collapse.figure.svg(), to: path("finite_width.svg"))
            return collapse
        }
        let widthCollapse = collapse == nil ? nil : parts.run("finite-width collapse fit") {
            try DemoVerdicts.finiteWidthCollapse(path("finite_width.csv"), note: log.note)
        }
        if collapse == nil { parts.skip("finite-width collapse fit", reason: "the finite-width runs failed") }

        // 5. Training at the edge of chaos.
        var training: (text: String, json: JSONValue, store: String, claim: PaperClaim)?
        let trainingLog = DemoLog()
        if !training_ {
            parts.skip("training (the κL measurement)", reason: "--no-training")
        } else if !FileManager.default.fileExists(atPath: data) {
            parts.skip("training (the κL measurement)", reason: "\(data) not found: run the demo from the package folder, or give --data FILE")
        } else {
            let absolute = URL(fileURLWithPath: data).standardizedFileURL.path
            training = parts.run("training: 18 infinitely wide networks on 200 digits, depths to 10⁴ (kappa_depth.csv, .svg)") {
                try DemoTraining.run(folder: output, data: absolute, threads: threads.threads, note: trainingLog.note)
            }
        }

        // 6. Verdicts of the demo's own small runs, and the report.
        var verdictRuns: (lines: [DemoVerdicts.Line], classified: [String: DemoVerdicts.Classified], stores: [String])?
        let verdictLog = DemoLog()
        if verdicts {
            verdictRuns = parts.run("verdict runs: MLP, DP 1+1 calibration, 1D CNN (stores/)") {
                try DemoVerdicts.run(folder: output, threads: threads.threads, note: verdictLog.note)
            }
        } else {
            parts.skip("verdict runs", reason: "--no-verdicts")
        }

        // 7. The CNN claim from the shipped precision campaign, then the claims and the report.
        var evidenceStore: String?
        // nil when the part failed or the file is missing.
        let cnnEvidence: DemoVerdicts.Classified? = parts.run("the CNN precision campaign (\(evidence))") { () throws -> DemoVerdicts.Classified? in
            guard FileManager.default.fileExists(atPath: evidence) else { return nil }
            let store = try DemoClaims.unpackEvidence(evidence, into: output)
            evidenceStore = store
            return try DemoVerdicts.classified(store, isDP: false)
        } ?? nil
        let claims = DemoClaims.claims(runs: runs, depth: depth, mlp: verdictRuns?.classified["mlp-critical"],
                                       cnn: cnnEvidence, cnnEvidencePath: evidence, widthCollapse: widthCollapse?.collapse,
                                       training: training?.claim)
        if !verdicts || verdictRuns == nil {
            parts.skip("report.html", reason: verdicts ? "the verdict runs failed" : "--no-verdicts")
        }
        if verdicts, let verdictRuns {
            let inputs = verdictRuns.stores + (evidenceStore.map { [$0] } ?? []) + (collapse == nil ? [] : [path("finite_width.csv")])
                + (training.map { [$0.store] } ?? [])
            parts.run("report.html") {
                try ReportCommand.render(try AnalysisInputOptions.parse(inputs), output: path("report.html"),
                                         title: "Criticality demo: the paper's claims and the verdicts", preamble: DemoClaims.html(claims),
                                         progress: { noteOnStderr("  \($0)") })
            }
        }

        // The summary: the claims first, then the figures behind them.
        let seconds = (clock.now - start) / .seconds(1)
        print("criticality demo: results in \(output)/")
        print("")
        for line in DemoClaims.table(claims) { print(line) }
        if let runs {
            print("")
            print("Critical points at sigma_b = \(sigmaB) and the decay rho(l) ~ 1/(kappa l) (collapse.svg):")
            print("  activation   sigma_w,c     q*           kappa        kappa*l*rho at l = \(depth)")
            for run in runs {
                let p = run.point
                let last = run.kappaLRho(at: depth)
                let name = p.activation.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                print("  \(name)   " + String(format: "%-11.8f   %-10.6f   %-10.6f   %.5f", p.sigmaW, p.qStar, p.kappa, last))
            }
        }
        var collapseRows: [JSONValue] = []
        if let collapse {
            print("")
            let largest = collapse.runs.last!.configuration.width
            print("Finite-width MLPs n rho(l; n) against l/n (tanh at sigma_w,c; finite_width.svg), each width against n = \(largest)")
            print("  at l/n in {\(FiniteWidthCollapse.checkpoints.map { formatNumber($0) }.joined(separator: ", "))} (l >= \(FiniteWidthCollapse.minimumLayer)); z = difference / combined standard error:")
            for c in collapse.comparison {
                print(String(format: "  n = %-5d chi2/dof = %.2f   max |z| = %.2f", c.width, c.chi2PerDof, c.maxAbsZ))
                collapseRows.append(.object(["width": .integer(c.width), "reference_width": .integer(largest),
                                             "chi2_per_dof": .number(c.chi2PerDof), "max_abs_z": .number(c.maxAbsZ)]))
            }
            for line in log.lines { print(line) }
        }
        if training != nil {
            print("")
            print("Training at the edge of chaos (infinite width, stores/\(DemoTraining.name); kappa_depth.svg):")
            for line in trainingLog.lines { print(line) }
            print("  (spread: rms difference of the curves at equal abscissa; rho^1: the data's mean distance after the first")
            print("  layer; rho_L: the mean-field distance after L layers; xi_c: the correlation depth off the line)")
        }
        if verdictRuns != nil {
            print("")
            print("The demo's own verdict runs (stores/). Exponent errors: bootstrap over realisations, plus the window drift (half the")
            print("difference of fits on the two halves of the window) and 3% for corrections to scaling.")
            print("These runs are small: the CNN precision campaign below measures delta better. The lattice sizes here test whether")
            print("the realisations self-average (Var ln rho falling as S^-d with the lattice), which a clean class such as DP needs.")
            for line in verdictLog.lines { print(line) }
            print("  report.html   the claims, analyses, figures and verdicts on one page")
        }
        if let c = cnnEvidence {
            print("")
            print("The CNN precision campaign (\(DemoClaims.cnnEvidenceDescription)):")
            print("  \(c.text)")
            if let p = c.precision { print("  \(p)") }
            if let t = c.typical { print("  \(t.sentence)") }
            if c.selfAveraging.status != .unknown { print("  \(c.selfAveraging.sentence)") }
        }
        for f in parts.failures { print("FAILED: \(f.part): \(f.message)") }
        print(String(format: "Done in %.1f s on %d threads.", seconds, threads.threads))
        let criticalRows: [JSONValue] = (runs ?? []).map { run in
            let p = run.point
            let last = run.kappaLRho(at: depth)
            return .object(["activation": .string(p.activation.rawValue), "sigma_b": .number(p.sigmaB),
                            "sigma_w_c": .number(p.sigmaW), "q_star": .number(p.qStar), "kappa": .number(p.kappa),
                            "kappa_l_rho_at_depth": .number(last), "depth": .integer(depth)])
        }
        let verdictLines: [DemoVerdicts.Line] = (verdictRuns?.lines ?? []) + (widthCollapse.map { [$0.line] } ?? [])
        var precision: JSONValue = .null
        if let c = cnnEvidence {
            precision = .object(["file": .string(evidence), "verdict": c.json, "critical_point": c.critical])
        }
        let timings: [JSONValue] = parts.timings.map { .object(["part": .string($0.part), "seconds": .number($0.seconds)]) }
        let failed: [JSONValue] = parts.failures.map { .object(["part": .string($0.part), "error": .string($0.message)]) }
        let finiteWidth: JSONValue = .object([
            "checkpoints_l_over_n": .array(FiniteWidthCollapse.checkpoints.map { .number($0) }),
            "samples": .integer(samples), "comparison": .array(collapseRows)])
        let summary = JSONValue.object([
            "tool_version": .string(Criticality.version), "threads": .integer(threads.threads),
            "seconds": .number(seconds), "claims": .array(claims.map(DemoClaims.json)),
            "critical_points": .array(criticalRows), "finite_width_collapse": finiteWidth,
            "verdicts": .array(verdictLines.map(\.json)), "cnn_precision_campaign": precision,
            "training": training?.json ?? .null, "parts": .array(timings), "failed_parts": .array(failed),
        ])
        try writeAtomically(summary.rendered() + "\n", to: path("summary.json"))
        if !parts.failures.isEmpty { throw DemoIncomplete(failures: parts.failures, folder: output) }
    }
}

/// Lines collected for the demo's summary.
final class DemoLog {
    private(set) var lines: [String] = []
    func note(_ line: String) { lines.append(line) }
}

/// κ l ρ(l) against l: the collapse of the critical trajectories onto 1.
func collapseFigure(_ runs: [TrajectoryRun]) -> Figure {
    var series = runs.enumerated().map { k, run in
        Series(name: "\(run.point.activation.rawValue) (κ = \(String(format: "%.4g", run.point.kappa)))",
               x: run.trajectory.depths.map(Double.init),
               y: zip(run.trajectory.depths, run.trajectory.rho).map { run.point.kappa * Double($0) * $1 },
               color: Color.palette[k % Color.palette.count])
    }
    let depth = Double(runs.map(\.trajectory.depths.count).max() ?? 1)
    series.append(Series(name: "1", x: [1, depth], y: [1, 1], color: Color(r: 80, g: 80, b: 80), dashed: true, lineWidth: 1.5))
    return Figure(title: "Metric-factor collapse at criticality: κ l ρ(l) → 1",
                  xAxis: Axis(label: "layer l", scale: .log), yAxis: Axis(label: "κ l ρ(l)"),
                  series: series, legendPosition: .bottomRight)
}
