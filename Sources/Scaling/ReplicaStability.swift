import Foundation

/// What the replica Lyapunov exponent λ at a run's ρ-critical point says (docs/models.md,
/// "Replica Lyapunov exponent"): λ = 0 there is the signature of a multiplicative-noise (bounded
/// KPZ) or mean-field transition; a directed-percolation one has λ ≠ 0, negative where finite
/// differences spread by the nonlinearity while infinitesimal ones shrink, positive where small
/// differences are cut off (a true absorbing state; docs/analysis.md, "Multiplicative noise in one
/// dimension"). Without a cutoff, λ > 0 means that infinitesimal differences grow there, so that the
/// two signals cannot synchronise: the point where ρ's decay looks critical is then not the
/// synchronisation transition, which lies where λ = 0.
public struct ReplicaStability: Sendable {
    public enum Kind: String, Sendable {
        /// |λ| within `threshold` errors of 0.
        case marginal
        /// λ below 0 by more than `threshold` errors.
        case contracting
        /// λ above 0 by more than `threshold` errors.
        case expanding
    }

    public var control: Double
    public var lambda: Double
    public var error: Double
    /// Where λ = 0 along a scan, when located.
    public var zero: (control: Double, error: Double)?
    public var threshold: Double

    public init(control: Double, lambda: Double, error: Double, zero: (control: Double, error: Double)? = nil, threshold: Double = 3) {
        self.control = control
        self.lambda = lambda
        self.error = error
        self.zero = zero
        self.threshold = threshold
    }

    public var kind: Kind {
        if lambda > threshold * error { return .expanding }
        if lambda < -threshold * error { return .contracting }
        return .marginal
    }

    /// One sentence: "replica Lyapunov exponent at sigma_w = 1.6: lambda = +0.032 ± 0.005 per layer > 0: …".
    public func sentence(controlName: String = "sigma_w") -> String {
        let value = String(format: "%@%@", lambda >= 0 ? "+" : "", formatEstimate(lambda, error))
        var s = "replica Lyapunov exponent at \(controlName) = \(formatShort(control)): lambda = \(value) per layer"
        switch kind {
        case .marginal: s += ", 0 within its errors (as at a multiplicative-noise or mean-field transition; DP would need lambda != 0)"
        case .contracting: s += " < 0 (as at a directed-percolation transition)"
        case .expanding: s += " > 0: infinitesimal differences grow there, so without a cutoff the two signals do not synchronise at this point"
        }
        if let zero { s += "; lambda = 0 at \(controlName) = \(formatEstimate(zero.control, zero.error))" }
        return s
    }
}
