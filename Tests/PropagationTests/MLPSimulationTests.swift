import CriticalityCore
import MeanField
import Propagation
import Testing

/// Finite-width MLP sampling: the exact sampler against explicit weights, against the mean-field
/// theory, in the deep tail (ρ ≪ 10⁻¹²), and reproducibility over thread counts.
@Suite struct MLPSimulationTests {
    static let sigmaWc = 1.3955839752150887  // tanh, σ_b = 0.3

    func run(_ method: PropagationMethod, width: Int, depth: Int, samples: Int, seed: UInt64,
             sigmaW: Double = sigmaWc, activation: Activation = .tanh, sigmaB: Double = 0.3,
             rho0: Double = 1, threads: Int = 2) throws -> MLPSeries {
        let config = MLPConfiguration(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB, width: width,
                                      depth: depth, method: method)
        return try MLPSimulation.run(config, inputs: .synthetic(dimension: width, q0: 1, rho0: rho0),
                                     samples: samples, seed: seed, threads: threads)
    }

    /// |a − b| in units of the combined standard error.
    func separation(_ a: RunningMoments, _ b: RunningMoments) -> Double {
        abs(a.mean - b.mean) / (a.standardError * a.standardError + b.standardError * b.standardError).squareRoot()
    }

    /// Must show: exact and explicit agree at depths 1, 10, 100 and 400 within 4 combined
    /// standard errors (n = 64, 300 realisations each, independent seeds).
    @Test func exactAgreesWithExplicitWeights() throws {
        let exact = try run(.exact, width: 64, depth: 400, samples: 300, seed: 11)
        let explicit = try run(.explicit, width: 64, depth: 400, samples: 300, seed: 12)
        for l in [1, 10, 100, 400] {
            #expect(separation(exact.rho[l - 1], explicit.rho[l - 1]) < 4, "rho at l = \(l)")
            #expect(separation(exact.q[l - 1], explicit.q[l - 1]) < 4, "q at l = \(l)")
        }
    }

    /// Also for a kinked activation through the scalar and ReLU kernels.
    @Test(arguments: [Activation.relu, .erf])
    func exactAgreesWithExplicitForOtherActivations(_ activation: Activation) throws {
        let w = activation == .relu ? 2.0.squareRoot() : 1.3
        let exact = try run(.exact, width: 48, depth: 30, samples: 200, seed: 21, sigmaW: w, activation: activation, sigmaB: 0.1)
        let explicit = try run(.explicit, width: 48, depth: 30, samples: 200, seed: 22, sigmaW: w, activation: activation, sigmaB: 0.1)
        for l in [1, 5, 30] {
            #expect(separation(exact.rho[l - 1], explicit.rho[l - 1]) < 4, "\(activation) rho at l = \(l)")
        }
    }

    /// Must show: at n = 4096 and criticality, ρ(l) follows the mean-field trajectory within
    /// 4 standard errors for l ≤ 100.
    @Test func wideNetworkFollowsMeanField() throws {
        let series = try run(.exact, width: 4096, depth: 100, samples: 48, seed: 5)
        let network = try MeanFieldNetwork(activation: .tanh, sigmaW: Self.sigmaWc, sigmaB: 0.3)
        let theory = try Trajectory(network: network, q0: 1, rho0: 1, depth: 100)
        for l in [1, 2, 5, 10, 20, 50, 100] {
            let m = series.rho[l - 1]
            #expect(abs(m.mean - theory.rho[l - 1]) < 4 * m.standardError, "l = \(l): \(m.mean) vs \(theory.rho[l - 1]) ± \(m.standardError)")
        }
    }

    /// ρ far below 10⁻¹²: the map is smooth, so for ρ₀ → 0 every ρ^l is ρ₀ times a limit
    /// independent of ρ₀ (same seed, same weights). Cancellation would destroy this at ρ₀ = 10⁻³⁰.
    @Test(arguments: [PropagationMethod.exact, .explicit], [Activation.tanh, .linear])
    func tinyRhoIsAccurate(_ method: PropagationMethod, _ activation: Activation) throws {
        let w = activation == .linear ? 1.0 : Self.sigmaWc
        let a = try run(method, width: 32, depth: 60, samples: 8, seed: 3, sigmaW: w, activation: activation, rho0: 1e-30, threads: 1)
        let b = try run(method, width: 32, depth: 60, samples: 8, seed: 3, sigmaW: w, activation: activation, rho0: 1e-22, threads: 1)
        for l in [1, 10, 60] {
            let ratioA = a.rho[l - 1].mean / 1e-30, ratioB = b.rho[l - 1].mean / 1e-22
            #expect(ratioA > 0)
            #expect(abs(ratioA / ratioB - 1) < 1e-6, "\(method) \(activation) l = \(l): \(ratioA) vs \(ratioB)")
        }
    }

    /// Ordered phase: the signals become bitwise identical (absorbed) while ρ keeps decaying,
    /// non-negative; chaotic phase: never absorbed.
    @Test func absorbedFraction() throws {
        let ordered = try run(.exact, width: 64, depth: 400, samples: 16, seed: 9, sigmaW: 0.6)
        #expect(ordered.absorbedFraction(1) == 0)
        #expect(ordered.absorbedFraction(400) == 1)
        #expect(ordered.rho.allSatisfy { $0.mean >= 0 })
        #expect(ordered.rho[399].mean < 1e-40)
        let chaotic = try run(.exact, width: 64, depth: 200, samples: 16, seed: 9, sigmaW: 2.5)
        #expect(chaotic.absorbedFraction(200) == 0)
    }

    /// Same seed, any thread count: bitwise identical results.
    @Test func reproducibleOverThreadCounts() throws {
        for method in PropagationMethod.allCases {
            let one = try run(method, width: 40, depth: 20, samples: 37, seed: 4, threads: 1)
            let three = try run(method, width: 40, depth: 20, samples: 37, seed: 4, threads: 3)
            #expect(one.rho == three.rho)
            #expect(one.q == three.q)
            #expect(one.absorbed == three.absorbed)
        }
    }

    /// Finite-width scaling at criticality: n ρ(l; n) depends on l/n only (n = 64 and 128,
    /// l/n ∈ {1/4, 1, 2}), within 4 combined standard errors.
    @Test func finiteWidthCollapse() throws {
        let small = try run(.exact, width: 64, depth: 128, samples: 600, seed: 31)
        let large = try run(.exact, width: 128, depth: 256, samples: 600, seed: 32)
        for x in [0.25, 1.0, 2.0] {
            let ls = Int(x * 64), ll = Int(x * 128)
            var a = small.rho[ls - 1], b = large.rho[ll - 1]
            a = scaled(a, by: 64); b = scaled(b, by: 128)
            #expect(separation(a, b) < 4, "l/n = \(x): \(a.mean) ± \(a.standardError) vs \(b.mean) ± \(b.standardError)")
        }
    }

    func scaled(_ m: RunningMoments, by factor: Double) -> RunningMoments {
        var out = m
        out.mean *= factor
        out.m2 *= factor * factor
        return out
    }

    @Test func rejectsBadParameters() {
        #expect(throws: PropagationError.self) { try run(.exact, width: 0, depth: 5, samples: 2, seed: 1) }
        #expect(throws: PropagationError.self) { try run(.exact, width: 4, depth: 5, samples: 0, seed: 1) }
        #expect(throws: PropagationError.self) { try run(.exact, width: 4, depth: 5, samples: 2, seed: 1, sigmaW: .nan) }
    }
}
