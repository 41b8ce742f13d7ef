import CriticalityCore
import Foundation

/// Finite-size data collapse: the exponents that make curves of different sizes fall onto one.
///
/// Two scaling forms:
/// - ``Ansatz/depth``: y(t; n) = n^{−a} F(t / n^b), e.g. ρ(l; n) ≈ n⁻¹ f(l/n) for MLPs of width n
///   (a = b = 1). Compared in logarithms: X = ln t − b ln n, Y = ln y + a ln n.
/// - ``Ansatz/control``: y(x; L) = L^{−a} F((x − x_c) L^b), e.g. a stationary density against p at
///   lattice sizes L (a = β/ν⊥, b = 1/ν⊥). Compared linearly: X = (x − x_c) L^b, Y = y L^a.
///
/// The quality is that of Houdayer and Hartmann (PRB 70, 014418, 2004) in its pairwise form: for
/// each point of each curve and each other curve whose scaled range covers it, the squared
/// difference from that curve's linear interpolation divided by the sum of the two variances,
/// averaged over all such pairs. It is about 1 for a collapse within the errors and grows as the
/// curves separate. It is minimised by Nelder–Mead. Parameter errors combine the spread of the
/// optimum over bootstrap replicates of the curves with its largest move when one size is left out
/// (corrections to scaling, in the spirit of a power law's window drift).
public struct DataCollapse: Sendable {
    public enum Ansatz: String, Sendable, CaseIterable {
        case depth, control
        public var parameterNames: [String] { self == .depth ? ["a", "b"] : ["a", "b", "x_c"] }
    }

    /// One curve of the collapse: its size and its points (x, y, error of y).
    public struct Series: Sendable {
        public var size: Double
        public var label: String
        public var x: [Double]
        public var y: [Double]
        public var error: [Double]?
        /// The curve it came from, for resampling (depth form).
        public var curve: Curve?
        /// The indices of the points compared with the other curves (`nil`: all); every point
        /// serves for interpolation.
        public var probes: [Int]?
        public init(size: Double, label: String, x: [Double], y: [Double], error: [Double]?, curve: Curve? = nil,
                    probes: [Int]? = nil) {
            self.probes = probes
            self.size = size
            self.label = label
            self.x = x
            self.y = y
            self.error = error
            self.curve = curve
        }
    }

    public var ansatz: Ansatz
    public var parameters: [Double]
    /// Total errors: the bootstrap error and the size drift in quadrature.
    public var errors: [Double]
    /// Bootstrap errors over realisations.
    public var statisticalErrors: [Double]
    /// The largest change of each parameter when one size is left out (with at least three sizes):
    /// corrections to scaling that the statistical error does not see.
    public var sizeDrift: [Double]
    public var quality: Double
    public var pairs: Int
    public var replicates: Int

    /// The quality S of `series` under `ansatz` with parameters `p` ([a, b] or [a, b, x_c]), and the
    /// number of point–curve pairs it averages; S = ∞ with fewer than 10 pairs. Each curve is
    /// probed at its ``Series/probes`` and interpolated between all its points.
    public static func quality(_ series: [Series], ansatz: Ansatz, parameters p: [Double]) -> (value: Double, pairs: Int) {
        let scaled = series.map { scale($0, ansatz: ansatz, parameters: p) }
        let r = comparePairs(scaled, probes: series.map(\.probes))
        return r.count >= 10 ? (r.chiSquared / Double(r.count), r.count) : (.infinity, r.count)
    }

    /// Every point of every curve against the linear interpolation of every other curve whose x
    /// range covers it (x increasing): the sum of squared differences divided by the sum of the two
    /// variances, the plain sum of squared differences, and the number of comparisons. Points
    /// without a positive variance count in the plain sum only when `requireVariance` is false.
    public static func comparePairs(_ scaled: [(x: [Double], y: [Double], e: [Double])], probes: [[Int]?]? = nil,
                                    requireVariance: Bool = true) -> (chiSquared: Double, squared: Double, count: Int) {
        var chi = 0.0, squared = 0.0, count = 0
        for (i, s) in scaled.enumerated() {
            for (k, other) in scaled.enumerated() where k != i && other.x.count >= 2 {
                guard let lo = other.x.first, let hi = other.x.last else { continue }
                for j in probes?[i] ?? Array(s.x.indices) where s.x[j] >= lo && s.x[j] <= hi && s.y[j].isFinite {
                    // Binary search for the bracketing interval of other.x (increasing).
                    var a = 0, b = other.x.count - 1
                    while b - a > 1 { let m = (a + b) / 2; if other.x[m] <= s.x[j] { a = m } else { b = m } }
                    guard other.y[a].isFinite, other.y[b].isFinite else { continue }
                    let f = other.x[b] == other.x[a] ? 0 : (s.x[j] - other.x[a]) / (other.x[b] - other.x[a])
                    let y = other.y[a] + f * (other.y[b] - other.y[a])
                    let e = other.e[a] + f * (other.e[b] - other.e[a])
                    let variance = s.e[j] * s.e[j] + e * e
                    guard variance > 0 || !requireVariance else { continue }
                    let d = s.y[j] - y
                    if variance > 0 { chi += d * d / variance }
                    squared += d * d
                    count += 1
                }
            }
        }
        return (chi, squared, count)
    }

    /// The scaled coordinates of one series (X increasing with x; Y = NaN where y cannot be scaled).
    static func scale(_ s: Series, ansatz: Ansatz, parameters p: [Double]) -> (x: [Double], y: [Double], e: [Double]) {
        var xs = [Double](repeating: 0, count: s.x.count), ys = xs, es = xs
        let lnSize = log(s.size)
        for j in s.x.indices {
            let err = s.error?[j] ?? 1
            switch ansatz {
            case .depth:
                xs[j] = log(s.x[j]) - p[1] * lnSize
                ys[j] = s.y[j] > 0 ? log(s.y[j]) + p[0] * lnSize : .nan
                es[j] = s.error == nil ? 1 : err / s.y[j]
            case .control:
                let factor = pow(s.size, p[0])
                xs[j] = (s.x[j] - p[2]) * pow(s.size, p[1])
                ys[j] = s.y[j] * factor
                es[j] = err * factor
            }
        }
        return (xs, ys, es)
    }

    /// Minimises the quality from `start` (default a = b = 1, and x_c the middle of the x range),
    /// holding the parameters in `fixed` (index → value) constant.
    ///
    /// - Throws: ``ScalingError/insufficientData(_:)`` with fewer than two sizes or no overlap.
    public static func fit(_ series: [Series], ansatz: Ansatz, start: [Double]? = nil, fixed: [Int: Double] = [:],
                           replicates: Int = 100, seed: UInt64 = 1) throws -> DataCollapse {
        guard Set(series.map(\.size)).count >= 2 else {
            throw ScalingError.insufficientData("a collapse needs curves of at least two sizes, got \(Set(series.map(\.size)).count)")
        }
        guard series.allSatisfy({ $0.size > 0 && $0.size.isFinite }) else {
            throw ScalingError.insufficientData("every size must be a positive number")
        }
        let allX = series.flatMap(\.x)
        var initial = start ?? (ansatz == .depth ? [1, 1] : [0.5, 0.5, ((allX.min() ?? 0) + (allX.max() ?? 0)) / 2])
        for (k, v) in fixed { initial[k] = v }
        let free = (0..<initial.count).filter { fixed[$0] == nil }
        func full(_ q: [Double], _ base: [Double]) -> [Double] {
            var p = base
            for (i, k) in free.enumerated() { p[k] = q[i] }
            return p
        }
        func minimise(_ data: [Series], from base: [Double]) -> (p: [Double], value: Double) {
            guard !free.isEmpty else { return (base, quality(data, ansatz: ansatz, parameters: base).value) }
            var best = (p: base, value: Double.infinity)
            // Restarts from the last optimum shake Nelder–Mead out of the steps of the quality.
            for _ in 0..<3 {
                let steps = free.map { k in ansatz == .control && k == 2 ? 0.05 * max(abs(best.p[k]), 1e-3) + 1e-3 : 0.2 }
                let r = NelderMead.minimize({ quality(data, ansatz: ansatz, parameters: full($0, base)).value },
                                            start: free.map { (best.value.isFinite ? best.p : base)[$0] }, steps: steps,
                                            tolerance: 1e-8, maxEvaluations: 1500)
                if r.value < best.value { best = (full(r.point, base), r.value) } else { break }
            }
            return best
        }
        let optimum = minimise(series, from: initial)
        guard optimum.value.isFinite else {
            throw ScalingError.insufficientData("the curves do not overlap after scaling from the start \(initial.map(formatShort)); give --start")
        }
        var rng = Xoshiro256(key: StreamKey(seed: seed, task: 0xc011a95e, realisation: 0))
        var samples: [[Double]] = []
        let canResample = series.allSatisfy { $0.curve?.canResample ?? ($0.error != nil) }
        if canResample {
            for _ in 0..<replicates {
                let data = series.map { s -> Series in
                    var r = s
                    if let c = s.curve {
                        let resampled = c.resampled(using: &rng)
                        var lookup: [Double: Double] = [:]
                        for (t, y) in zip(resampled.t, resampled.y) { lookup[t] = y }
                        r.y = s.x.map { lookup[$0] ?? .nan }
                    } else if let e = s.error {
                        for j in r.y.indices { r.y[j] += e[j] * rng.nextGaussian() }
                    }
                    return r
                }
                let m = minimise(data, from: optimum.p)
                if m.value.isFinite { samples.append(m.p) }
            }
        }
        let statistical = (0..<initial.count).map { k in fixed[k] != nil ? 0 : (samples.count >= 2 ? meanAndSpread(samples.map { $0[k] }).spread : .nan) }
        // Leave one size out: how far the optimum moves measures the corrections to scaling.
        var drift = [Double](repeating: 0, count: initial.count)
        let sizes = Set(series.map(\.size)).sorted()
        if sizes.count >= 3 {
            for size in sizes {
                let m = minimise(series.filter { $0.size != size }, from: optimum.p)
                guard m.value.isFinite else { continue }
                for k in drift.indices { drift[k] = max(drift[k], abs(m.p[k] - optimum.p[k])) }
            }
        }
        let errors = statistical.indices.map { k in (statistical[k] * statistical[k] + drift[k] * drift[k]).squareRoot() }
        let q = quality(series, ansatz: ansatz, parameters: optimum.p)
        return DataCollapse(ansatz: ansatz, parameters: optimum.p, errors: errors, statisticalErrors: statistical, sizeDrift: drift,
                            quality: q.value, pairs: q.pairs, replicates: samples.count)
    }

    /// Series for the depth form: each curve's points with t in `window` (default: from 32 times the
    /// first depth, past the early layers that precede scaling), probed at about `perOctave` log-spaced
    /// points per factor 2 and interpolated between all of them.
    public static func depthSeries(_ curves: [Curve], window: ClosedRange<Double>? = nil, perOctave: Int = 6) throws -> [Series] {
        try curves.map { c in
            guard let size = c.size else { throw ScalingError.insufficientData("\(c.label): no size (name it with --size-column)") }
            let first = c.t.first ?? 1, last = c.t.last ?? 1
            let w = window ?? (min(32 * max(first, 1e-300), last)...last)
            let all = c.t.indices.filter { w.contains(c.t[$0]) && c.t[$0] > 0 }
            let probes = c.logSpacedIndices(in: w, perOctave: perOctave)
            let position = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($0.element, $0.offset) })
            return Series(size: size, label: c.label, x: all.map { c.t[$0] }, y: all.map { c.y[$0] },
                          error: c.error.map { e in all.map { e[$0] } }, curve: c, probes: probes.compactMap { position[$0] })
        }
    }

    /// Series for the control form: for each size, the value of each curve at depth `depth` (default:
    /// each curve's last depth) against its control value.
    public static func controlSeries(_ curves: [Curve], depth: Double? = nil) throws -> [Series] {
        var bySize: [Double: [(x: Double, y: Double, e: Double?)]] = [:]
        for c in curves {
            guard let size = c.size else { throw ScalingError.insufficientData("\(c.label): no size (name it with --size-column)") }
            guard let x = c.control else { throw ScalingError.insufficientData("\(c.label): no control value (name it with --control-column)") }
            let j: Int?
            if let depth { j = c.t.firstIndex(of: depth) } else { j = c.t.indices.last }
            guard let j else { throw ScalingError.insufficientData("\(c.label): no point at depth \(formatShort(depth ?? 0))") }
            bySize[size, default: []].append((x, c.y[j], c.error?[j]))
        }
        return bySize.keys.sorted().map { size in
            let points = bySize[size]!.sorted { $0.x < $1.x }
            let errors = points.map(\.e)
            return Series(size: size, label: "size = \(formatShort(size))", x: points.map(\.x), y: points.map(\.y),
                          error: errors.allSatisfy { $0 != nil } ? errors.map { $0! } : nil)
        }
    }

    /// The off-critical form at one size: each depth t of `depths` (the nearest stored depth of
    /// each run) becomes one series of (control, value) over the runs, to be collapsed as
    /// y = t^−a F((x − x_c) t^b) by the control form with t in the place of L (a = δ, b = 1/ν∥).
    /// Runs of several sizes: the largest size only.
    public static func timeSeries(_ curves: [Curve], depths: [Double]) throws -> [Series] {
        var runs = curves
        if let largest = runs.compactMap(\.size).max() { runs = runs.filter { $0.size == nil || $0.size == largest } }
        guard runs.count >= 3 else { throw ScalingError.insufficientData("the time form needs a scan of at least 3 control values, got \(runs.count)") }
        return try depths.map { t in
            var points: [(x: Double, y: Double, e: Double?)] = []
            var used: Double?
            for c in runs {
                guard let x = c.control else { throw ScalingError.insufficientData("\(c.label): no control value (name it with --control-column)") }
                guard let j = c.t.indices.min(by: { abs(c.t[$0] - t) < abs(c.t[$1] - t) }) else { continue }
                used = c.t[j]
                points.append((x, c.y[j], c.error?[j]))
            }
            points.sort { $0.x < $1.x }
            let errors = points.map(\.e)
            let depth = used ?? t
            return Series(size: depth, label: "l = \(formatShort(depth))", x: points.map(\.x), y: points.map(\.y),
                          error: errors.allSatisfy { $0 != nil } ? errors.map { $0! } : nil)
        }
    }
}
