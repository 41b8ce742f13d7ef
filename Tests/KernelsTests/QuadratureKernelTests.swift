import Foundation
import MeanField
import Testing
@testable import Kernels

/// The kernel engine's tables against the mean-field engine's own high-order 2D quadrature,
/// applied pair by pair layer by layer, and the accuracy of ρ far below 1e-16.
@Suite struct QuadratureKernelTests {
    @Test("tanh and sin: NNGP and NTK agree with direct 2D quadrature to 1e-11 relative at depths 1, 10, 40",
          arguments: [(Activation.tanh, 1.3955840, 0.3), (Activation.sin, 1.2626646, 0.3)])
    func directQuadrature(activation: Activation, sigmaW: Double, sigmaB: Double) throws {
        let network = try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB)
        let engine = KernelRecursion(network: network, q0: 1, depth: 40)
        let rho0 = [1e-3, 0.7, 1.6]
        let depths = [1, 10, 40]
        let result = engine.run(rho0: rho0, depths: depths, threads: 1)
        let s2 = sigmaW * sigmaW
        for (p, r0) in rho0.enumerated() {
            var q = s2 + sigmaB * sigmaB, rho = s2 * r0 / q, ntk = q * (1 - rho)
            var direct: [Int: (Double, Double, Double)] = [1: (q, rho, ntk)]
            for l in 1..<40 {
                let h = s2 * network.expectations.derivativeCovariance(q: q, rho: rho)
                let next = network.step(q: q, rho: rho)
                ntk = next.q * (1 - next.rho) + h * ntk
                (q, rho) = (next.q, next.rho)
                direct[l + 1] = (q, rho, ntk)
            }
            for (k, d) in depths.enumerated() {
                let (q, rho, ntk) = direct[d]!
                #expect(abs(result.rho[k][p] - rho) <= 1e-11 * rho, "\(activation) ρ0 = \(r0), depth \(d): ρ \(result.rho[k][p]) vs \(rho)")
                #expect(abs(result.ntk[k][p] - ntk) <= 1e-11 * max(abs(ntk), q), "\(activation) ρ0 = \(r0), depth \(d): Θ")
            }
        }
    }

    @Test("rho stays accurate far below 1e-16: rho^L / rho^0 is the same for rho^0 = 1e-40 and 1e-32 at L = 10^4")
    func tinyRho() throws {
        for activation in [Activation.tanh, .erf, .relu] {
            let sigmaB = activation == .relu ? 0.0 : 0.3
            let sigmaW = try activation == .relu ? 2.0.squareRoot() : CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB)
            let network = try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB)
            let engine = KernelRecursion(network: network, q0: 1, depth: 10_000)
            // (In the linear regime: ReLU's ρ^{3/2} term moves 1e-32 by only 3e-13 over 10⁴ layers.)
            let result = engine.run(rho0: [1e-40, 1e-32], depths: [10_000], threads: 1)
            let a = result.rho[0][0] / 1e-40, b = result.rho[0][1] / 1e-32
            #expect(a > 0 && abs(a - b) <= 1e-10 * b, "\(activation): \(a) vs \(b)")
        }
    }
}
