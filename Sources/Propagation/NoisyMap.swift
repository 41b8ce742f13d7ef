import CriticalityCore
import Foundation

/// The calibration model of temporal noise in mean field (docs/models.md, "The noisy map"): one
/// density per realisation, with a growth rate that fluctuates from layer to layer,
///
///     ρ_{l+1} = min(1, e^{μ + σ ξ_l} ρ_l (1 − ρ_l / 2)),   ξ_l ~ N(0, 1),
///
/// so that ln ρ is a random walk with drift μ below a wall at ln ρ ≈ 0. μ = 0 is the critical
/// point for any σ: with σ = 0 the map is clean mean field (ρ ≈ 2/l, δ = 1); with σ > 0 it is in the
/// temporal-noise mean-field class (⟨ρ⟩ ~ l^{−1/2}, ⟨ln ρ⟩ ~ −σ√(2l/π), sd(ln ρ) ~ σ√((1 − 2/π) l)).
/// A realisation is a whole system whose growth rate the noise shares, as the weights of a CNN
/// are shared by all its sites.
public struct NoisyMapConfiguration: Sendable, Equatable {
    /// The mean log growth rate per layer (the control parameter; critical at 0).
    public var mu: Double
    /// The standard deviation σ of the log growth rate.
    public var noise: Double
    /// The density at layer 0.
    public var rho0: Double
    public var depth: Int

    public init(mu: Double, noise: Double, rho0: Double = 0.5, depth: Int) {
        self.mu = mu
        self.noise = noise
        self.rho0 = rho0
        self.depth = depth
    }

    /// Checks the parameters; the message names what is wrong.
    public func validate() throws {
        guard mu.isFinite, abs(mu) <= 10 else { throw PropagationError.invalidParameter("mu must be finite with |mu| <= 10, got \(mu)") }
        guard noise.isFinite, noise >= 0, noise <= 10 else { throw PropagationError.invalidParameter("noise must be in [0, 10], got \(noise)") }
        guard rho0 > 0, rho0 <= 1 else { throw PropagationError.invalidParameter("rho0 must be in (0, 1], got \(rho0)") }
        guard depth >= 1, depth <= 10_000_000 else { throw PropagationError.invalidParameter("depth must be in 1...10000000, got \(depth)") }
    }
}

public enum NoisyMap {
    /// One realisation: ρ_l for l = 1…depth (`active` is 1 while ρ > 0).
    ///
    /// - Complexity: O(depth).
    public static func realisation(_ c: NoisyMapConfiguration, key: StreamKey) -> LatticeTrace {
        var rng = Xoshiro256(key: key)
        var trace = LatticeTrace(depth: c.depth)
        var rho = c.rho0
        for l in 1...c.depth {
            let growth = Foundation.exp(c.mu + c.noise * rng.nextGaussian())
            rho = min(1, growth * rho * (1 - 0.5 * rho))
            trace.record(layer: l, rho: rho, active: rho > 0 ? 1 : 0, spread: .nan)
        }
        return trace
    }

    /// `samples` realisations, reduced as every lattice run is (the same numbers on any thread count).
    public static func run(_ c: NoisyMapConfiguration, samples: Int, seed: UInt64, threads: Int) -> LatticeSeries {
        LatticeSimulation.run(depth: c.depth, samples: samples, seed: seed, blockSize: max(1, samples / 64), threads: threads,
                              recordField: false) { key, _ in realisation(c, key: key) }
    }
}
