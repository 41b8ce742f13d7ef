/// The Cholesky factor of the covariance of one neuron's pre-activations in the next layer.
///
/// With k propagated vectors — signal a (φ_a), the difference (Δφ) and optionally a tangent (ψ) —
/// whose Gram matrix is G over n_in inputs, every row of W[φ_a Δφ ψ] + b(1, 0, 0) is an
/// independent Gaussian vector with covariance S = (σ_w²/n_in) G + σ_b² e₁e₁ᵀ (docs/algorithms.md, "Exact sampler"): the
/// bias enters signal a only, since both signals share it. S = L Lᵀ with L lower triangular.
/// Negative pivots from rounding are clamped to zero, which keeps an absorbed difference (Δφ = 0)
/// exactly zero.
@frozen
public struct LayerCholesky: Sendable {
    public var l11, l21, l22, l31, l32, l33: Double

    @inlinable
    public init(l11: Double, l21: Double, l22: Double, l31: Double = 0, l32: Double = 0, l33: Double = 0) {
        self.l11 = l11; self.l21 = l21; self.l22 = l22
        self.l31 = l31; self.l32 = l32; self.l33 = l33
    }

    /// Factorises S for a Gram matrix with entries g11 = φ_a·φ_a, g12 = φ_a·Δφ, g22 = Δφ·Δφ,
    /// g13 = φ_a·ψ, g23 = Δφ·ψ, g33 = ψ·ψ.
    @inlinable
    public init(
        gram g: GramEntries, inputs: Int, sigmaW: Double, sigmaB: Double
    ) {
        let w = sigmaW * sigmaW / Double(inputs)
        let s11 = w * g.g11 + sigmaB * sigmaB
        l11 = s11.squareRoot()
        l21 = l11 > 0 ? w * g.g12 / l11 : 0
        l22 = max(w * g.g22 - l21 * l21, 0).squareRoot()
        l31 = l11 > 0 ? w * g.g13 / l11 : 0
        l32 = l22 > 0 ? (w * g.g23 - l31 * l21) / l22 : 0
        l33 = max(w * g.g33 - l31 * l31 - l32 * l32, 0).squareRoot()
    }
}

/// The six distinct entries of the Gram matrix of (φ_a, Δφ, ψ).
@frozen
public struct GramEntries: Sendable {
    public var g11, g12, g22, g13, g23, g33: Double

    @inlinable
    public init(g11: Double, g12: Double, g22: Double, g13: Double = 0, g23: Double = 0, g33: Double = 0) {
        self.g11 = g11; self.g12 = g12; self.g22 = g22
        self.g13 = g13; self.g23 = g23; self.g33 = g33
    }
}
