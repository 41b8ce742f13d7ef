import CriticalityCore
import Foundation
import MeanField
import Propagation
import Testing

/// The vectorised pair kernels against closed forms evaluated lane by lane.
@Suite struct PairKernelTests {
    /// tanh(h + Δ) − tanh h = sinh Δ / (cosh h cosh(h + Δ)): no cancellation, finite below 700.
    func tanhDifference(_ h: Double, _ d: Double) -> Double {
        if Swift.abs(h) > 700 || Swift.abs(h + d) > 700 || Swift.abs(d) > 700 {
            return Foundation.tanh(h + d) - Foundation.tanh(h)  // both ±1: the difference is exact
        }
        return Foundation.sinh(d) / (Foundation.cosh(h) * Foundation.cosh(h + d))
    }

    @Test func tanhKernelIsAccurateIncludingSaturation() {
        let cases: [(Double, Double)] = [
            (0.3, 1e-9), (5, 1e-12), (-3, 0.5), (2, -4), (19, 19), (-0.0, 1e-300),
            (25, -50), (20, -40.5), (-30, 61), (36, -36.5), (400, -390), (400, -800), (-500, 499.5), (0, 0),
        ]
        let kernel = TanhKernel()
        for start in stride(from: 0, to: cases.count, by: 4) {
            var h = SIMD4<Double>(repeating: 0.1), d = SIMD4<Double>(repeating: 0)
            for j in 0..<4 where start + j < cases.count { (h[j], d[j]) = cases[start + j] }
            let (phi, dphi, slope) = kernel.evaluate(h, d)
            for j in 0..<4 {
                let expected = tanhDifference(h[j], d[j])
                let error = expected == 0 ? Swift.abs(dphi[j]) : Swift.abs(dphi[j] / expected - 1)
                #expect(error < 1e-13, "Δφ at h = \(h[j]), Δ = \(d[j]): \(dphi[j]) against \(expected)")
                #expect(Swift.abs(phi[j] - Foundation.tanh(h[j])) <= 4 * Foundation.tanh(Swift.abs(h[j])).ulp)
                let sech2 = 1 / (Foundation.cosh(h[j]) * Foundation.cosh(h[j]))
                #expect(sech2 == 0 ? slope[j] < 1e-300 : Swift.abs(slope[j] / sech2 - 1) < 1e-14)
            }
        }
    }

    /// The four-lane ρ (the CNN's per-site order parameter) gives, lane by lane, exactly the scalar
    /// `pairRho` with the perpendicular part max(a d − s², 0), including its edge cases (zero norms,
    /// overflow, NaN, cancellation) and thousands of random sums.
    @Test func vectorPairRhoEqualsTheScalarFormula() {
        func scalar(_ a: Double, _ s: Double, _ d: Double) -> Double {
            pairRho(a: a, s: s, d: d, perpendicular: max(a * d - s * s, 0))
        }
        var cases: [(Double, Double, Double)] = [
            (0, 0, 0), (1, 0, 0), (0, 0, 1), (1, -0.5, 1), (1, -1, 1), (2, 1e-30, 1e-40), (1e300, 1e300, 1e300),
            (.infinity, 0, 1), (.nan, 0, 1), (1, .nan, 1), (4, 2, 1), (1, 0.5, 0.25 + 1e-17), (1e-200, 1e-201, 1e-202),
        ]
        var random = Xoshiro256(key: StreamKey(seed: 11, realisation: 0))
        for _ in 0..<4000 {
            let a = Double.random(in: 0...10, using: &random), d = Double.random(in: 0...10, using: &random)
            let s = Double.random(in: -1...1, using: &random) * (a * d).squareRoot()
            cases.append((a, s, d))
        }
        for start in stride(from: 0, to: cases.count, by: 4) {
            var a = SIMD4<Double>(repeating: 1), s = SIMD4<Double>(repeating: 0), d = SIMD4<Double>(repeating: 1)
            for j in 0..<4 where start + j < cases.count { (a[j], s[j], d[j]) = cases[start + j] }
            let rho = pairRho(a: a, s: s, d: d)
            for j in 0..<4 {
                let expected = scalar(a[j], s[j], d[j])
                #expect(rho[j].bitPattern == expected.bitPattern, "a = \(a[j]), s = \(s[j]), d = \(d[j]): \(rho[j]) against \(expected)")
            }
        }
    }
}
