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
}
