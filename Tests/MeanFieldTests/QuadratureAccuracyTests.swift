import Foundation
import Testing
@testable import MeanField

/// The Gaussian expectations against closed forms at large variances, where Gauss–Hermite rules
/// fail (0.2.0 was off by 7e-10 at q = 7.9 and by 7e-6 at q = 20 for erf).
@Suite struct QuadratureAccuracyTests {
    static let variances = [0.3, 1, 2.04, 7.88, 20, 100, 1000]

    @Test("one dimension: E[erf²], E[erf′²], E[sin²], E[cos²] equal their closed forms to 1e-14 for q from 0.3 to 1000")
    func oneDimension() {
        let erf = GaussianExpectations(activation: .erf), sin = GaussianExpectations(activation: .sin)
        for q in Self.variances {
            let cases = [
                (erf.meanSquare(q: q), (2 / Double.pi) * asin(2 * q / (1 + 2 * q))),
                (erf.meanSquareDerivative(q: q), (4 / Double.pi) / (1 + 4 * q).squareRoot()),
                (sin.meanSquare(q: q), -expm1(-2 * q) / 2),
                (sin.meanSquareDerivative(q: q), (1 + exp(-2 * q)) / 2),
            ]
            for (k, (value, exact)) in cases.enumerated() {
                #expect(abs(value - exact) <= 1e-14 * max(abs(exact), 1e-3), "case \(k), q = \(q): \(value) vs \(exact)")
            }
        }
    }

    @Test("two dimensions: erf's and sin's pair expectations equal their closed forms to 1e-13 for q from 0.3 to 100")
    func twoDimensions() {
        let erf = GaussianExpectations(activation: .erf), sin = GaussianExpectations(activation: .sin)
        for q in Self.variances where q <= 100 {
            for rho in [1e-6, 0.01, 0.3, 1, 1.9] {
                let k = q * (1 - rho), a = 1 + 2 * q
                // E[(φ(u₂) − φ(u₁))²] = 2 E[φ²] − 2 E[φ(u₁)φ(u₂)].
                let erfDifference = 2 * (2 / Double.pi) * (asin(2 * q / a) - asin(2 * k / a))
                let erfDerivative = (4 / Double.pi) / (a * a - 4 * k * k).squareRoot()
                // sin: E[sin u₁ sin u₂] = e^{−q} sinh k, E[cos u₁ cos u₂] = e^{−q} cosh k.
                let sinDifference = 2 * (-expm1(-2 * q) / 2 - exp(-q) * sinh(k))
                let sinDerivative = exp(-q) * cosh(k)
                let cases = [
                    (erf.meanSquareDifference(q: q, rho: rho), erfDifference),
                    (erf.derivativeCovariance(q: q, rho: rho), erfDerivative),
                    (sin.meanSquareDifference(q: q, rho: rho), sinDifference),
                    (sin.derivativeCovariance(q: q, rho: rho), sinDerivative),
                ]
                for (n, (value, exact)) in cases.enumerated() {
                    // The closed forms of the differences subtract terms of order 1, so they carry an
                    // absolute error of a few 1e-16 themselves.
                    #expect(abs(value - exact) <= 1e-13 * abs(exact) + 5e-15, "case \(n), q = \(q), ρ = \(rho): \(value) vs \(exact)")
                }
            }
        }
    }
}
