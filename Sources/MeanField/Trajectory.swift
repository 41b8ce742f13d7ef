import CriticalityCore
import Foundation

/// The infinite-width signal trajectory: q^l and ρ^l layer by layer from an input pair.
///
/// The first layer acts on the input itself (h¹ = W¹x + b¹, as in the finite-width simulators):
///
///     q¹ = σ_w² q₀ + σ_b²,   ρ¹ = σ_w² q₀ ρ₀ / q¹,
///
/// then (q^{l+1}, ρ^{l+1}) = ``MeanFieldNetwork/step(q:rho:)``(q^l, ρ^l).
public struct Trajectory: Sendable {
    /// Layer indices 1…L.
    public let depths: [Int]
    public let q: [Double]
    public let rho: [Double]

    /// - Complexity: L two-dimensional quadratures.
    public init(network: MeanFieldNetwork, q0: Double = 1, rho0: Double = 1, depth: Int) throws {
        try requireParameter("q0", q0, strict: true)
        guard rho0.isFinite, rho0 >= 0, rho0 <= 2 else {
            throw MeanFieldError.invalidParameter(name: "rho0", value: rho0, requirement: "must lie in [0, 2]")
        }
        guard depth >= 1 else {
            throw MeanFieldError.invalidParameter(name: "depth", value: Double(depth), requirement: "must be >= 1")
        }
        let s2 = network.sigmaW * network.sigmaW
        var ql = s2 * q0 + network.sigmaB * network.sigmaB
        var rl = ql > 0 ? s2 * q0 * rho0 / ql : rho0
        var qs = [ql], rs = [rl]
        qs.reserveCapacity(depth)
        rs.reserveCapacity(depth)
        for _ in 1..<depth {
            (ql, rl) = network.step(q: ql, rho: rl)
            if !ql.isFinite {
                throw MeanFieldError.divergentLength(activation: network.activation, sigmaW: network.sigmaW, sigmaB: network.sigmaB)
            }
            qs.append(ql)
            rs.append(rl)
        }
        depths = Array(1...depth)
        q = qs
        rho = rs
    }
}
