import CriticalityCore
import VectorBuiltins

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

/// ``pairRho(a:s:d:perpendicular:)`` for four pairs at once, with the perpendicular part taken as
/// max(a d − s², 0) (accurate unless Δ is nearly parallel to h_a); lane by lane the same numbers
/// as the scalar function (square roots and divisions are correctly rounded in both).
@inlinable
public func pairRho(a: SIMD4<Double>, s: SIMD4<Double>, d: SIMD4<Double>) -> SIMD4<Double> {
    let zero = SIMD4<Double>.zero, two = SIMD4<Double>(repeating: 2)
    // max(max(x, 0), 0) as the scalar call sites write it (NaN stays NaN and gives 2 below).
    let x = a * d - s * s
    let perpendicular = x.replacing(with: zero, where: x .<= zero)
    let b = a + 2 * s + d
    let root = squareRoot(a * b)
    let rho = perpendicular / (root * (root + a + s))
    // Lanes with root ≤ 0 give 0; non-finite quotients give 2; others min(ρ, 2).
    let finite = rho.replacing(with: two, where: .!(VectorMath.abs(rho) .< .infinity))
    return finite.replacing(with: two, where: finite .> two).replacing(with: zero, where: .!(root .> zero))
}
