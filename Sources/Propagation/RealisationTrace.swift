/// Per-layer observables of one realisation, written by a sampler into caller-owned storage.
public struct RealisationTrace {
    /// ρ^l = 1 − cos(h_a^l, h_b^l), l = 1…L (index l − 1).
    public var rho: UnsafeMutableBufferPointer<Double>
    /// q^l = |h_a^l|²/n.
    public var q: UnsafeMutableBufferPointer<Double>
    /// ln(|v^l| / |v^{l−1}|) of the tangent vector; NaN at l = 1 and when no tangent is propagated.
    public var growth: UnsafeMutableBufferPointer<Double>
    /// Whether the two signals have been bitwise identical at some layer ≤ l.
    public var absorbed: UnsafeMutableBufferPointer<Bool>

    /// Records layer `l` (1-based) from a, s = h_a·Δ, d = |Δ|² and a|Δ_⊥|².
    @inlinable
    public mutating func record(
        layer l: Int, width: Int, a: Double, s: Double, d: Double, perpendicular: Double,
        identical: Bool, growth g: Double
    ) {
        rho[l - 1] = pairRho(a: a, s: s, d: d, perpendicular: perpendicular)
        q[l - 1] = a / Double(width)
        growth[l - 1] = g
        absorbed[l - 1] = identical || (l > 1 && absorbed[l - 2])
    }
}
