import Foundation

/// The error of a log-log slope fitted to a curve that carries only per-depth standard errors
/// (a foreign CSV, no per-block means), allowing for the correlation between depths.
///
/// The points of a decay curve come from one set of realisations, so their fluctuations are
/// correlated: a run that is above average at depth t tends to stay above average later. Treating
/// the depths as independent understates the error of the slope (on 16 realisations of 1+1 DP the
/// independent estimate was about four times too small). The fitted slope is linear in the
/// ln y_i of the fit points, s = Σ w_i ln y_i with w_i = (u_i − ū)/Σ(u_j − ū)² and u = ln t, so
/// under a Gaussian model of the relative fluctuations ε_i (standard deviations s_i = σ_i/y_i,
/// covariance C) its variance is exactly wᵀ C w. Three models of C are evaluated:
///
/// - `independent`: C = diag(s_i²), the classical assumption;
/// - `cumulative`: fluctuations accumulate with depth, independent increments,
///   C_ij = s̃²_min(i,j) with s̃ the running maximum of s. This is exact for a survival probability
///   (the events "alive at t_j" are nested) and the natural model of an absorbing process's mean;
/// - `residual-correlation`: stationary correlated noise, C_ij = s_i s_j φ^|i−j|, with φ the lag-1
///   autocorrelation of the fit's residuals (when positive): smooth residuals betray correlated
///   noise even where the relative errors do not grow.
///
/// The reported error is the largest of the three, and ``method`` says which it was, so the error
/// is conservative under each model (the synthetic tests check its coverage).
public struct CorrelatedSlopeError: Sendable {
    /// The models of the correlation between depths.
    public enum Method: String, Sendable, CaseIterable {
        case independent, cumulative
        case residualCorrelation = "residual-correlation"
    }

    /// The error under each model (NaN where a model does not apply).
    public var errors: [Method: Double]
    /// The lag-1 autocorrelation of the residuals on the fit points.
    public var residualAutocorrelation: Double

    /// The largest error and the model that gave it.
    public var error: Double { errors[method] ?? .nan }
    public var method: Method {
        Method.allCases.filter { errors[$0]?.isFinite == true }.max { errors[$0]! < errors[$1]! } ?? .independent
    }

    /// The errors for a least-squares slope of ln y on u = ln t at the fit points, with relative
    /// standard errors `relative` (σ/y) at the same points, in order of increasing t.
    ///
    /// - Complexity: O(n²) for n fit points (a few dozen).
    public init(u: [Double], lnY: [Double], relative s: [Double]) {
        let n = u.count
        precondition(n == lnY.count && n == s.count && n >= 2)
        let mean = u.reduce(0, +) / Double(n)
        let sxx = u.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let w = u.map { ($0 - mean) / sxx }
        // Residuals of the fit and their lag-1 autocorrelation.
        let slope = zip(w, lnY).reduce(0) { $0 + $1.0 * $1.1 }
        let yMean = lnY.reduce(0, +) / Double(n)
        let r = (0..<n).map { lnY[$0] - yMean - slope * (u[$0] - mean) }
        let r0 = r.reduce(0) { $0 + $1 * $1 }
        var r1 = 0.0
        for i in 1..<n { r1 += r[i] * r[i - 1] }
        let raw = r0 > 0 ? r1 / r0 : 0
        // Residuals of a fitted line understate the noise's autocorrelation (the line absorbs the
        // slow part); for an AR(1) series the bias of the lag-1 estimate is about -(1 + 3φ)/n with a
        // mean removed, and larger with a slope removed: correct by (2 + 4φ)/n, within [0, 0.995].
        let phi = raw > 0 ? min(0.995, raw + (2 + 4 * raw) / Double(n)) : raw
        residualAutocorrelation = phi

        func variance(_ covariance: (Int, Int) -> Double) -> Double {
            var v = 0.0
            for i in 0..<n { for j in 0..<n { v += w[i] * w[j] * covariance(i, j) } }
            return max(v, 0)
        }
        var errors: [Method: Double] = [:]
        errors[.independent] = variance { $0 == $1 ? s[$0] * s[$0] : 0 }.squareRoot()
        var running = s
        for i in 1..<n { running[i] = max(running[i], running[i - 1]) }
        errors[.cumulative] = variance { running[min($0, $1)] * running[min($0, $1)] }.squareRoot()
        errors[.residualCorrelation] = phi > 0 ? variance { s[$0] * s[$1] * pow(phi, Double(abs($0 - $1))) }.squareRoot() : .nan
        self.errors = errors
    }
}
