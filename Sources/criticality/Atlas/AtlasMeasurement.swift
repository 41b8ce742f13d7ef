import CriticalityCore
import Foundation
import MeanField
import Propagation
import Scaling

/// The measured row of the atlas: its cells by column (``AtlasTable/columns``).
struct AtlasEntry: Sendable {
    var row: AtlasRow
    var cells: [String: Table.Cell]

    func number(_ column: String) -> Double? {
        if case .number(let x)? = cells[column] { return x.isFinite ? x : nil }
        if case .integer(let n)? = cells[column] { return Double(n) }
        return nil
    }

    func text(_ column: String) -> String? {
        if case .text(let s)? = cells[column] { return s.isEmpty ? nil : s }
        return nil
    }
}

/// Measures one row: the critical point by `find-critical`'s search, the verdict and its
/// diagnostics by `classify` on the search's stores, ν∥ by the off-critical collapse in depth,
/// the replica Lyapunov exponent λ at σ_w,c, θ and z from a spreading run at the critical point
/// (docs/atlas.md, "What a row measures").
enum AtlasMeasurement {
    static func measure(_ row: AtlasRow, folder: String, threads: Int, quiet: Bool) throws -> AtlasEntry {
        let clock = ContinuousClock(), start = clock.now
        var entry = AtlasEntry(row: row, cells: descriptionCells(row))
        var notes: [String] = []
        func finish() -> AtlasEntry {
            entry.cells["seconds"] = .number(((clock.now - start) / .seconds(1) * 10).rounded() / 10)
            entry.cells["note"] = notes.isEmpty ? .missing : .text(notes.joined(separator: "; "))
            return entry
        }
        let search: CriticalSearch
        switch row.search() {
        case .success(let s): search = s
        case .failure(let error):
            entry.cells["outcome"] = .text("no-transition")
            entry.cells["verdict"] = .text("no absorbing transition in sigma_w")
            notes.append("mean field: \(error)")
            return finish()
        }
        let stores = (folder as NSString).appendingPathComponent(row.id)
        try claimStores(stores, row: row)
        let result: SearchResult
        do {
            result = try searchCriticalPoint(search, settings: SearchSettings(steps: row.steps, rounds: row.rounds, folder: stores,
                                                                              quiet: quiet, threads: threads))
        } catch let error as ScalingError {
            entry.cells["outcome"] = .text("no-critical-point")
            entry.cells["verdict"] = .text("no critical point found")
            notes.append("\(error)")
            return finish()
        }
        let cp = result.estimate
        entry.cells["critical"] = .number(cp.control)
        entry.cells["critical_err"] = .number(cp.error)
        if let spread = RealisationSpread.measure(result.spreads, near: cp.control, upTo: cp.window.upperBound) {
            entry.cells["log_rho_sd"] = .number(spread.sd)
        }

        // The verdict and its diagnostics, as `classify STORES` gives them.
        let input = try AnalysisInputOptions.parse(result.stores)
        let data = try input.load()
        var classification: Classification? = nil
        do {
            let c = try classify(data, input: input, control: nil, threshold: 3)
            classification = c
            let v = c.verdict
            for name in ["delta", "psi"] {
                if let e = v.exponents[name] { entry.cells[name] = .number(e.value); entry.cells[name + "_err"] = .number(e.error) }
            }
            if let d = c.typical?.deltaTypical {
                entry.cells["delta_typ"] = .number(-d.slope)
                entry.cells["delta_typ_err"] = .number(d.totalError)
            }
            if c.selfAveraging.status != .unknown {
                entry.cells["var_log_rho"] = .number(c.selfAveraging.variance)
                entry.cells["self_averaging"] = .text(c.selfAveraging.status.rawValue)
            }
            // How far the paper's claim (DP of the row's dimension) is from the data.
            if let dp = v.ranking.first(where: { $0.distance.universality.id.hasPrefix("dp-") }) {
                entry.cells["dp_sigmas"] = .number(dp.distance.sigmas)
                entry.cells["dp_status"] = .text(dp.status)
            }
            entry.cells["outcome"] = .text(v.outcome.rawValue)
            entry.cells["class"] = v.universality.map { .text($0.id) } ?? .missing
            entry.cells["verdict"] = .text(v.summary)
            if let figure = disorderFigure(c, title: "\(row.label): typical decay and self-averaging at the critical point") {
                try writeFigure(figure.svg(), to: figurePath(folder: folder, row: row, suffix: "diagnostics"))
            }
        } catch let error as ScalingError {
            entry.cells["outcome"] = .text(Verdict.Outcome.insufficientData.rawValue)
            entry.cells["verdict"] = .text("insufficient data")
            notes.append("\(error)")
        }
        try writeFigure(criticalPointFigure(result.curves, [(result.curves.first?.size, cp)], controlName: search.control,
                                            observable: search.observable, dimension: result.dimension).svg(),
                        to: figurePath(folder: folder, row: row, suffix: "scan"))

        // ν∥ from the collapse of the runs nearest the critical point over depth.
        if let nu = parallelCorrelationExponent(result, delta: classification?.verdict.exponents["delta"]?.value) {
            if nu.quality <= 3, nu.error < nu.value / 2 {
                entry.cells["nu_par"] = .number(nu.value)
                entry.cells["nu_par_err"] = .number(nu.error)
            } else {
                notes.append("nu_par not stated: the off-critical collapse gives \(formatEstimate(nu.value, nu.error)) with quality \(String(format: "%.3g", nu.quality))")
            }
        }
        if let a = row.activation, !a.isContinuous {
            notes.append("lambda = -infinity: phi' = 0 almost everywhere, so an infinitesimal difference never grows")
        } else if row.lyapunovSamples > 0, let lambda = try lyapunov(row, at: cp, threads: threads) {
            entry.cells["lambda"] = .number(lambda.value)
            entry.cells["lambda_err"] = .number(lambda.error)
        }
        if row.spreadingSamples > 0 {
            let s = try spreading(row, search: search, at: cp.control, folder: stores, threads: threads, quiet: quiet)
            for (name, e) in s {
                entry.cells[name] = .number(e.value)
                entry.cells[name + "_err"] = .number(e.error)
            }
        }
        return finish()
    }

    /// Marks `stores` as the row's (`settings.txt`), or refuses them when they were made with other
    /// settings: their runs would mix with the new ones.
    static func claimStores(_ stores: String, row: AtlasRow) throws {
        let file = (stores as NSString).appendingPathComponent("settings.txt")
        if FileManager.default.fileExists(atPath: file) {
            let text = try readTextFile(file).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text == row.settings else {
                throw InputError.invalid("\(stores) holds runs made with other settings (\(text)); remove it, or give another --folder")
            }
            return
        }
        try FileManager.default.createDirectory(atPath: stores, withIntermediateDirectories: true)
        try writeAtomically(row.settings + "\n", to: file)
    }

    static func figurePath(folder: String, row: AtlasRow, suffix: String) -> String {
        ((folder as NSString).appendingPathComponent("figures") as NSString).appendingPathComponent("\(row.id)-\(suffix).svg")
    }

    /// The row's settings as cells.
    static func descriptionCells(_ row: AtlasRow) -> [String: Table.Cell] {
        var cells: [String: Table.Cell] = [
            "row": .text(row.id), "label": .text(row.label), "model": .text(row.kind.rawValue), "dim": .integer(row.dim),
            "size": .integer(row.size), "depth": .integer(row.depth), "samples": .integer(row.samples),
            "control": .text(row.kind == .dp ? "p" : "sigma_w"),
        ]
        if let a = row.activation { cells["activation"] = .text(a.rawValue); cells["sigma_b"] = .number(row.sigmaB) }
        if let c = row.channels { cells["channels"] = .integer(c); cells["weights"] = .text(row.untied ? "untied" : "shared") }
        return cells
    }

    /// ν∥ = 1/b of the time form y = l^−a F((x − x_c) l^b) fitted to the eight runs nearest x_c, at the
    /// last depth and its halves down to an eighth; nil when the fit fails.
    static func parallelCorrelationExponent(_ result: SearchResult, delta: Double?) -> (value: Double, error: Double, quality: Double)? {
        let cp = result.estimate
        let chosen = curvesNearest(result.curves, to: cp.control, count: 8)
        let last = chosen.compactMap { $0.t.last }.max() ?? 1
        guard let series = try? DataCollapse.timeSeries(chosen, depths: [last / 8, last / 4, last / 2, last]),
              let fit = try? DataCollapse.fit(series, ansatz: .control, start: [delta ?? 0.5, 0.5, cp.control], replicates: 50, seed: 1),
              fit.parameters[1] > 0 else { return nil }
        let b = fit.parameters[1]
        return (1 / b, fit.errors[1] / (b * b), fit.quality)
    }

    /// λ at the critical point, its error including the critical point's: λ is measured at x_c and
    /// at x_c ± e on the same networks, and e·|dλ/dx| is added in quadrature.
    static func lyapunov(_ row: AtlasRow, at cp: CriticalPoint, threads: Int) throws -> (value: Double, error: Double)? {
        let e = max(cp.error, 1e-3 * cp.control)
        let xs = [cp.control - e, cp.control, cp.control + e]
        let depth = min(row.depth, 500), burnIn = 50
        var points: [(Double, Double)] = []
        for x in xs {
            switch row.kind {
            case .cnn:
                var c = CNNConfiguration(activation: row.activation ?? .tanh, sigmaW: x, sigmaB: row.sigmaB, dim: row.dim, size: row.size,
                                         channels: row.channels ?? 8, kernel: 3, depth: depth, start: .homogeneous)
                c.untied = row.untied
                let p = CNNLyapunov.point(c, samples: row.lyapunovSamples, seed: row.seed, burnIn: burnIn, threads: threads)
                points.append((p.lambda, p.error))
            case .mlp:
                let c = MLPConfiguration(activation: row.activation ?? .tanh, sigmaW: 0, sigmaB: row.sigmaB, width: row.size, depth: depth,
                                         method: .exact, tangent: true)
                let p = try LyapunovScan.point(c, sigmaW: x, inputs: .synthetic(dimension: row.size, q0: 1, rho0: 1),
                                               samples: row.lyapunovSamples, seed: row.seed, burnIn: burnIn, threads: threads)
                points.append((p.lambda, p.lambdaError))
            case .dp:
                return nil
            }
        }
        let slope = (points[2].0 - points[0].0) / (2 * e)
        let error = (points[1].1 * points[1].1 + slope * slope * cp.error * cp.error).squareRoot()
        return (points[1].0, error)
    }

    /// θ (from N(t)) and z (from R²(t)) of a spreading run at the critical point, with the classifier's errors.
    static func spreading(_ row: AtlasRow, search: CriticalSearch, at x: Double, folder: String, threads: Int,
                          quiet: Bool) throws -> [(String, MeasuredExponent)] {
        let text = search.specificationText(name: "atlas-\(row.id)-spreading", controlValue: formatNumber(x), commonStreams: false,
                                            replacing: ["protocol": "\"spreading\"", "samples": "\(row.spreadingSamples)"])
        let spec = try ModelRegistry.specification(text: text)
        let campaign = ModelRegistry.store((folder as NSString).appendingPathComponent("spreading"))
        try campaign.prepare(for: spec, tool: "criticality", version: Criticality.version)
        try runSweep(spec, tasks: spec.tasks, campaign: campaign, threads: threads, quiet: quiet, summary: !quiet)
        let data = try AnalysisData.load([campaign.path])
        var curves: [Observable: [Curve]] = [:]
        for o in [Observable.active, .r2] where data.table.hasNumbers(in: o.rawValue) {
            curves[o] = try data.curves(CurveSelection(value: o.rawValue, control: search.control), widthLimit: true, blocks: true)
        }
        let (exponents, _) = CriticalExponents.measure(curves, window: nil, control: x, replicates: 200, seed: 1)
        let measured = exponents.exponents(systematic: 0.03)
        return ["theta", "z"].compactMap { name in measured[name].map { (name, $0) } }
    }
}
