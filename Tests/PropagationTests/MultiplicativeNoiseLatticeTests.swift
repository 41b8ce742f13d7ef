import CriticalityCore
import Foundation
import Propagation
import Testing

/// The multiplicative-noise lattice (docs/models.md, "The multiplicative-noise lattice") against the
/// linear update it is in h = −ln w, the annealed growth its average obeys far from the wall, and
/// its Lyapunov exponent.
@Suite struct MultiplicativeNoiseLatticeTests {
    /// The chain written plainly in w, drawing the Gaussians in the same order (site by site, layer by layer).
    func reference(_ c: MultiplicativeNoiseLatticeConfiguration, key: StreamKey) -> [Double] {
        var rng = Xoshiro256(key: key)
        var w = [Double](repeating: 1, count: c.size), rho: [Double] = []
        for _ in 0..<c.depth {
            var next = w
            for x in 0..<c.size {
                let avg = (1 - c.coupling) * w[x] + 0.5 * c.coupling * (w[(x + c.size - 1) % c.size] + w[(x + 1) % c.size])
                let v = min(1, exp(c.mu + c.noise * rng.nextGaussian()) * avg)
                next[x] = v < c.cutoff ? 0 : v
            }
            w = next
            rho.append(w.reduce(0, +) / Double(c.size))
        }
        return rho
    }

    @Test("the log-space chain is the linear update min(1, e^(mu + sigma xi) avg w), to rounding, with and without a cutoff")
    func logSpace() throws {
        for (mu, sigma, eps, cutoff) in [(-0.43, 1.0, 0.5, 0.0), (0.2, 0.3, 1.0, 0.0), (-1.5, 2.0, 0.1, 0.0), (-0.43, 1.0, 0.5, 1e-3),
                                         (-0.1, 0.5, 0.3, 0.05)] {
            let c = MultiplicativeNoiseLatticeConfiguration(mu: mu, noise: sigma, coupling: eps, size: 17, depth: 60, cutoff: cutoff)
            try c.validate()
            let key = StreamKey(seed: 4, realisation: 2)
            let got = MultiplicativeNoiseLattice.realisation(c, key: key).rho, want = reference(c, key: key)
            for l in 0..<c.depth {
                #expect(got[l] == want[l] || abs(got[l] / want[l] - 1) < 1e-12, "mu \(mu) layer \(l + 1): \(got[l]) vs \(want[l])")
            }
        }
    }

    @Test("far below the wall <rho> grows by exactly e^(mu + sigma^2/2) per layer, ln rho by mu + lambda0")
    func annealedAndQuenched() {
        let sigma = 0.5, eps = 0.5, mu = -1.0, size = 64
        let c = MultiplicativeNoiseLatticeConfiguration(mu: mu, noise: sigma, coupling: eps, size: size, depth: 60)
        let s = MultiplicativeNoiseLattice.run(c, samples: 4000, seed: 7, threads: 2)
        // Once no site can reach w = 1 (w e^{μ+σξ} > 1 needs ξ > 2 at layer 1, ξ > 4 by layer 3), the
        // map is linear and E Σw′ = e^{μ+σ²/2} Σw exactly. The log of the ratio of ⟨ρ⟩ over 30 layers
        // has a relative standard error of at most the sum of the two; 4 of them.
        let a = s.rho[19], b = s.rho[49]
        let measured = log(b.value / a.value) / 30, expected = mu + sigma * sigma / 2
        let tolerance = 4 * (a.standardError / a.value + b.standardError / b.value) / 30
        #expect(abs(measured - expected) < tolerance, "\(measured) vs \(expected) ± \(tolerance)")
        // ⟨ln ρ⟩ grows by μ + λ₀(S) per layer, λ₀ measured on the free chain of the same size
        // (4 standard errors of each, plus 0.005 for the transient of the free energy at l = 20…50).
        let ly = MultiplicativeNoiseLattice.lyapunov(noise: sigma, coupling: eps, size: size, depth: 50, burnIn: 20, samples: 4000,
                                                     seed: 7, threads: 2)
        let typical = (s.logRho[49].value - s.logRho[19].value) / 30
        let spread = 4 * ((s.logRho[49].standardError + s.logRho[19].standardError) / 30 + ly.error) + 0.005
        #expect(abs(typical - (mu + ly.lambda0)) < spread, "\(typical) vs \(mu + ly.lambda0) ± \(spread)")
        // Jensen: the quenched rate lies below the annealed one, and the chain's coupling keeps it above 0.
        #expect(ly.lambda0 > 0 && ly.lambda0 < sigma * sigma / 2, "\(ly.lambda0)")
    }

    @Test("with a cutoff far below the transition every realisation is absorbed and stays so")
    func absorbed() {
        let c = MultiplicativeNoiseLatticeConfiguration(mu: -1, noise: 0.5, coupling: 0.5, size: 32, depth: 200, cutoff: 1e-3)
        let s = MultiplicativeNoiseLattice.run(c, samples: 64, seed: 5, threads: 2)
        #expect(s.survivors[199] == 0 && s.rho[199].value == 0 && s.survivors[0] == 64)
    }

    @Test("the same numbers on any thread count; invalid parameters refused")
    func reproducibleAndChecked() {
        let c = MultiplicativeNoiseLatticeConfiguration(mu: -0.4, noise: 1, coupling: 0.5, size: 32, depth: 100)
        let a = MultiplicativeNoiseLattice.run(c, samples: 130, seed: 3, threads: 1)
        let b = MultiplicativeNoiseLattice.run(c, samples: 130, seed: 3, threads: 2)
        #expect(a.rho.map(\.value) == b.rho.map(\.value) && a.logRho.map(\.value) == b.logRho.map(\.value))
        for bad in [MultiplicativeNoiseLatticeConfiguration(mu: .nan, noise: 1, coupling: 0.5, size: 8, depth: 10),
                    MultiplicativeNoiseLatticeConfiguration(mu: 0, noise: 0, coupling: 0.5, size: 8, depth: 10),
                    MultiplicativeNoiseLatticeConfiguration(mu: 0, noise: 1, coupling: 1.5, size: 8, depth: 10),
                    MultiplicativeNoiseLatticeConfiguration(mu: 0, noise: 1, coupling: 0.5, size: 2, depth: 10),
                    MultiplicativeNoiseLatticeConfiguration(mu: 0, noise: 1, coupling: 0.5, size: 8, depth: 0),
                    MultiplicativeNoiseLatticeConfiguration(mu: 0, noise: 1, coupling: 0.5, size: 8, depth: 10, cutoff: 1)] {
            #expect(throws: PropagationError.self) { try bad.validate() }
        }
    }
}
