import CriticalityCore
import Foundation

/// Gaussian expectations of an activation, the building blocks of the mean-field maps.
///
/// One dimension: u = √q z. Two dimensions: u₁, u₂ with variance q and correlation c = 1 − ρ,
/// written through the independent pair
///
///     v = (u₁ + u₂)/2 ~ N(0, q (2 − ρ)/2),    d = u₂ − u₁ ~ N(0, 2 q ρ),
///
/// so that φ(u₂) − φ(u₁) = φ(v + d/2) − φ(v − d/2) is computed without cancellation
/// (``Activation/difference(around:by:)``) and the correlation map stays accurate for ρ far below
/// machine epsilon.
///
/// Smooth activations use Gauss–Hermite rules whose size grows with √q (the integrand varies on the
/// scale 1/√q in z); ReLU and hard-tanh use composite Gauss–Legendre with the real line cut exactly
/// at the kinks (in v, at x_j ± d/2; in d, at the separations of the kinks), so those expectations
/// are accurate to ~1e-13 as well.
public struct GaussianExpectations: Sendable {
    public let activation: Activation

    /// Below this variance the maps are evaluated at q = `varianceFloor`, i.e. in the limit q → 0⁺.
    public static let varianceFloor = 1e-60

    public init(activation: Activation) { self.activation = activation }

    /// Whether φ oscillates over the whole line (sin), so that fine quadrature panels are needed everywhere.
    var oscillatory: Bool { activation == .sin }

    // MARK: One-dimensional

    /// E[φ(√q z)²].
    public func meanSquare(q: Double) -> Double {
        let a = activation
        return expectation(q: q) { u in let y = a.value(u); return y * y }
    }

    /// E[φ′(√q z)²].
    public func meanSquareDerivative(q: Double) -> Double {
        let a = activation
        return expectation(q: q) { u in let y = a.derivative(u); return y * y }
    }

    /// E[φ″(√q z)²] (regular part; zero for the piecewise-linear activations).
    public func meanSquareSecondDerivative(q: Double) -> Double {
        let a = activation
        return expectation(q: q) { u in let y = a.secondDerivative(u); return y * y }
    }

    /// Σ_j Δ_j² p_q(x_j): the squared jumps of φ′ weighted by the N(0, q) density at the kinks.
    public func kinkWeight(q: Double) -> Double {
        let q = max(q, Self.varianceFloor)
        return activation.kinks.reduce(0) { sum, k in
            sum + k.jump * k.jump * exp(-0.5 * k.position * k.position / q) / (2 * Double.pi * q).squareRoot()
        }
    }

    /// E[g(√q z)] for z ~ N(0, 1), with g smooth except at the activation's kinks.
    public func expectation(q: Double, _ g: (Double) -> Double) -> Double {
        let s = max(q, Self.varianceFloor).squareRoot()
        if activation.isSmooth {
            return Self.oneDimensionalRule(scale: s, oscillatory: oscillatory).expectation { g(s * $0) }
        }
        let cuts = activation.kinks.map { $0.position / s }
        return Self.piecewise.expectation(breakpoints: cuts) { g(s * $0) }
    }

    // MARK: Two-dimensional

    /// E[(φ(u₂) − φ(u₁))²] for u₁, u₂ of variance q and correlation 1 − ρ, 0 ≤ ρ ≤ 2.
    public func meanSquareDifference(q: Double, rho: Double) -> Double {
        guard rho > 0 else { return 0 }
        let a = activation
        return pairExpectation(q: q, rho: rho) { v, d in
            let y = a.difference(around: v, by: d)
            return y * y
        }
    }

    /// E[φ′(u₁) φ′(u₂)] for u₁, u₂ of variance q and correlation 1 − ρ.
    public func derivativeCovariance(q: Double, rho: Double) -> Double {
        let a = activation
        return pairExpectation(q: q, rho: rho) { v, d in
            a.derivative(v + 0.5 * d) * a.derivative(v - 0.5 * d)
        }
    }

    /// E[g(v, d)] with v ~ N(0, q(2 − ρ)/2) and d ~ N(0, 2qρ) independent, where g(·, d) is smooth
    /// except where v ± d/2 hits a kink.
    public func pairExpectation(q: Double, rho: Double, _ g: (Double, Double) -> Double) -> Double {
        let q = max(q, Self.varianceFloor)
        let rho = min(max(rho, 0), 2)
        let sv = (q * (2 - rho) / 2).squareRoot(), sd = (2 * q * rho).squareRoot()
        if activation.isSmooth {
            // The inner integrand's features sit at v = ±d/2, anywhere on the line as d varies:
            // its rule is fine everywhere.
            let outer = Self.rule(scale: sd, oscillatory: oscillatory), inner = Self.rule(scale: sv, oscillatory: true)
            var total = 0.0
            for j in outer.nodes.indices {
                let d = sd * outer.nodes[j]
                var sum = 0.0
                for i in inner.nodes.indices { sum += inner.weights[i] * g(sv * inner.nodes[i], d) }
                total += outer.weights[j] * sum
            }
            return total
        }
        let kinks = activation.kinks.map(\.position)
        func inner(_ d: Double) -> Double {
            guard sv > 0 else { return g(0, d) }
            var cuts: [Double] = []
            for x in kinks { cuts.append((x - 0.5 * d) / sv); cuts.append((x + 0.5 * d) / sv) }
            return Self.piecewise.expectation(breakpoints: cuts) { g(sv * $0, d) }
        }
        guard sd > 0 else { return inner(0) }
        var outerCuts = [0.0]
        for x in kinks { for y in kinks where y > x { outerCuts.append((y - x) / sd); outerCuts.append((x - y) / sd) } }
        return Self.piecewise.expectation(breakpoints: outerCuts) { inner(sd * $0) }
    }

    // MARK: Rules

    public static let piecewise = PiecewiseGaussianRule(nodesPerPanel: 16, cutoff: 10, maxPanel: 2)

    /// Gauss–Hermite rules of 16, 32, 64 and 96 nodes, built once.
    static let hermiteRules: [Int: GaussianRule] = {
        var rules: [Int: GaussianRule] = [:]
        for n in [16, 32, 64, 96] { rules[n] = GaussianRule(GaussHermiteRule(count: n)) }
        return rules
    }()

    /// The rule of one-dimensional expectations (length maps, χ₁: called many times by the root
    /// finders): Gauss–Hermite with 96 nodes up to `scale` 1 (below 1e-15 for erf, tanh, sin and
    /// their derivatives), composite panels beyond, kept per quarter of scale (rounded up, so the
    /// panels are never coarser than ``rule(scale:oscillatory:)``'s). A step of ~1e-16 where the
    /// rounding changes is harmless in one dimension (no series is fitted across q).
    public static func oneDimensionalRule(scale: Double, oscillatory: Bool) -> GaussianRule {
        guard scale > 1 else { return scale < 0.5 ? rule(scale: scale, oscillatory: oscillatory) : hermiteRules[96]! }
        let bucket = Int((min(scale, 256) * 4).rounded(.up))
        return compositeRules.rule(bucket: bucket, oscillatory: oscillatory)
    }

    static let compositeRules = CompositeRuleCache()

    /// The rule for a variable of standard deviation `scale` (in units of the activation's own
    /// scale): the integrand then varies on the scale 1/`scale` in the standard normal variable.
    /// Up to `scale` 1, Gauss–Hermite (16 to 96 nodes; a small `scale`, d when ρ ≪ 1, leaves a
    /// nearly polynomial integrand that few nodes integrate exactly). Beyond, where Gauss–Hermite
    /// fails (docs/mean-field.md, "Quadrature"), composite Gauss–Legendre panels of width 2/`scale`
    /// over |z| ≤ 12/`scale` (|u| ≤ 12, where saturating activations and the differences of the
    /// correlation map vary) and panels of width 2 beyond, or over the whole line for an
    /// `oscillatory` activation (sin).
    public static func rule(scale: Double, oscillatory: Bool) -> GaussianRule {
        switch scale {
        case ..<0.02: return hermiteRules[16]!
        case ..<0.2: return hermiteRules[32]!
        case ..<0.5: return hermiteRules[64]!
        default: break
        }
        // Built for the exact scale (about 3 µs, small beside a 2D expectation): rules kept per
        // rounded scale would make the maps step at the rounding points, by their ~1e-15 error,
        // which the kernel tables' Chebyshev series would see. Bounded: a huge scale (q₀ = 1e50)
        // takes the rule of scale 256.
        let s = min(scale, 256)
        return GaussianRule(fineWidth: min(2, 2 / s), fineExtent: oscillatory ? 10 : 12 / s)
    }
}

/// The composite rules of ``GaussianExpectations/oneDimensionalRule(scale:oscillatory:)``, built on
/// first use and kept (at most 2 × 1024, one per quarter of scale up to 256).
final class CompositeRuleCache: @unchecked Sendable {
    private let lock = NSLock()
    private var rules: [Int: GaussianRule] = [:]

    func rule(bucket: Int, oscillatory: Bool) -> GaussianRule {
        let key = oscillatory ? -bucket : bucket
        lock.lock()
        defer { lock.unlock() }
        if let r = rules[key] { return r }
        let scale = Double(bucket) / 4
        let r = GaussianRule(fineWidth: min(2, 2 / scale), fineExtent: oscillatory ? 10 : 12 / scale)
        rules[key] = r
        return r
    }
}
