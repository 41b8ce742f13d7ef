import CriticalityCore
import MeanField
import Propagation
import Testing

/// Finite-width Lyapunov exponents against the mean-field ½ ln χ₁.
@Suite struct LyapunovTests {
    func config(width: Int, depth: Int, method: PropagationMethod = .exact) -> MLPConfiguration {
        MLPConfiguration(activation: .tanh, sigmaW: 1, sigmaB: 0.3, width: width, depth: depth, method: method, tangent: true)
    }

    /// Must show: at large n, λ → ½ ln χ₁ within error at σ_w = 1.2 and 1.6 (σ_b = 0.3, tanh).
    @Test(arguments: [1.2, 1.6])
    func wideNetworkMatchesMeanField(_ sigmaW: Double) throws {
        let p = try LyapunovScan.point(config(width: 4096, depth: 120), sigmaW: sigmaW, inputs: .synthetic(dimension: 4096, q0: 1, rho0: 1),
                                       samples: 24, seed: 2, burnIn: 20)
        #expect(abs(p.lambda - p.meanField) < 4 * p.lambdaError, "λ = \(p.lambda) ± \(p.lambdaError), mean field \(p.meanField)")
    }

    /// The exact and explicit methods give the same λ at n = 48.
    @Test func exactAgreesWithExplicit() throws {
        let inputs = InputPairs.synthetic(dimension: 48, q0: 1, rho0: 1)
        let a = try LyapunovScan.point(config(width: 48, depth: 60), sigmaW: 1.5, inputs: inputs, samples: 200, seed: 1, burnIn: 10)
        let b = try LyapunovScan.point(config(width: 48, depth: 60, method: .explicit), sigmaW: 1.5, inputs: inputs,
                                       samples: 200, seed: 2, burnIn: 10)
        let combined = (a.lambdaError * a.lambdaError + b.lambdaError * b.lambdaError).squareRoot()
        #expect(abs(a.lambda - b.lambda) < 4 * combined)
    }

    /// The finite-width boundary lies near the mean-field σ_w,c and carries a finite error.
    @Test func boundaryIsLocated() throws {
        let c = config(width: 512, depth: 80)
        let inputs = InputPairs.synthetic(dimension: 512, q0: 1, rho0: 1)
        let points = try [1.2, 1.3, 1.4, 1.5, 1.6].map {
            try LyapunovScan.point(c, sigmaW: $0, inputs: inputs, samples: 16, seed: 3, burnIn: 20)
        }
        let root = try #require(try LyapunovScan.root(of: points, c, inputs: inputs, samples: 16, seed: 3, burnIn: 20))
        #expect(root.error > 0 && root.error < 0.05)
        #expect(abs(root.sigmaW - 1.3955839752) < 0.05)
        #expect(abs(root.lambdaAtRoot) < 4 * root.lambdaErrorAtRoot + 1e-3)
    }
}
