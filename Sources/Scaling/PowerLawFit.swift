import CriticalityCore
import Foundation

/// The local power law y ∝ t^s of a curve on a window: the slope s of ln y against ln t.
///
/// The fit is ordinary least squares on log-spaced points (``Curve/logSpacedIndices(in:perOctave:)``),
/// so that each octave of t weighs the same. Its error comes from a bootstrap over realisations
/// (``SlopeEstimate``), never from the fit's own covariance alone (docs/analysis.md, "Error bars").
public enum PowerLawFit {
    /// The fewest log-spaced points a fit accepts.
    public static let minimumPoints = 6
    /// The smallest window t_max / t_min a fit accepts.
    public static let minimumSpan = 4.0

    /// The slope of ln y against ln t on `window`, or `nil` when the window holds fewer than
    /// ``minimumPoints`` positive points.
    public static func slope(of curve: Curve, window: ClosedRange<Double>) -> Double? {
        let idx = curve.logSpacedIndices(in: window)
        guard idx.count >= minimumPoints else { return nil }
        return LeastSquares.line(x: idx.map { log(curve.t[$0]) }, y: idx.map { log(curve.y[$0]) })?.slope
    }

    /// The curvature c₂ of ln y = c₀ + c₁ u + c₂ u², u = ln t (centred), on `window`: zero for a pure
    /// power law, negative when the curve bends down (towards absorption), positive when it bends up
    /// (towards an active stationary state).
    public static func curvature(of curve: Curve, window: ClosedRange<Double>) -> Double? {
        let idx = curve.logSpacedIndices(in: window)
        guard idx.count >= minimumPoints else { return nil }
        return LeastSquares.curvature(x: idx.map { log(curve.t[$0]) }, y: idx.map { log(curve.y[$0]) })
    }

    /// Checks that `window` supports a fit of `curve` and says why not.
    public static func validate(_ curve: Curve, window: ClosedRange<Double>) throws {
        guard window.upperBound >= minimumSpan * window.lowerBound, window.lowerBound > 0 else {
            throw ScalingError.insufficientData("\(curve.label): the window \(formatShort(window.lowerBound))…\(formatShort(window.upperBound)) spans less than a factor \(formatShort(minimumSpan)) in t")
        }
        let n = curve.logSpacedIndices(in: window).count
        guard n >= minimumPoints else {
            throw ScalingError.insufficientData("\(curve.label): \(n) usable points (y > 0) in t = \(formatShort(window.lowerBound))…\(formatShort(window.upperBound)); a fit needs \(minimumPoints)")
        }
    }

    /// The local slope s(t) = ln[y(t)/y(t/m)] / ln m at each t of the curve for which t/m is also a
    /// point, with its error by the delta method (the two values treated as independent, which
    /// overstates it); the effective decay exponent is δ_eff = −s.
    public static func localSlopes(of curve: Curve, factor m: Double = 2) -> [(t: Double, slope: Double, error: Double)] {
        var index: [Double: Int] = [:]
        for (j, t) in curve.t.enumerated() { index[t] = j }
        var out: [(Double, Double, Double)] = []
        for (j, t) in curve.t.enumerated() {
            guard let i = index[t / m], curve.y[j] > 0, curve.y[i] > 0 else { continue }
            let s = log(curve.y[j] / curve.y[i]) / log(m)
            var e = Double.nan
            if let err = curve.error {
                let a = err[j] / curve.y[j], b = err[i] / curve.y[i]
                e = (a * a + b * b).squareRoot() / log(m)
            }
            out.append((t, s, e))
        }
        return out
    }
}
