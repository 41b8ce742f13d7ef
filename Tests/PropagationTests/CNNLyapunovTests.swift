import CriticalityCore
import Foundation
import Propagation
import Testing

/// The replica Lyapunov exponent of a CNN against cases with exact answers (docs/models.md,
/// "Replica Lyapunov exponent").
@Suite struct CNNLyapunovTests {
    @Test("C = 1, K = 1, linear: lambda = E ln|w| = ln sigma_w - (gamma + ln 2)/2 exactly")
    func scalarLinear() {
        for sigmaW in [0.7, 1.0, 1.6] {
            var c = CNNConfiguration(activation: .linear, sigmaW: sigmaW, sigmaB: 0.3, dim: 1, size: 8, channels: 1, kernel: 1,
                                     depth: 400, start: .homogeneous)
            c.untied = false
            let (lambda, error) = CNNLyapunov.point(c, samples: 64, seed: 2, burnIn: 0, threads: 2)
            let exact = log(sigmaW) - (0.5772156649015329 + log(2.0)) / 2
            // E ln|w| over 400 × 64 independent layers: the standard error is about 1.1/√25600.
            #expect(abs(lambda - exact) < 4 * error && error < 0.01, "\(sigmaW): \(lambda) ± \(error) vs \(exact)")
        }
    }

    @Test("the same numbers on any thread count; untied and tied runs are both finite")
    func reproducible() {
        var c = CNNConfiguration(activation: .tanh, sigmaW: 1.5, sigmaB: 0.3, dim: 1, size: 16, channels: 4, kernel: 3,
                                 depth: 60, start: .homogeneous)
        let a = CNNLyapunov.point(c, samples: 6, seed: 4, burnIn: 10, threads: 1)
        let b = CNNLyapunov.point(c, samples: 6, seed: 4, burnIn: 10, threads: 2)
        #expect(a.lambda == b.lambda && a.error == b.error && a.lambda.isFinite)
        c.untied = true
        #expect(CNNLyapunov.point(c, samples: 4, seed: 4, burnIn: 10, threads: 2).lambda.isFinite)
    }
}

/// The finite-precision cutoff: a local absorbing state (docs/models.md, "Finite-precision cutoff").
@Suite struct CNNCutoffTests {
    @Test("cutoff 0 changes nothing; a cutoff absorbs an ordered run in finite depth, and sites below it count as rho_x = 0")
    func cutoff() throws {
        var c = CNNConfiguration(activation: .tanh, sigmaW: 1.0, sigmaB: 0.3, dim: 1, size: 16, channels: 4, kernel: 3,
                                 depth: 400, start: .homogeneous)
        let key = StreamKey(seed: 7, realisation: 3)
        let plain = runCNNRealisation(c, key: key, recordField: false)
        c.cutoff = 0
        #expect(runCNNRealisation(c, key: key, recordField: false).rho == plain.rho)
        // Ordered phase: ρ decays exponentially; the cutoff absorbs the run far earlier than double
        // precision does (ρ_x ~ 1e-32 for bitwise agreement).
        c.cutoff = 1e-4
        let cut = runCNNRealisation(c, key: key, recordField: false)
        let absorbed = try #require(cut.active.firstIndex(of: 0))
        #expect(absorbed < (plain.active.firstIndex(of: 0) ?? plain.active.count) - 10)
        #expect(plain.rho[absorbed] > 0)
        #expect(cut.rho[absorbed...].allSatisfy { $0 == 0 } && cut.active[absorbed...].allSatisfy { $0 == 0 })
        // Before absorption every counted site is above the cutoff: the mean is 0 or at least cutoff / sites.
        #expect(cut.rho[..<absorbed].allSatisfy { $0 == 0 || $0 >= 1e-4 / 16 })
        c.cutoff = 1
        #expect(throws: PropagationError.self) { try c.validate() }
    }

    @Test("float32 storage quantises the difference: no site has 0 < rho_x < 1e-18, where double precision goes below 1e-25")
    func float32() throws {
        var c = CNNConfiguration(activation: .tanh, sigmaW: 0.8, sigmaB: 0.3, dim: 1, size: 16, channels: 4, kernel: 3,
                                 depth: 200, start: .homogeneous)
        let key = StreamKey(seed: 7, realisation: 3)
        let plain = try #require(runCNNRealisation(c, key: key, recordField: true).field)
        c.float32 = true
        let single = runCNNRealisation(c, key: key, recordField: true)
        let field = try #require(single.field)
        // The first layers agree with double precision to float32's resolution.
        let reference = runCNNRealisation(CNNConfiguration(activation: .tanh, sigmaW: 0.8, sigmaB: 0.3, dim: 1, size: 16, channels: 4,
                                                           kernel: 3, depth: 200, start: .homogeneous), key: key, recordField: false)
        for l in 0..<3 { #expect(abs(single.rho[l] / reference.rho[l] - 1) < 1e-5, "layer \(l + 1)") }
        // A difference is either 0 or at least one float32 step of some channel: ρ_x ≳ (2^-24)² / C.
        let smallest = field.values.filter { $0 > 0 }.min() ?? 1, smallestDouble = plain.values.filter { $0 > 0 }.min() ?? 1
        #expect(smallest > 1e-18 && smallestDouble < 1e-25, "\(smallest) \(smallestDouble)")
    }
}
