import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Plotting

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

    @Flag(inversion: .prefixedNo, help: "Run the universality verdicts and the report (about half a minute).")
    var verdicts = true

    @Option(parsing: .unconditional, help: "Seed of the finite-width runs.")
    var seed: UInt64 = 1

    @Flag(inversion: .prefixedNo, help: "Train infinitely wide networks on the digits against depth (the kappa L measurement; about half a minute).")
    var training = true

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

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let folder = URL(fileURLWithPath: output)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let activations: [Activation] = [.tanh, .erf, .sin]
        note("criticality demo → \(output)/")

        // 1. Phase boundaries.
        let lines = try criticalLines(activations: activations, sigmaB: ParameterGrid(from: 0, to: 1, steps: 41).values,
                                      threads: threads.threads)
        try writeAtomically(criticalTable(lines.flatMap(\.points)).csv(), to: path("boundary.csv"))
        try writeFigure(boundaryFigure(lines).svg(), to: path("boundary.svg"))
        note("  boundary.csv, boundary.svg       critical lines of \(activations.map(\.rawValue).joined(separator: ", "))")

        // 2. Critical trajectories and their collapse.
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
        note("  trajectories.csv/.svg, collapse.svg   rho(l) at criticality, sigma_b = \(sigmaB), l <= \(depth)")

        // 3. Phase diagram of tanh.
        let diagram = try PhaseDiagram(activation: .tanh, sigmaW: ParameterGrid(from: 0.5, to: 3, steps: 41).values,
                                       sigmaB: ParameterGrid(from: 0, to: 1, steps: 21).values, threads: threads.threads)
        try writeAtomically(diagram.table.csv(), to: path("phase_tanh.csv"))
        try writeFigure(phaseFigure(diagram, quantity: .rhoStar, threads: threads.threads).svg(), to: path("phase_tanh.svg"))
        note("  phase_tanh.csv, phase_tanh.svg   tanh phase diagram (rho*) with the critical line")

        // 4. Finite-width scaling at criticality.
        let collapse = try FiniteWidthCollapse(widths: widthList.sorted(), depthPerWidth: 4, samples: samples, sigmaB: sigmaB,
                                               seed: seed, threads: threads.threads)
        try writeAtomically(collapse.table.csv(), to: path("finite_width.csv"))
        try writeFigure(collapse.figure.svg(), to: path("finite_width.svg"))
        note("  finite_width.csv, finite_width.svg   n rho(l; n) against l/n, n = \(widths), \(samples) realisations each")

        // Summary.
        var rows: [JSONValue] = []
        note("")
        note("Critical points at sigma_b = \(sigmaB) and the decay rho(l) ~ 1/(kappa l):")
        note("  activation   sigma_w,c     q*           kappa        kappa*l*rho at l = \(depth)")
        for run in runs {
            let p = run.point
            let last = p.kappa * Double(depth) * run.trajectory.rho[depth - 1]
            let name = p.activation.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            note("  \(name)   " + String(format: "%-11.8f   %-10.6f   %-10.6f   %.5f", p.sigmaW, p.qStar, p.kappa, last))
            rows.append(.object(["activation": .string(p.activation.rawValue), "sigma_b": .number(p.sigmaB),
                                 "sigma_w_c": .number(p.sigmaW), "q_star": .number(p.qStar), "kappa": .number(p.kappa),
                                 "kappa_l_rho_at_depth": .number(last), "depth": .integer(depth)]))
        }
        note("The curves kappa*l*rho(l) collapse onto 1 (collapse.svg): depth in units of 1/kappa is universal.")
        note("")
        let largest = collapse.runs.last!.configuration.width
        note("Finite-width collapse n rho(l; n) = f(l/n) (tanh, sigma_w,c), judged against n = \(largest) at l/n in")
        note("  {\(FiniteWidthCollapse.checkpoints.map { formatNumber($0) }.joined(separator: ", "))} (l >= \(FiniteWidthCollapse.minimumLayer)): z = difference / combined error")
        var collapseRows: [JSONValue] = []
        for c in collapse.comparison {
            note(String(format: "  n = %-5d chi2/dof = %.2f   max |z| = %.2f", c.width, c.chi2PerDof, c.maxAbsZ))
            collapseRows.append(.object(["width": .integer(c.width), "reference_width": .integer(largest),
                                         "chi2_per_dof": .number(c.chi2PerDof), "max_abs_z": .number(c.maxAbsZ)]))
        }
        var trainingJSON: JSONValue = .null
        var extraInputs: [String] = []
        if training {
            note("")
            if FileManager.default.fileExists(atPath: data) {
                note("Training at the edge of chaos (infinite width, \(DemoTraining.name) in \(output)/stores; kappa_depth.svg):")
                let absolute = URL(fileURLWithPath: data).standardizedFileURL.path
                let result = try DemoTraining.run(folder: output, data: absolute, threads: threads.threads, note: note)
                trainingJSON = result.json
                extraInputs.append(result.store)
            } else {
                note("Training skipped: \(data) not found (run the demo from the package folder, or give --data FILE).")
            }
        }
        var verdictLines: [DemoVerdicts.Line] = []
        if verdicts {
            note("")
            note("Universality verdicts (campaign stores in \(output)/stores; exponents with bootstrap errors, window drift and 3% for corrections to scaling):")
            verdictLines = try DemoVerdicts.run(folder: output, finiteWidthCSV: path("finite_width.csv"), extraInputs: extraInputs,
                                                threads: threads.threads, note: note)
            note("  report.html   the analyses, figures and verdicts on one page")
        }
        let seconds = (clock.now - start) / .seconds(1)
        note(String(format: "Done in %.1f s on %d threads.", seconds, threads.threads))
        let summary = JSONValue.object([
            "tool_version": .string(Criticality.version), "threads": .integer(threads.threads),
            "seconds": .number(seconds), "critical_points": .array(rows),
            "finite_width_collapse": .object(["checkpoints_l_over_n": .array(FiniteWidthCollapse.checkpoints.map { .number($0) }),
                                              "samples": .integer(samples), "comparison": .array(collapseRows)]),
            "verdicts": .array(verdictLines.map(\.json)), "training": trainingJSON,
        ])
        try writeAtomically(summary.rendered() + "\n", to: path("summary.json"))
    }

    private func note(_ line: String) { print(line) }
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
