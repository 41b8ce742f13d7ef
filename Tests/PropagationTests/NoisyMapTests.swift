import CriticalityCore
import Foundation
import Propagation
import Testing

/// The noisy map against the reflected random walk it becomes far below the wall
/// (docs/models.md, "The noisy map"): −⟨ln ρ⟩ grows as σ√(2l/π), sd(ln ρ) as σ√((1 − 2/π) l).
@Suite struct NoisyMapTests {
    @Test("mu = 0, sigma = 0.5: <ln rho> and sd(ln rho) of the reflected walk, <rho> ~ l^-1/2")
    func temporalNoise() throws {
        let sigma = 0.5, n = 8192
        let c = NoisyMapConfiguration(mu: 0, noise: sigma, depth: 4096)
        try c.validate()
        let s = NoisyMap.run(c, samples: n, seed: 3, threads: 2)
        // The growth of −⟨ln ρ⟩ from l = 1024 to 4096 is σ√(2/π)(64 − 32) for the walk; the offset
        // near the wall cancels. Tolerance: 4 standard errors of the two means, plus 2% for the
        // walk's O(l^{-1/2}) corrections.
        let lo = s.logRho[1023], hi = s.logRho[4095]
        let growth = lo.value - hi.value, expected = sigma * (2 / Double.pi).squareRoot() * 32
        #expect(abs(growth - expected) < 4 * (lo.standardError + hi.standardError) + 0.02 * expected, "\(growth) vs \(expected)")
        // sd(ln ρ)/√l → σ√(1 − 2/π); the estimate's relative error is about 1/√(2N) (1%), so 4%.
        let sd = hi.variance.squareRoot() / 64
        let sdExpected = sigma * (1 - 2 / Double.pi).squareRoot()
        #expect(abs(sd / sdExpected - 1) < 0.04, "\(sd) vs \(sdExpected)")
        // ⟨ρ⟩ falls by about √4 = 2 from 1024 to 4096 (δ = 1/2; corrections keep it within 15%).
        let ratio = s.rho[1023].value / s.rho[4095].value
        #expect(abs(ratio / 2 - 1) < 0.15, "\(ratio)")
    }

    @Test("sigma = 0: clean mean field, rho l / 2 -> 1; the same numbers on any thread count")
    func clean() {
        let c = NoisyMapConfiguration(mu: 0, noise: 0, depth: 20000)
        let s = NoisyMap.run(c, samples: 4, seed: 1, threads: 1)
        // ρ′ = ρ − ρ²/2 gives 1/ρ_l = 1/ρ_0 + l/2 + O(ln l): ρ l / 2 → 1 with a correction of order ln l / l.
        #expect(abs(s.rho[19999].value * 20000 / 2 - 1) < 0.002)
        let noisy = NoisyMapConfiguration(mu: 0.01, noise: 0.3, depth: 300)
        let a = NoisyMap.run(noisy, samples: 300, seed: 9, threads: 1), b = NoisyMap.run(noisy, samples: 300, seed: 9, threads: 2)
        #expect(a.rho.map(\.value) == b.rho.map(\.value) && a.logRho.map(\.value) == b.logRho.map(\.value))
    }

    @Test("invalid parameters are refused with their names")
    func invalid() {
        for c in [NoisyMapConfiguration(mu: .nan, noise: 1, depth: 10), NoisyMapConfiguration(mu: 0, noise: -1, depth: 10),
                  NoisyMapConfiguration(mu: 0, noise: 1, rho0: 0, depth: 10), NoisyMapConfiguration(mu: 0, noise: 1, depth: 0)] {
            #expect(throws: PropagationError.self) { try c.validate() }
        }
    }
}
