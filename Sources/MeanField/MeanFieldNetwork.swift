import CriticalityCore
import Foundation

/// An infinitely wide network: activation φ and weight/bias standard deviations σ_w, σ_b.
///
/// The length and correlation maps (Poole et al. 2016; Schoenholz et al. 2017), with z standard
/// normal and u₁, u₂ of variance q and correlation c = 1 − ρ:
///
///     q′ = σ_w² E[φ(√q z)²] + σ_b²
///     ρ′ = 1 − c′ = σ_w² E[(φ(u₂) − φ(u₁))²] / (2 q′)
///
/// The second form is the correlation map c′ = (σ_w² E[φ(u₁)φ(u₂)] + σ_b²)/q′ rewritten in terms of
/// differences, so that ρ stays accurate far below 1e-16.
public struct MeanFieldNetwork: Sendable {
    public let activation: Activation
    public let sigmaW: Double
    public let sigmaB: Double
    public let expectations: GaussianExpectations

    /// Relative size of |q′ − q| below which the length map counts as marginal (every q fixed).
    static let marginalTolerance = 4e-15
    /// q above which the length map is taken to diverge.
    static let divergenceBound = 1e16

    public init(activation: Activation, sigmaW: Double, sigmaB: Double) throws {
        try requireParameter("sigma_w", sigmaW)
        try requireParameter("sigma_b", sigmaB)
        guard activation.isContinuous else { throw MeanFieldError.discontinuous(activation: activation) }
        self.activation = activation
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        expectations = GaussianExpectations(activation: activation)
    }

    /// q′ = σ_w² E[φ(√q z)²] + σ_b².
    public func lengthMap(_ q: Double) -> Double {
        sigmaW * sigmaW * expectations.meanSquare(q: q) + sigmaB * sigmaB
    }

    /// One layer of the coupled maps: (q, ρ) ↦ (q′, ρ′).
    public func step(q: Double, rho: Double) -> (q: Double, rho: Double) {
        let next = lengthMap(q)
        guard next > 0 else { return (0, rho) }
        let rhoNext = sigmaW * sigmaW * expectations.meanSquareDifference(q: q, rho: rho) / (2 * next)
        return (next, min(rhoNext, 2))
    }

    /// The fixed point q* of the length map reached by iterating from q₀.
    ///
    /// The map is increasing in q, so the iteration is monotone and converges to the nearest fixed
    /// point on the side where q′ − q points; it is bracketed by doubling (or halving) and then
    /// solved by Brent's method. Returns 0 when the signal dies out (q^l → 0, possible only for
    /// σ_b = 0), q₀ itself when the map is marginal (e.g. ReLU at σ_w² = 2, σ_b = 0).
    ///
    /// - Throws: ``MeanFieldError/divergentLength(activation:sigmaW:sigmaB:)`` when q^l → ∞.
    public func lengthFixedPoint(from q0: Double = 1) throws -> Double {
        try requireParameter("q0", q0, strict: true)
        let g = { (q: Double) in self.lengthMap(q) - q }
        let g0 = g(q0)
        if abs(g0) <= Self.marginalTolerance * q0 { return q0 }
        var lo = q0, hi = q0
        if g0 > 0 {
            repeat {
                lo = hi
                hi *= 2
                if hi > Self.divergenceBound {
                    throw MeanFieldError.divergentLength(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB)
                }
            } while g(hi) > 0
        } else {
            repeat {
                hi = lo
                lo *= 0.5
                if lo < GaussianExpectations.varianceFloor { return 0 }
            } while g(lo) < 0
        }
        return try brentRoot(in: lo, hi, g)
    }

    /// χ₁ = σ_w² E[φ′(√q z)²]: the slope of the correlation map at c = 1 (q = q*).
    public func chi1(q: Double) -> Double {
        sigmaW * sigmaW * expectations.meanSquareDerivative(q: q)
    }

    /// The stable fixed point ρ* = 1 − c* of the correlation map at q, reached from ρ₀ (default 1,
    /// i.e. c₀ = 0). Zero in the ordered phase.
    public func rhoFixedPoint(q: Double, from rho0: Double = 1, chi1: Double) throws -> Double {
        let r = { (rho: Double) in self.step(q: q, rho: rho).rho - rho }
        let r0 = r(rho0)
        if abs(r0) <= 1e-12 * rho0 { return rho0 }
        if r0 > 0 {
            if r(2) >= 0 { return 2 }
            return try brentRoot(in: rho0, 2, r)
        }
        var hi = rho0, lo = rho0 * 0.25
        while r(lo) < 0 {
            // Below 1e-10 the expansion ρ′ − ρ ≈ (χ₁ − 1)ρ − κρ² with κ ≥ 0 has no root when χ₁ ≤ 1.
            if lo < 1e-300 || (lo < 1e-10 && chi1 <= 1) { return 0 }
            hi = lo
            lo *= 0.25
        }
        return try brentRoot(in: lo, hi, r)
    }

    /// Every mean-field quantity at (σ_w, σ_b); fixed points reached from q₀ and ρ₀ = 1.
    public func point(q0: Double = 1) throws -> MeanFieldPoint {
        let q = try lengthFixedPoint(from: q0)
        let chi1 = chi1(q: q)
        // Ordered or critical: f is convex on [0, 1] with f(1) = 1 and f′(1) = χ₁ ≤ 1, so c* = 1.
        // (This also settles the degenerate σ_b = 0, q* = 0 limit, where the c-map is the identity.)
        let rhoStar = chi1 <= 1 + MeanFieldPoint.criticalTolerance ? 0 : try rhoFixedPoint(q: q, chi1: chi1)
        let chiC = rhoStar > 0 ? sigmaW * sigmaW * expectations.derivativeCovariance(q: q, rho: rhoStar) : chi1
        let s2 = sigmaW * sigmaW
        let kappa = activation.isSmooth ? s2 * max(q, 0) * expectations.meanSquareSecondDerivative(q: q) / 2 : .infinity
        let kappa32 = (2.0 / 3.0) * s2 * (max(q, GaussianExpectations.varianceFloor) / Double.pi).squareRoot()
            * expectations.kinkWeight(q: q)
        return MeanFieldPoint(
            activation: activation, sigmaW: sigmaW, sigmaB: sigmaB, qStar: q, rhoStar: rhoStar,
            chi1: chi1, chiC: chiC, kappa: kappa, kappaThreeHalves: kappa32)
    }
}
