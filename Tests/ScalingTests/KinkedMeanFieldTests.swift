import Foundation
import MeanField
import Testing
@testable import Scaling

/// The kinked mean-field class against the tool's own mean-field maps: ReLU and hard-tanh networks,
/// whose ρ-map starts ρ′ = χ₁ρ − κ₃/₂ ρ^{3/2}.
@Suite struct KinkedMeanFieldTests {
    @Test("ReLU at criticality (sigma_b = 0, sigma_w = sqrt 2): rho ~ 4/(kappa_3/2 l)^2, delta = 2, verdict kinked mean field")
    func reluDecay() throws {
        let network = try MeanFieldNetwork(activation: .relu, sigmaW: 2.0.squareRoot(), sigmaB: 0)
        let trajectory = try Trajectory(network: network, q0: 1, rho0: 1, depth: 20_000)
        let kappa = 2 * 2.0.squareRoot() / (3 * Double.pi)
        // The amplitude: (kappa l)^2 rho / 4 -> 1, with a correction that falls like ln l / l.
        let l = 20_000.0
        let amplitude = kappa * kappa * l * l * trajectory.rho[19_999] / 4
        #expect(abs(amplitude - 1) < 0.01, "amplitude \(amplitude)")
        // The exponent from the tool's fit on the last five octaves, and the verdict it gives.
        let depths = (1...20_000).map(Double.init)
        let curve = Curve(label: "relu", t: depths, y: Array(trajectory.rho.prefix(20_000)))
        let estimate = try SlopeEstimate.estimate(curve, replicates: 0)
        // δ_eff approaches 2 from below, with a correction of order ln l / l (0.01 on l = 625…20000).
        #expect(abs(-estimate.slope - 2) < 0.015, "delta = \(-estimate.slope)")
        #expect(abs(-estimate.late - 2) < abs(-estimate.early - 2))
        let verdict = Verdict(exponents: ["delta": .init(value: -estimate.slope, error: 0.03 * 2)])
        #expect(verdict.universality == .meanFieldKinked, "\(verdict.summary)")
    }

    @Test("hard-tanh above its critical point: rho* ~ ((chi1 - 1)/kappa_3/2)^2, so beta = 2")
    func hardTanhBeta() throws {
        let sigmaB = 0.3
        let critical = try CriticalLine.sigmaWCritical(activation: .hardTanh, sigmaB: sigmaB)
        var x: [Double] = [], y: [Double] = [], amplitude: [Double] = []
        for epsilon in [1e-4, 2e-4, 4e-4, 8e-4, 1.6e-3] {
            let p = try MeanFieldNetwork(activation: .hardTanh, sigmaW: critical * (1 + epsilon), sigmaB: sigmaB).point()
            #expect(p.chi1 > 1 && p.rhoStar > 0)
            x.append(log(p.chi1 - 1)); y.append(log(p.rhoStar))
            amplitude.append(p.rhoStar / pow((p.chi1 - 1) / p.kappaThreeHalves, 2))
        }
        let beta = try #require(LeastSquares.line(x: x, y: y)).slope
        #expect(abs(beta - 2) < 0.02, "beta = \(beta)")
        #expect(amplitude.allSatisfy { abs($0 - 1) < 0.05 }, "\(amplitude)")
        #expect(UniversalityClass.meanFieldKinked.exponents["beta"] == 2)
    }
}
