import CriticalityCore
import Foundation
@testable import MeanField
import Testing

@Suite("Mean-field maps and fixed points")
struct MeanFieldTests {
    @Test("tanh at σ_b = 0.3: σ_w,c = 1.39558 and q* = 0.76347 (published values)")
    func tanhCriticalPoint() throws {
        let p = try CriticalLine.point(activation: .tanh, sigmaB: 0.3)
        #expect(abs(p.sigmaW - 1.39558) < 1e-5)
        #expect(abs(p.qStar - 0.76347) < 1e-5)
        #expect(abs(p.chi1 - 1) < 1e-12)
        #expect(p.phase == .critical)
        #expect(p.rhoStar == 0)
        #expect(p.correlationDepth == .infinity)
        #expect(abs(p.lyapunov) < 1e-12)
    }

    @Test("ReLU at σ_b = 0 is critical at σ_w = √2 to 1e-9")
    func reluCriticalPoint() throws {
        let w = try CriticalLine.sigmaWCritical(activation: .relu, sigmaB: 0)
        #expect(abs(w - 2.0.squareRoot()) < 1e-9 * 2.0.squareRoot())
        // and the critical ρ^{3/2} coefficient of the arc-cosine kernel: 2√2/(3π)
        let p = try CriticalLine.point(activation: .relu, sigmaB: 0)
        #expect(p.kappa == .infinity)
        #expect(abs(p.kappaThreeHalves - 2 * 2.0.squareRoot() / (3 * Double.pi)) < 1e-12)
    }

    @Test("ReLU beyond σ_w² = 2 at σ_b = 0 has no fixed point: a clear error")
    func reluDivergence() throws {
        let net = try MeanFieldNetwork(activation: .relu, sigmaW: 1.5, sigmaB: 0)
        #expect(throws: MeanFieldError.self) { try net.point() }
        #expect(throws: MeanFieldError.self) { try CriticalLine.sigmaWCritical(activation: .relu, sigmaB: 0.3) }
        #expect(throws: MeanFieldError.self) { try CriticalLine.sigmaWCritical(activation: .softplus, sigmaB: 0.3) }
    }

    @Test("Bad parameters are rejected")
    func badParameters() {
        #expect(throws: MeanFieldError.self) { try MeanFieldNetwork(activation: .tanh, sigmaW: -1, sigmaB: 0) }
        #expect(throws: MeanFieldError.self) { try MeanFieldNetwork(activation: .tanh, sigmaW: 1, sigmaB: .nan) }
    }

    @Test("erf: quadrature matches the closed-form q- and c-maps to 1e-10")
    func erfClosedForm() {
        // E[erf(u₁) erf(u₂)] = (2/π) arcsin(2qc / (1 + 2q))
        let e = GaussianExpectations(activation: .erf)
        for q in [0.05, 0.5, 1.0, 2.0, 5.0] {
            let meanSquare = 2 / Double.pi * asin(2 * q / (1 + 2 * q))
            #expect(abs(e.meanSquare(q: q) - meanSquare) < 1e-10, "q = \(q)")
            for c in [-0.9, -0.3, 0.0, 0.4, 0.9, 0.999, 1 - 1e-7] {
                let cross = 2 / Double.pi * asin(2 * q * c / (1 + 2 * q))
                let viaDifference = meanSquare - e.meanSquareDifference(q: q, rho: 1 - c) / 2
                #expect(abs(viaDifference - cross) < 1e-10, "q = \(q), c = \(c)")
            }
        }
    }

    @Test("ReLU: kink-split quadrature matches the arc-cosine kernel to 1e-10")
    func reluArcCosine() {
        // E[relu(u₁) relu(u₂)] = q/(2π) (sin θ + (π − θ) cos θ), θ = arccos c
        let e = GaussianExpectations(activation: .relu)
        for q in [0.3, 1.0, 4.0] {
            #expect(abs(e.meanSquare(q: q) - q / 2) < 1e-12)
            #expect(abs(e.meanSquareDerivative(q: q) - 0.5) < 1e-13)
            for c in [-0.8, 0.0, 0.5, 0.99, 1 - 1e-6] {
                let theta = acos(c)
                let cross = q / (2 * Double.pi) * (sin(theta) + (Double.pi - theta) * cos(theta))
                #expect(abs(q / 2 - e.meanSquareDifference(q: q, rho: 1 - c) / 2 - cross) < 1e-10 * q, "q = \(q), c = \(c)")
                // E[step(u₁) step(u₂)] = (π − θ)/(2π)
                #expect(abs(e.derivativeCovariance(q: q, rho: 1 - c) - (Double.pi - theta) / (2 * Double.pi)) < 1e-10)
            }
        }
    }

    @Test("χ₁ and κ are the first two Taylor coefficients of the ρ-map", arguments: [Activation.tanh, .erf, .sin, .gelu, .silu])
    func taylorCoefficients(activation: Activation) throws {
        let sigmaW = activation == .gelu || activation == .silu ? 1.3 : 1.6
        let net = try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: 0.3)
        let p = try net.point()
        for rho in [1e-4, 1e-6] {
            let next = net.step(q: p.qStar, rho: rho).rho
            #expect(abs(next / rho - p.chi1) < 2 * p.kappa * rho + 1e-9)
            let kappaEstimate = (p.chi1 * rho - next) / (rho * rho)
            #expect(abs(kappaEstimate - p.kappa) < 0.01 * p.kappa + 50 * rho, "\(activation)")
        }
        // deep in the linear regime ρ′/ρ = χ₁ to 1e-12: the difference formulation keeps every digit
        let tiny = net.step(q: p.qStar, rho: 1e-40).rho
        #expect(abs(tiny / 1e-40 - p.chi1) < 1e-12)
    }

    @Test("kinked activations: the ρ^{3/2} coefficient", arguments: [Activation.relu, .hardTanh])
    func threeHalves(activation: Activation) throws {
        let net = try MeanFieldNetwork(activation: activation, sigmaW: activation == .relu ? 1.2 : 1.5, sigmaB: 0.2)
        let p = try net.point()
        let rho = 1e-8
        let next = net.step(q: p.qStar, rho: rho).rho
        let estimate = (p.chi1 * rho - next) / pow(rho, 1.5)
        #expect(abs(estimate - p.kappaThreeHalves) < 1e-3 * p.kappaThreeHalves)
    }

    @Test("κ l ρ_l → 1 along the exact critical c-map", arguments: [Activation.tanh, .erf, .sin])
    func criticalDecay(activation: Activation) throws {
        let p = try CriticalLine.point(activation: activation, sigmaB: 0.3)
        let net = try MeanFieldNetwork(activation: activation, sigmaW: p.sigmaW, sigmaB: p.sigmaB)
        var rho = 1.0
        var deviations: [Double] = []
        for l in 1...4000 {
            rho = net.step(q: p.qStar, rho: rho).rho
            if [250, 1000, 4000].contains(l) { deviations.append(abs(p.kappa * Double(l) * rho - 1)) }
        }
        // the deviation shrinks like (log l)/l
        #expect(deviations[0] > deviations[1] && deviations[1] > deviations[2], "\(deviations)")
        #expect(deviations[2] < 0.01, "\(activation): |κ l ρ − 1| = \(deviations[2]) at l = 4000")
    }

    @Test("chaotic phase: ρ* > 0 is a fixed point, close to (χ₁ − 1)/κ near the boundary")
    func chaoticFixedPoint() throws {
        let wc = try CriticalLine.sigmaWCritical(activation: .tanh, sigmaB: 0.3)
        let net = try MeanFieldNetwork(activation: .tanh, sigmaW: wc * 1.002, sigmaB: 0.3)
        let p = try net.point()
        #expect(p.phase == .chaotic)
        #expect(abs(net.step(q: p.qStar, rho: p.rhoStar).rho - p.rhoStar) < 1e-14)
        let linear = (p.chi1 - 1) / p.kappa
        #expect(abs(p.rhoStar - linear) < 0.05 * linear)
        #expect(p.chiC < 1 && p.correlationDepth > 100)
        let ordered = try MeanFieldNetwork(activation: .tanh, sigmaW: 1.0, sigmaB: 0.3).point()
        #expect(ordered.phase == .ordered && ordered.rhoStar == 0)
        #expect(abs(ordered.correlationDepth + 1 / log(ordered.chi1)) < 1e-12)
    }

    @Test("critical lines exist for every bounded activation and are continuous in σ_b")
    func boundaries() throws {
        for a in [Activation.tanh, .erf, .sin, .hardTanh] {
            var previous: Double?
            for b in stride(from: 0.0, through: 1.0, by: 0.25) {
                let w = try CriticalLine.sigmaWCritical(activation: a, sigmaB: b)
                let net = try MeanFieldNetwork(activation: a, sigmaW: w, sigmaB: b)
                #expect(abs(net.chi1(q: try net.lengthFixedPoint()) - 1) < 1e-10, "\(a) at σ_b = \(b)")
                if let previous { #expect(abs(w - previous) < 0.5) }
                previous = w
            }
        }
        // σ_b = 0, tanh: σ_w,c = 1 with q* = 0. Just above it q* ≈ (1 − σ_w⁻²)/2 and
        // χ₁ − 1 ≈ (4/3) q*², which drops below rounding once σ_w − 1 < ~1e-8: that is the
        // resolution here.
        #expect(abs(try CriticalLine.sigmaWCritical(activation: .tanh, sigmaB: 0) - 1) < 1e-7)
    }

    @Test("trajectory starts with the linear input layer and follows the maps")
    func trajectory() throws {
        let net = try MeanFieldNetwork(activation: .tanh, sigmaW: 1.5, sigmaB: 0.3)
        let t = try Trajectory(network: net, q0: 1, rho0: 1, depth: 400)
        #expect(t.depths.first == 1 && t.depths.count == 400)
        #expect(abs(t.q[0] - (2.25 + 0.09)) < 1e-15)
        #expect(abs(t.rho[0] - 2.25 / 2.34) < 1e-15)
        let p = try net.point()
        #expect(abs(t.q[399] - p.qStar) < 1e-10)
        #expect(abs(t.rho[399] - p.rhoStar) < 1e-6)
    }

    @Test("phase diagram: phases on both sides of the critical line")
    func phaseDiagram() throws {
        let d = try PhaseDiagram(activation: .tanh, sigmaW: [1.0, 2.0], sigmaB: [0.1, 0.5], threads: 2)
        #expect(d.points[0][0]?.phase == .ordered)
        #expect(d.points[0][1]?.phase == .chaotic)
        #expect(d.table.rows.count == 4)
    }
}
