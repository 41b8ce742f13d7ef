/// ρ = 1 − cos(h_a, h_b) for h_b = h_a + Δ, from a = |h_a|², s = h_a·Δ and the perpendicular part
/// a|Δ|² − s² = a |Δ_⊥|² (Lagrange), without cancellation:
///
///     1 − c = (a|Δ|² − s²) / (√(ab) (√(ab) + a + s)),   b = |h_b|² = a + 2s + |Δ|².
///
/// Exact in exact arithmetic; accurate to a few ulps relative even when ρ ≪ 10⁻¹⁶, provided the
/// caller computes a|Δ_⊥|² without subtracting nearly equal numbers. Never negative.
@inlinable
public func pairRho(a: Double, s: Double, d: Double, perpendicular: Double) -> Double {
    let b = a + 2 * s + d
    let root = (a * b).squareRoot()
    guard root > 0 else { return 0 }
    let rho = max(perpendicular, 0) / (root * (root + a + s))
    return rho.isFinite ? min(rho, 2) : 2
}
