/// Brent's method: the root of a continuous f on a bracketing interval [a, b].
///
/// Combines bisection, the secant rule and inverse quadratic interpolation (R. P. Brent,
/// *Algorithms for Minimization without Derivatives*, 1973, ch. 4), so it never does worse than
/// bisection and converges superlinearly for smooth f. Stops when the bracket is narrower than
/// `2 (4 ε |x| + absoluteTolerance)`.
///
/// - Complexity: at most ~ log₂((b − a)/tol) + a few evaluations of `f`.
public func brentRoot(
    in a: Double, _ b: Double,
    absoluteTolerance: Double = 0,
    maxIterations: Int = 200,
    _ f: (Double) throws -> Double
) throws -> Double {
    var a = a, b = b
    var fa = try f(a), fb = try f(b)
    if fa.isNaN { throw RootFindingError.notANumber(at: a) }
    if fb.isNaN { throw RootFindingError.notANumber(at: b) }
    if fa == 0 { return a }
    if fb == 0 { return b }
    guard (fa < 0) != (fb < 0) else { throw RootFindingError.notBracketed(a: a, b: b, fa: fa, fb: fb) }
    var c = a, fc = fa
    var d = b - a, e = d
    for _ in 0..<maxIterations {
        if (fb < 0) == (fc < 0) {
            c = a; fc = fa; d = b - a; e = d
        }
        if abs(fc) < abs(fb) {
            a = b; b = c; c = a
            fa = fb; fb = fc; fc = fa
        }
        let tol = 2 * Double.ulpOfOne * abs(b) + 0.5 * absoluteTolerance
        let m = 0.5 * (c - b)
        if abs(m) <= tol || fb == 0 { return b }
        if abs(e) >= tol && abs(fa) > abs(fb) {
            var p: Double, q: Double
            let s = fb / fa
            if a == c {
                p = 2 * m * s
                q = 1 - s
            } else {
                let qa = fa / fc, r = fb / fc
                p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
                q = (qa - 1) * (r - 1) * (s - 1)
            }
            if p > 0 { q = -q } else { p = -p }
            if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)) {
                e = d; d = p / q
            } else {
                d = m; e = m
            }
        } else {
            d = m; e = m
        }
        a = b; fa = fb
        b += abs(d) > tol ? d : (m > 0 ? tol : -tol)
        fb = try f(b)
        if fb.isNaN { throw RootFindingError.notANumber(at: b) }
    }
    return b
}
