import CriticalityCore
import Foundation

/// Ordinary least squares of y on polynomials of x: the straight line and the parabola that the
/// log-log analyses need.
public enum LeastSquares {
    /// The line y ≈ a + b x through the points, with the standard error of b from the residuals.
    /// `weights` (default all 1) multiply each squared residual.
    ///
    /// - Complexity: O(n).
    public static func line(x: [Double], y: [Double], weights: [Double]? = nil) -> (intercept: Double, slope: Double, slopeError: Double)? {
        let n = x.count
        guard n >= 2 else { return nil }
        var sw = 0.0, sx = 0.0, sy = 0.0
        for i in 0..<n { let w = weights?[i] ?? 1; sw += w; sx += w * x[i]; sy += w * y[i] }
        let mx = sx / sw, my = sy / sw
        var sxx = 0.0, sxy = 0.0
        for i in 0..<n { let w = weights?[i] ?? 1; sxx += w * (x[i] - mx) * (x[i] - mx); sxy += w * (x[i] - mx) * (y[i] - my) }
        guard sxx > 0 else { return nil }
        let b = sxy / sxx, a = my - b * mx
        var rss = 0.0
        for i in 0..<n { let w = weights?[i] ?? 1; let r = y[i] - a - b * x[i]; rss += w * r * r }
        let error = n > 2 ? (rss / Double(n - 2) / sxx).squareRoot() : .nan
        return (a, b, error)
    }

    /// The parabola y ≈ c₀ + c₁ u + c₂ u² with u = x − x̄ (centred for conditioning); returns c₂.
    ///
    /// - Complexity: O(n).
    public static func curvature(x: [Double], y: [Double]) -> Double? {
        let n = x.count
        guard n >= 4 else { return nil }
        let mx = x.reduce(0, +) / Double(n)
        var s = [Double](repeating: 0, count: 5), r = [Double](repeating: 0, count: 3)
        for i in 0..<n {
            let u = x[i] - mx
            var p = 1.0
            for k in 0..<5 {
                s[k] += p
                if k < 3 { r[k] += p * y[i] }
                p *= u
            }
        }
        // Normal equations [[s0 s1 s2][s1 s2 s3][s2 s3 s4]] c = r, by Cramer's rule.
        func det(_ m: [[Double]]) -> Double {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
        let m = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]]
        let d = det(m)
        guard d != 0, d.isFinite else { return nil }
        var m2 = m
        for i in 0..<3 { m2[i][2] = r[i] }
        return det(m2) / d
    }
}

/// Mean and standard deviation of finite values (the spread of bootstrap replicates).
func meanAndSpread(_ values: [Double]) -> (mean: Double, spread: Double) {
    var m = RunningMoments()
    for v in values where v.isFinite { m.add(v) }
    return (m.value, m.variance.squareRoot())
}
