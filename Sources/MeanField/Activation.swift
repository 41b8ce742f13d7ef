import Foundation

/// The activation functions φ of the mean-field engine and the simulators, as plain functions.
///
/// For each: φ, φ′ and φ″. ReLU and hard-tanh are piecewise linear: φ′ jumps at their
/// ``kinks`` and φ″ is a sum of Dirac deltas there, whose square is not integrable. For them
/// ``secondDerivative(_:)`` returns the regular part (zero), the metric factor κ = f″(1)/2 is
/// infinite, and the leading nonlinearity of the correlation map is ρ^{3/2} instead of ρ²
/// (see ``MeanFieldPoint/kappaThreeHalves``).
///
/// `sign` (φ = sgn x) is the discontinuous control: φ′ is a Dirac delta at 0, so χ₁ is infinite
/// and the mean-field engine refuses it (``MeanFieldError/discontinuous(activation:)``); the
/// finite simulators take it, and with it an infinitesimal difference never grows while a finite
/// one flips units (docs/models.md, "The discontinuous control").
public enum Activation: String, CaseIterable, Sendable, CustomStringConvertible {
    case tanh, erf, sin, relu, gelu, silu, softplus, linear
    case hardTanh = "hardtanh"
    case sign

    /// A point where φ′ jumps by `jump`.
    public struct Kink: Sendable, Equatable {
        public let position: Double
        public let jump: Double
    }

    /// Parses a name, case-insensitively, with a few common aliases (`hard-tanh`, `swish`, `identity`).
    public init?(name: String) {
        let key = name.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        switch key {
        case "swish": self = .silu
        case "identity": self = .linear
        case "step", "sgn": self = .sign
        default:
            guard let a = Activation(rawValue: key) else { return nil }
            self = a
        }
    }

    public var description: String { rawValue }

    /// Points where φ′ is discontinuous (empty for smooth activations).
    public var kinks: [Kink] {
        switch self {
        case .relu: [Kink(position: 0, jump: 1)]
        case .hardTanh: [Kink(position: -1, jump: 1), Kink(position: 1, jump: -1)]
        default: []
        }
    }

    /// Whether φ itself is continuous (all but `sign`).
    public var isContinuous: Bool { self != .sign }

    /// Whether φ is analytic on the real line (so Gauss–Hermite quadrature converges exponentially).
    public var isSmooth: Bool { kinks.isEmpty && isContinuous }

    /// φ(x).
    @inlinable
    public func value(_ x: Double) -> Double {
        switch self {
        case .tanh: Foundation.tanh(x)
        case .erf: Foundation.erf(x)
        case .sin: Foundation.sin(x)
        case .relu: x > 0 ? x : 0
        case .gelu: 0.5 * x * Foundation.erfc(-x * 0.7071067811865476)
        case .silu: x * Activation.sigmoid(x)
        case .softplus: x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
        case .linear: x
        case .hardTanh: min(1, max(-1, x))
        case .sign: x > 0 ? 1 : (x < 0 ? -1 : 0)
        }
    }

    /// φ′(x) (for kinked activations, the one-sided value at a kink is the right limit... of
    /// measure zero for every expectation computed here).
    @inlinable
    public func derivative(_ x: Double) -> Double {
        switch self {
        case .tanh:
            let t = Foundation.tanh(x)
            return 1 - t * t
        case .erf: return 1.1283791670955126 * exp(-x * x)
        case .sin: return cos(x)
        case .relu: return x > 0 ? 1 : 0
        case .gelu: return 0.5 * Foundation.erfc(-x * 0.7071067811865476) + x * Activation.normalDensity(x)
        case .silu:
            let s = Activation.sigmoid(x)
            return s * (1 + x * (1 - s))
        case .softplus: return Activation.sigmoid(x)
        case .linear: return 1
        case .hardTanh: return abs(x) < 1 ? 1 : 0
        case .sign: return 0
        }
    }

    /// φ″(x); for ReLU and hard-tanh the regular part only (zero), without the Dirac deltas.
    @inlinable
    public func secondDerivative(_ x: Double) -> Double {
        switch self {
        case .tanh:
            let t = Foundation.tanh(x)
            return -2 * t * (1 - t * t)
        case .erf: return -2 * x * 1.1283791670955126 * exp(-x * x)
        case .sin: return -Foundation.sin(x)
        case .relu, .linear, .hardTanh, .sign: return 0
        case .gelu: return Activation.normalDensity(x) * (2 - x * x)
        case .silu:
            let s = Activation.sigmoid(x)
            return s * (1 - s) * (2 + x * (1 - 2 * s))
        case .softplus:
            let s = Activation.sigmoid(x)
            return s * (1 - s)
        }
    }

    /// φ(v + d/2) − φ(v − d/2), accurate to a few ulps relative to the result even when |d| ≪ |v|
    /// (no cancellation): identities for tanh and sin, exact branches for the piecewise-linear
    /// activations, and ∫ φ′ by 5-point Gauss–Legendre over the interval when |d| < 1/8.
    @inlinable
    public func difference(around v: Double, by d: Double) -> Double {
        let a = v + 0.5 * d, b = v - 0.5 * d
        switch self {
        case .tanh:
            // tanh a − tanh b = tanh(a − b) (1 − tanh a tanh b)
            return Foundation.tanh(d) * (1 - Foundation.tanh(a) * Foundation.tanh(b))
        case .sin:
            return 2 * cos(v) * Foundation.sin(0.5 * d)
        case .linear:
            return d
        case .relu:
            if a > 0 && b > 0 { return d }
            if a <= 0 && b <= 0 { return 0 }
            return max(a, 0) - max(b, 0)
        case .hardTanh:
            if abs(a) < 1 && abs(b) < 1 { return d }
            if (a >= 1 && b >= 1) || (a <= -1 && b <= -1) { return 0 }
            return value(a) - value(b)
        case .sign:
            return value(a) - value(b)
        case .erf, .gelu, .silu, .softplus:
            guard abs(d) < 0.125 else { return value(a) - value(b) }
            let h = 0.5 * d
            var sum = 0.5688888888888889 * derivative(v)
            sum += 0.47862867049936647 * (derivative(v + 0.5384693101056831 * h) + derivative(v - 0.5384693101056831 * h))
            sum += 0.23692688505618908 * (derivative(v + 0.9061798459386640 * h) + derivative(v - 0.9061798459386640 * h))
            return h * sum
        }
    }

    /// The logistic function 1/(1 + e^{−x}), without overflow.
    @inlinable
    static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    /// The standard normal density.
    @inlinable
    static func normalDensity(_ x: Double) -> Double { 0.3989422804014327 * exp(-0.5 * x * x) }
}
