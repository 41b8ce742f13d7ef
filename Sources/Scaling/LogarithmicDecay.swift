import CriticalityCore
import Foundation

/// The logarithmic decay of infinite-noise criticality tested against the power law on one run
/// (docs/analysis.md, "Infinite-noise criticality"): 1/⟨ρ⟩ = a + b ln l.
///
/// Each form is a straight line in its own variables: ln⟨ρ⟩ against u = ln l for a power law,
/// 1/⟨ρ⟩ against u for the logarithmic decay. So each is tested by the curvature c₂ of a quadratic
/// fitted in those variables on the window (``LeastSquares/curvature(x:y:)``), in units of its
/// error: a form whose curvature lies within `threshold` errors of zero fits. The errors come from
/// a bootstrap over the run's blocks of realisations, or a parametric one from its per-depth errors
/// (``Curve/resampled(using:)``). The two tests can both pass on a short or noisy window: a power
/// law with small δ and a logarithm differ only at second order in δ ln l.
public struct LogarithmicDecay: Sendable {
    /// a and b of 1/⟨ρ⟩ = a + b ln l, and the bootstrap error of b.
    public var intercept: Double
    public var slope: Double
    public var slopeError: Double
    /// The curvature of 1/⟨ρ⟩ against ln l and its error (zero for the logarithmic form).
    public var curvature: Double
    public var curvatureError: Double
    /// The curvature of ln⟨ρ⟩ against ln l and its error (zero for a power law; positive for a
    /// logarithmic decay, whose running exponent b⟨ρ⟩ falls with l).
    public var powerCurvature: Double
    public var powerCurvatureError: Double
    public var window: ClosedRange<Double>
    public var points: Int
    public var replicates: Int

    /// The fewest fit points (a quadratic needs a margin).
    public static let minimumPoints = 6

    /// How far the data lie from the logarithmic form, in errors of its curvature.
    public var sigmas: Double { abs(curvature) / curvatureError }
    /// How far they lie from a power law, in errors of its curvature.
    public var powerLawSigmas: Double { abs(powerCurvature) / powerCurvatureError }
    /// b in units of its error: the decay's significance.
    public var significance: Double { slope / slopeError }

    /// Fits `average` (⟨ρ⟩ of one run) on `window`; nil with fewer than ``minimumPoints`` positive
    /// points or no way to resample.
    ///
    /// - Complexity: O(replicates × points of the curve).
    public static func measure(_ average: Curve, window: ClosedRange<Double>, replicates: Int = 200,
                               seed: UInt64 = 1) -> LogarithmicDecay? {
        let idx = average.logSpacedIndices(in: window)
        guard idx.count >= minimumPoints, average.canResample, replicates >= 2 else { return nil }
        let u = idx.map { log(average.t[$0]) }
        func forms(_ y: [Double]) -> (line: (intercept: Double, slope: Double), c: Double, cp: Double)? {
            let values = idx.map { y[$0] }
            guard values.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
            let inverse = values.map { 1 / $0 }
            guard let line = LeastSquares.line(x: u, y: inverse), let c = LeastSquares.curvature(x: u, y: inverse),
                  let cp = LeastSquares.curvature(x: u, y: values.map { log($0) }) else { return nil }
            return ((line.intercept, line.slope), c, cp)
        }
        guard let fit = forms(average.y) else { return nil }
        var rng = Xoshiro256(key: StreamKey(seed: seed, task: 0x10610, realisation: 0))
        var slopes: [Double] = [], curvatures: [Double] = [], powerCurvatures: [Double] = []
        for _ in 0..<replicates {
            guard let r = forms(average.resampled(using: &rng).y) else { continue }
            slopes.append(r.line.slope)
            curvatures.append(r.c)
            powerCurvatures.append(r.cp)
        }
        guard slopes.count >= 2 else { return nil }
        return LogarithmicDecay(intercept: fit.line.intercept, slope: fit.line.slope, slopeError: meanAndSpread(slopes).spread,
                                curvature: fit.c, curvatureError: meanAndSpread(curvatures).spread,
                                powerCurvature: fit.cp, powerCurvatureError: meanAndSpread(powerCurvatures).spread,
                                window: window, points: idx.count, replicates: slopes.count)
    }

    /// Whether the logarithmic form describes the run within `threshold` errors: a decay (b > 0)
    /// significant at `threshold` errors and a curvature of 1/⟨ρ⟩ within `threshold` errors of zero.
    /// The distance is the curvature's, or infinite without a significant decay; `reason` says why
    /// it fails.
    public func test(threshold: Double) -> (sigmas: Double, reason: String?) {
        guard significance.isFinite, significance >= threshold else {
            return (.infinity, "1/<rho> does not grow significantly with ln l (b = \(formatEstimate(slope, slopeError)))")
        }
        guard sigmas.isFinite else { return (.infinity, "the curvature of 1/<rho> has no error") }
        return (sigmas, sigmas > threshold ? String(format: "1/<rho> is curved in ln l by %.1f errors", sigmas) : nil)
    }

    /// One clause: "1/<rho> = 1.8 + 0.15(1) ln l, curvature 0.3 errors (power law: 4.1 errors)".
    public var sentence: String {
        "1/<rho> = \(String(format: "%.3g", intercept)) + \(formatEstimate(slope, slopeError)) ln l, curved by "
            + String(format: "%.1f errors (ln<rho> against ln l: %.1f errors)", sigmas, powerLawSigmas)
    }
}
