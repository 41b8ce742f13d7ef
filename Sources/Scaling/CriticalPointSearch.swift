import CriticalityCore
import Foundation

/// The critical point of a scan of the control parameter, from the bend of the curves.
///
/// At criticality y(t) is a pure power law: a straight line on log-log axes. Off criticality it
/// bends: down towards the absorbing state on one side, up towards an active stationary state on
/// the other. For each curve the curvature c₂ of ln y = c₀ + c₁ u + c₂ u², u = ln t, is measured on
/// a common window; the critical point is where c₂ changes sign, from a straight line through the
/// (up to) four curvatures around the change, weighted by their bootstrap errors. Its error is the
/// spread of the whole procedure over bootstrap replicates of all the curves. The slope at the
/// critical point (−δ, θ, 2/z, … according to the observable) is interpolated the same way.
public struct CriticalPoint: Sendable {
    /// One curve of the scan: its control value, curvature and slope, each with bootstrap errors.
    public struct Bend: Sendable {
        public var label: String
        public var control: Double
        public var curvature: Double
        public var curvatureError: Double
        public var slope: Double
        public var slopeError: Double
        public var early: Double
        public var late: Double
    }

    public var control: Double
    public var error: Double
    public var bends: [Bend]
    /// The slope of the curves interpolated at the critical point, with its error.
    public var slope: Double
    public var slopeError: Double
    /// |late − early| / 2 of the half-window slopes, interpolated at the critical point.
    public var slopeDrift: Double
    public var window: ClosedRange<Double>
    /// Bootstrap replicates that found a sign change (of those drawn).
    public var replicates: Int
    public var failedReplicates: Int

    /// Locates the critical point of `curves` (one run per control value, each with `control` set).
    ///
    /// - Throws: ``ScalingError/insufficientData(_:)`` with fewer than three control values, when no
    ///   window supports a fit; ``ScalingError/oneSidedScan(_:active:)`` when the curvature keeps one
    ///   sign over the scan (the message says on which side the critical point lies).
    public static func locate(_ curves: [Curve], window: ClosedRange<Double>? = nil, replicates: Int = 200,
                              seed: UInt64 = 1) throws -> CriticalPoint {
        let scan = curves.filter { $0.control != nil }.sorted { $0.control! < $1.control! }
        guard Set(scan.map { $0.control! }).count == scan.count else {
            throw ScalingError.insufficientData("two runs share a control value: analyse one size at a time or name the run columns")
        }
        guard scan.count >= 3 else {
            throw ScalingError.insufficientData("a critical point needs a scan of at least 3 control values, got \(scan.count)")
        }
        guard let w = window ?? commonWindow(scan) else {
            throw ScalingError.insufficientData("no curve has positive values to fit")
        }
        guard w.upperBound >= PowerLawFit.minimumSpan * w.lowerBound else {
            throw ScalingError.insufficientData("the window \(formatShort(w.lowerBound))…\(formatShort(w.upperBound)) is shorter than a factor \(formatShort(PowerLawFit.minimumSpan))")
        }
        let controls = scan.map { $0.control! }
        func measure(_ c: Curve) -> (curvature: Double, slope: Double) {
            // A curve that dies inside the window bends down as far as it can.
            (PowerLawFit.curvature(of: c, window: w) ?? -.infinity, PowerLawFit.slope(of: c, window: w) ?? .nan)
        }
        let point = scan.map(measure)
        var rng = Xoshiro256(key: StreamKey(seed: seed, task: 0xc417, realisation: 0))
        let resampling = scan.allSatisfy(\.canResample) && replicates >= 2
        var replicaCurvature: [[Double]] = [], replicaSlope: [[Double]] = []
        // Curves with the same number of blocks are resampled jointly (the same blocks drawn for
        // each): exact when they share their realisations (common random numbers), harmless when
        // they are independent.
        let joint = Set(scan.map { $0.blocks?.values.count ?? 0 }).count == 1 && (scan[0].blocks?.values.count ?? 0) > 0
        if resampling {
            for _ in 0..<replicates {
                let state = rng
                let m = scan.map { curve -> (curvature: Double, slope: Double) in
                    if joint { rng = state }
                    return measure(curve.resampled(using: &rng))
                }
                replicaCurvature.append(m.map(\.curvature))
                replicaSlope.append(m.map(\.slope))
            }
        }
        func spread(_ k: Int, _ rows: [[Double]]) -> Double { meanAndSpread(rows.map { $0[k] }).spread }
        let curvatureError = scan.indices.map { resampling ? spread($0, replicaCurvature) : .nan }
        let slopeError = scan.indices.map { resampling ? spread($0, replicaSlope) : .nan }

        // Which way the phases lie: the absorbing side is the end of the scan whose curves decay
        // faster (a curve that dies inside the window decays fastest of all). Only a change from
        // bending down on the absorbing side to bending up on the active side is a critical point;
        // the opposite change is noise (flat active plateaus whose curvature is 0 within errors).
        let decay = point.map { $0.curvature == -.infinity ? Double.infinity : -$0.slope }
        let edge = max(1, scan.count / 3)
        let lowDecay = decay.prefix(edge).filter { !$0.isNaN }, highDecay = decay.suffix(edge).filter { !$0.isNaN }
        let absorbingBelow = (lowDecay.reduce(0, +) / Double(max(lowDecay.count, 1))) >= (highDecay.reduce(0, +) / Double(max(highDecay.count, 1)))
        let orientation = absorbingBelow ? 1 : -1
        guard let best = crossing(controls, point.map(\.curvature), curvatureError, orientation: orientation) else {
            let curvatures = point.map(\.curvature)
            let (upVotes, downVotes) = signVotes(curvatures, curvatureError)
            let up = curvatures.filter { $0 > 0 }.count
            let (first, last) = absorbingBelow ? (controls.first!, controls.last!) : (controls.last!, controls.first!)
            let side = absorbingBelow ? ("below", "above") : ("above", "below")
            if up == curvatures.count || (up > 0 && upVotes > downVotes) {
                throw ScalingError.oneSidedScan("no critical point in the scan: \(up == curvatures.count ? "every curve bends" : "the curves bend") up (active): the critical point lies \(side.0) \(formatShort(first))", active: true)
            }
            if up == 0 || downVotes > upVotes {
                throw ScalingError.oneSidedScan("no critical point in the scan: \(up == 0 ? "every curve bends" : "the curves bend") down (absorbing): the critical point lies \(side.1) \(formatShort(last))", active: false)
            }
            throw ScalingError.insufficientData("no critical point in the scan: the curvature changes sign but no line through it crosses zero")
        }
        var values: [Double] = [], slopes: [Double] = []
        for r in replicaCurvature.indices {
            if let x = crossing(controls, replicaCurvature[r], curvatureError, orientation: orientation) {
                values.append(x.root)
                slopes.append(interpolate(controls, replicaSlope[r], at: x.root, around: x.pair))
            }
        }
        let slope = interpolate(controls, point.map(\.slope), at: best.root, around: best.pair)
        var halves: [(Double, Double)] = []
        let mid = (w.lowerBound * w.upperBound).squareRoot()
        for c in scan {
            halves.append((PowerLawFit.slope(of: c, window: w.lowerBound...mid) ?? .nan,
                           PowerLawFit.slope(of: c, window: mid...w.upperBound) ?? .nan))
        }
        let early = interpolate(controls, halves.map(\.0), at: best.root, around: best.pair)
        let late = interpolate(controls, halves.map(\.1), at: best.root, around: best.pair)
        let bends = scan.indices.map { k in
            Bend(label: scan[k].label, control: controls[k], curvature: point[k].curvature, curvatureError: curvatureError[k],
                 slope: point[k].slope, slopeError: slopeError[k], early: halves[k].0, late: halves[k].1)
        }
        return CriticalPoint(control: best.root, error: resampling ? meanAndSpread(values).spread : .nan, bends: bends,
                             slope: slope, slopeError: resampling ? meanAndSpread(slopes).spread : .nan,
                             slopeDrift: early.isFinite && late.isFinite ? abs(late - early) / 2 : 0,
                             window: w, replicates: values.count, failedReplicates: replicaCurvature.count - values.count)
    }

    /// The window shared by a scan: the latest upper end of the curves' default windows, down by a
    /// factor 32.
    static func commonWindow(_ curves: [Curve]) -> ClosedRange<Double>? {
        let uppers = curves.compactMap(\.defaultUpperEnd)
        let first = curves.compactMap(\.t.first).min() ?? 1
        guard let hi = uppers.max() else { return nil }
        let lo = max(first, hi / 32)
        return lo < hi ? lo...hi : nil
    }

    /// The zero of the curvature: the adjacent pair whose sign change agrees best with a single step
    /// over the whole scan (each point's vote weighted by min(1, |c₂| / error), so that curvatures
    /// lost in their noise count little) and better than no change at all, then a weighted straight
    /// line through up to four points around it. With `orientation` +1 only a change from bending down (c₂ < 0) to bending up with
    /// increasing x counts, with −1 only the reverse, with 0 either.
    static func crossing(_ x: [Double], _ c: [Double], _ e: [Double], orientation: Int = 0) -> (root: Double, pair: Int)? {
        let n = x.count
        let vote = votes(c, e)
        var best: (score: Double, j: Int)? = nil
        for j in 0..<(n - 1) where c[j].isNaN == false && c[j + 1].isNaN == false && (c[j] < 0) != (c[j + 1] < 0)
            && (orientation == 0 || (orientation > 0) == (c[j] < 0)) {
            let leftSign = c[j] < 0
            var score = 0.0
            for k in 0..<n where !c[k].isNaN { score += (k <= j ? (c[k] < 0) == leftSign : (c[k] < 0) != leftSign) ? vote[k] : 0 }
            if best == nil || score > best!.score { best = (score, j) }
        }
        // A crossing must explain the signs better than no crossing at all (every curve on one side).
        let (upVotes, downVotes) = signVotes(c, e)
        let oneSided = max(upVotes, downVotes)
        guard let j = best?.j, best!.score >= oneSided else { return nil }
        let range = max(0, j - 1)...min(n - 1, j + 2)
        let use = range.filter { c[$0].isFinite }
        var root = Double.nan
        if use.count >= 2 {
            let weights = use.map { e[$0].isFinite && e[$0] > 0 ? 1 / (e[$0] * e[$0]) : 1 }
            if let line = LeastSquares.line(x: use.map { x[$0] }, y: use.map { c[$0] }, weights: weights), line.slope != 0 {
                root = -line.intercept / line.slope
            }
        }
        if !(root >= x[j] && root <= x[j + 1]) {
            // Fall back on the straight line between the bracketing pair (the midpoint if one died).
            root = c[j].isFinite && c[j + 1].isFinite ? x[j] + (x[j + 1] - x[j]) * c[j] / (c[j] - c[j + 1]) : (x[j] + x[j + 1]) / 2
        }
        return (root, j)
    }

    /// Each curvature's vote, its significance min(1, |c₂|/σ) (1 without an error).
    static func votes(_ c: [Double], _ e: [Double]) -> [Double] {
        c.indices.map { k in e[k].isFinite && e[k] > 0 ? min(1, abs(c[k]) / e[k]) : 1 }
    }

    /// The summed votes of the curves that bend up (c₂ > 0) and of those that bend down (c₂ < 0).
    static func signVotes(_ c: [Double], _ e: [Double]) -> (up: Double, down: Double) {
        let vote = votes(c, e)
        return (c.indices.filter { c[$0] > 0 }.reduce(0.0) { $0 + vote[$1] },
                c.indices.filter { c[$0] < 0 }.reduce(0.0) { $0 + vote[$1] })
    }

    /// A quantity of the curves interpolated at `x0` by a straight line through the up to four
    /// points around the pair `j`, j + 1.
    static func interpolate(_ x: [Double], _ y: [Double], at x0: Double, around j: Int) -> Double {
        let use = (max(0, j - 1)...min(x.count - 1, j + 2)).filter { y[$0].isFinite }
        if use.count >= 2, let line = LeastSquares.line(x: use.map { x[$0] }, y: use.map { y[$0] }) {
            return line.intercept + line.slope * x0
        }
        return use.count == 1 ? y[use[0]] : .nan
    }
}
