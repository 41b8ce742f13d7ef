import CriticalityCore
import Foundation
import MeanField
import Plotting
import Propagation

/// Finite-width scaling at criticality: ρ(l; n) ≈ n⁻¹ f(l/n) (Tamai et al., claim 4).
struct FiniteWidthCollapse {
    let runs: [MLPSeries]
    let point: MeanFieldPoint

    /// Runs tanh at the mean-field σ_w,c for each width to depth `depthPerWidth` · n; `progress`
    /// gets a line after each width with the estimated time left (the cost grows as n³: n² per
    /// layer, 4n layers).
    init(widths: [Int], depthPerWidth: Int, samples: Int, sigmaB: Double, seed: UInt64, threads: Int,
         progress: ((String) -> Void)? = nil) throws {
        let sigmaW = try CriticalLine.sigmaWCritical(activation: .tanh, sigmaB: sigmaB)
        point = try MeanFieldNetwork(activation: .tanh, sigmaW: sigmaW, sigmaB: sigmaB).point()
        let clock = ContinuousClock()
        let start = clock.now
        let costs = widths.map { pow(Double($0), 3) }
        var done = 0.0
        runs = try widths.enumerated().map { k, n in
            let config = MLPConfiguration(activation: .tanh, sigmaW: sigmaW, sigmaB: sigmaB, width: n, depth: depthPerWidth * n)
            let run = try MLPSimulation.run(config, inputs: .synthetic(dimension: n, q0: 1, rho0: 1), samples: samples,
                                            seed: seed, task: UInt64(n), threads: threads)
            done += costs[k]
            let elapsed = (clock.now - start) / .seconds(1)
            let left = elapsed * (costs.reduce(0, +) - done) / done
            progress?(String(format: "width %d done (%d/%d), %.1f s, ETA %.0f s", n, k + 1, widths.count, elapsed, left))
            return run
        }
    }

    /// The scaling variable x = l/n at which the collapse is judged, at layers l ≥ ``minimumLayer``
    /// only: the first few layers (l ≲ 4/κ) are not yet in the scaling regime ρ ≈ 1/(κ l) of the
    /// mean-field trajectory, a correction to scaling that is the same for every n.
    static let checkpoints = [0.25, 0.5, 1, 2, 4]
    static let minimumLayer = 16

    /// Each width against the widest at the checkpoints: z = (nρ − n′ρ′)/combined error. The
    /// collapse holds when every |z| is of order 1 (we report χ²/dof and the largest |z|).
    var comparison: [(width: Int, chi2PerDof: Double, maxAbsZ: Double)] {
        guard let reference = runs.last else { return [] }
        return runs.dropLast().map { run in
            var chi2 = 0.0, worst = 0.0, count = 0
            for x in Self.checkpoints {
                guard let a = scaled(run, x), let b = scaled(reference, x) else { continue }
                let z = (a.0 - b.0) / (a.1 * a.1 + b.1 * b.1).squareRoot()
                chi2 += z * z; worst = max(worst, abs(z)); count += 1
            }
            return (run.configuration.width, chi2 / Double(max(count, 1)), worst)
        }
    }

    /// (n ρ, n · error) at l = x n, when that layer exists.
    func scaled(_ run: MLPSeries, _ x: Double) -> (Double, Double)? {
        let n = run.configuration.width
        let l = Int((x * Double(n)).rounded())
        guard l >= Self.minimumLayer, l <= run.configuration.depth else { return nil }
        let m = run.rho[l - 1]
        return (Double(n) * m.mean, Double(n) * m.standardError)
    }

    var table: Table {
        var t = Table(columns: mlpColumns + ["l_over_n", "n_rho", "n_rho_err"])
        for run in runs {
            let n = Double(run.configuration.width)
            // The inputs are synthetic, so the mean-field trajectory from the same q₀, ρ₀ fills rho_mf.
            let reference = try? MeanFieldReference(config: run.configuration,
                                                    inputs: .synthetic(dimension: run.configuration.width, q0: 1, rho0: 1))
            let base = mlpTable(run, reference: reference)
            for (i, row) in base.rows.enumerated() {
                let m = run.rho[i]
                t.append(row + [.number(Double(i + 1) / n), .number(n * m.mean), .number(n * m.standardError)])
            }
        }
        return t
    }

    /// Left: ρ(l) for each width (uncollapsed) with 1/(κ l); right: n ρ against l/n.
    var figure: PanelGrid {
        var raw: [Series] = [], collapsed: [Series] = []
        for (k, run) in runs.enumerated() {
            let color = Color.palette[k % Color.palette.count]
            let n = Double(run.configuration.width)
            let (l, rho, err) = logSpacedPoints(run)
            raw.append(Series(name: "n = \(run.configuration.width)", x: l, y: rho, yError: err, style: .lineAndMarkers,
                              color: color, lineWidth: 1.5))
            collapsed.append(Series(name: "n = \(run.configuration.width)", x: l.map { $0 / n }, y: rho.map { $0 * n },
                                    yError: err.map { $0 * n }, style: .lineAndMarkers, color: color, lineWidth: 1.5))
        }
        let maxDepth = Double(runs.map(\.configuration.depth).max() ?? 1)
        let dense = (0...60).map { pow(maxDepth, Double($0) / 60) }
        raw.append(Series(name: "1/(κ l)", x: dense, y: dense.map { 1 / (point.kappa * $0) }, color: Color(r: 60, g: 60, b: 60),
                          dashed: true, lineWidth: 1.5))
        let minX = 1 / Double(runs.map(\.configuration.width).max() ?? 1), maxX = maxDepth / Double(runs.map(\.configuration.width).min() ?? 1)
        let xs = (0...60).map { minX * pow(maxX / minX, Double($0) / 60) }.filter { $0 <= 4 }
        collapsed.append(Series(name: "1/(κ x), x = l/n", x: xs, y: xs.map { 1 / (point.kappa * $0) }, color: Color(r: 60, g: 60, b: 60),
                                dashed: true, lineWidth: 1.5))
        let left = Figure(title: "ρ(l; n) at criticality (tanh, σ_b = \(formatNumber(point.sigmaB)))",
                          xAxis: Axis(label: "layer l", scale: .log), yAxis: Axis(label: "ρ", scale: .log),
                          series: raw, legendPosition: .bottomLeft, width: 600, height: 460)
        let right = Figure(title: "Finite-width collapse: n ρ against l/n", xAxis: Axis(label: "l / n", scale: .log),
                           yAxis: Axis(label: "n ρ", scale: .log), series: collapsed, legendPosition: .bottomLeft, width: 600, height: 460)
        return PanelGrid(title: "", panels: [left, right], columns: 2)
    }
}
