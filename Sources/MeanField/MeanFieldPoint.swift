import CriticalityCore
import Foundation

/// Phase of an infinitely wide network.
public enum Phase: String, Sendable {
    /// χ₁ < 1: nearby inputs converge, c* = 1 (the absorbing state).
    case ordered
    /// χ₁ = 1 within ``MeanFieldPoint/criticalTolerance``: the edge of chaos.
    case critical
    /// χ₁ > 1: nearby inputs separate, c* < 1.
    case chaotic
}

/// The mean-field quantities at one (activation, σ_w, σ_b).
///
///     χ₁ = σ_w² E[φ′(√q* z)²],   λ = ½ ln χ₁,   χ_c = σ_w² E[φ′(u₁)φ′(u₂)] at c*,
///     ξ_c = −1/ln χ_c,   κ = f″(1)/2 = σ_w² q* E[φ″(√q* z)²]/2,
///
/// so that near the absorbing state ρ′ = χ₁ ρ − κ ρ² + O(ρ³) and, at criticality, ρ_l ≈ 1/(κ l).
/// For ReLU and hard-tanh κ = ∞ and instead ρ′ = χ₁ ρ − κ_{3/2} ρ^{3/2} + …, with
/// κ_{3/2} = (2/3) σ_w² √(q*/π) Σ_j Δ_j² p_{q*}(x_j) (Δ_j: jump of φ′ at the kink x_j), so that at
/// criticality ρ_l ≈ 4/(κ_{3/2} l)².
public struct MeanFieldPoint: Sendable, Equatable {
    public let activation: Activation
    public let sigmaW: Double
    public let sigmaB: Double
    /// Fixed point q* of the length map.
    public let qStar: Double
    /// Fixed point ρ* = 1 − c* of the correlation map (0 in the ordered phase).
    public let rhoStar: Double
    public let chi1: Double
    /// Slope of the correlation map at its stable fixed point c*.
    public let chiC: Double
    /// Metric factor f″(1)/2 (∞ for kinked activations).
    public let kappa: Double
    /// Coefficient of ρ^{3/2} in the correlation map (0 for smooth activations).
    public let kappaThreeHalves: Double

    /// |χ₁ − 1| below which a point counts as critical.
    public static let criticalTolerance = 1e-9

    public var cStar: Double { 1 - rhoStar }
    /// Maximal Lyapunov exponent of the infinite-width network, ½ ln χ₁.
    public var lyapunov: Double { 0.5 * log(chi1) }
    /// Correlation depth ξ_c = −1/ln χ_c (∞ at criticality).
    public var correlationDepth: Double {
        if chiC >= 1 || abs(chiC - 1) <= Self.criticalTolerance { return .infinity }
        return chiC > 0 ? -1 / log(chiC) : 0
    }
    public var phase: Phase {
        if abs(chi1 - 1) <= Self.criticalTolerance { return .critical }
        return chi1 < 1 ? .ordered : .chaotic
    }

    /// The critical decay ρ_l at large l: 1/(κ l) for smooth φ, 4/(κ_{3/2} l)² for kinked φ.
    public func criticalAsymptote(depth l: Double) -> Double {
        if kappa.isFinite { return kappa > 0 ? 1 / (kappa * l) : .infinity }
        return 4 / (kappaThreeHalves * kappaThreeHalves * l * l)
    }

    /// Column names of ``tableRow``, snake_case.
    public static let tableColumns = [
        "activation", "sigma_w", "sigma_b", "phase", "q_star", "c_star", "rho_star", "chi1", "chi_c",
        "xi_c", "lyapunov", "kappa", "kappa_3_2",
    ]

    /// One row of a tidy table (∞ written as `inf` in CSV, `null` in JSON).
    public var tableRow: [Table.Cell] {
        [.text(activation.rawValue), .number(sigmaW), .number(sigmaB), .text(phase.rawValue),
         .number(qStar), .number(cStar), .number(rhoStar), .number(chi1), .number(chiC),
         .number(correlationDepth), .number(lyapunov), .number(kappa), .number(kappaThreeHalves)]
    }

    /// A JSON object with the same keys as ``tableColumns``.
    public var json: JSONValue {
        .object(zip(Self.tableColumns, tableRow).map { JSONValue.Field($0, Table.jsonValue($1)) })
    }
}
