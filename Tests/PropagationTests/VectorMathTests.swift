import CriticalityCore
import Foundation
import Testing

/// The vectorised elementary functions against libm, in units of the result's magnitude.
@Suite struct VectorMathTests {
    /// Largest |f(x) − ref(x)| / |ref(x)| over `xs`, four lanes at a time.
    func maxRelativeError(_ xs: [Double], _ f: (SIMD4<Double>) -> SIMD4<Double>, _ ref: (Double) -> Double) -> Double {
        var worst = 0.0
        var i = 0
        while i + 4 <= xs.count {
            let v = f(SIMD4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3]))
            for j in 0..<4 {
                let r = ref(xs[i + j])
                worst = max(worst, r == 0 ? abs(v[j]) : abs(v[j] - r) / abs(r))
            }
            i += 4
        }
        return worst
    }

    func grid(_ lo: Double, _ hi: Double, _ count: Int) -> [Double] {
        (0..<count).map { lo + (hi - lo) * Double($0) / Double(count - 1) }
    }

    @Test func tanhMatchesLibm() {
        var xs = grid(-25, 25, 100_000)
        xs += (0..<2000).map { pow(10, -300 + 300 * Double($0) / 1999) }
        xs += [0, -0.0, 0.625, -0.625, 0.6249999999999999, 20, 700, -700, 1e300]
        while xs.count % 4 != 0 { xs.append(0.5) }
        #expect(maxRelativeError(xs, VectorMath.tanh, Foundation.tanh) < 1e-15)
    }

    @Test func tanhAndSech2MatchLibm() {
        var xs = grid(-30, 30, 100_000)
        xs += (0..<2000).map { pow(10, -300 + 300 * Double($0) / 1999) }
        while xs.count % 4 != 0 { xs.append(0.5) }
        #expect(maxRelativeError(xs, { VectorMath.tanhAndSech2($0).tanh }, Foundation.tanh) < 1e-15)
        // sech² keeps its relative accuracy where tanh saturates (up to |x| = 350, where sech² ≈ 1e-304).
        let sech2 = { (x: Double) in 1 / (Foundation.cosh(x) * Foundation.cosh(x)) }
        #expect(maxRelativeError(grid(-350, 350, 100_000), { VectorMath.tanhAndSech2($0).sech2 }, sech2) < 2e-15)
    }

    @Test func expm1NegativeMatchesLibm() {
        var xs = grid(-700, 0, 100_000)
        xs += (0..<4000).map { -pow(10, -300 + 300 * Double($0) / 3999) }
        #expect(maxRelativeError(xs, VectorMath.expm1Negative, Foundation.expm1) < 1e-15)
    }

}

/// Moments and the distribution of the vectorised Gaussian stream.
@Suite struct GaussianStreamTests {
    @Test func momentsAreStandardNormal() {
        var stream = GaussianStream(key: StreamKey(seed: 7, realisation: 0))
        let count = 1 << 20
        var m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0
        var below = [Int](repeating: 0, count: 5)
        let cuts = [-2.0, -1.0, 0.0, 1.0, 2.0]
        for _ in 0..<(count / 8) {
            for z in [stream.next(), stream.next()] {
                for j in 0..<4 {
                    let x = z[j]
                    m1 += x; m2 += x * x; m3 += x * x * x; m4 += x * x * x * x
                    for (k, c) in cuts.enumerated() where x < c { below[k] += 1 }
                }
            }
        }
        let n = Double(count)
        // Standard errors of the sample moments of N(0, 1): √(1/n), √(2/n), √(15/n), √(96/n).
        #expect(abs(m1 / n) < 5 * (1 / n).squareRoot())
        #expect(abs(m2 / n - 1) < 5 * (2 / n).squareRoot())
        #expect(abs(m3 / n) < 5 * (15 / n).squareRoot())
        #expect(abs(m4 / n - 3) < 5 * (96 / n).squareRoot())
        // The CDF at ±1, ±2 and 0 within 5 binomial standard errors.
        for (k, c) in cuts.enumerated() {
            let p = 0.5 * erfc(-c / 2.squareRoot())
            #expect(abs(Double(below[k]) / n - p) < 5 * (p * (1 - p) / n).squareRoot())
        }
    }

    /// The bulk path (quick ziggurat test, rejected lanes finished afterwards) against the normal
    /// CDF: a χ² over 40 bins of width ¼ on [−5, 5] plus the two tails, and the mass beyond the
    /// ziggurat's tail start R = 3.654, which only the tail sampler can produce.
    @Test func bulkFillMatchesNormalHistogram() {
        var stream = GaussianStream(key: StreamKey(seed: 11, realisation: 2))
        let vectors = 1 << 20
        let z = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: vectors)
        defer { z.deallocate() }
        stream.fill(z, vectors: vectors)
        var counts = [Int](repeating: 0, count: 42)
        var beyondTail = 0
        for k in 0..<vectors {
            for j in 0..<4 {
                let x = z[k][j]
                counts[x < -5 ? 0 : x >= 5 ? 41 : 1 + Int((x + 5) * 4)] += 1
                if abs(x) > ZigguratTable.tailStart { beyondTail += 1 }
            }
        }
        let n = Double(4 * vectors)
        func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }
        var chi2 = 0.0
        for b in 0..<42 {
            let lo = b == 0 ? -Double.infinity : -5 + Double(b - 1) / 4
            let hi = b == 41 ? Double.infinity : -5 + Double(b) / 4
            let expected = n * (cdf(hi) - cdf(lo))
            chi2 += (Double(counts[b]) - expected) * (Double(counts[b]) - expected) / expected
        }
        // 41 degrees of freedom: mean 41, standard deviation 9; the bound is 5 standard deviations.
        #expect(chi2 < 41 + 5 * 82.0.squareRoot())
        let p = erfc(ZigguratTable.tailStart / 2.squareRoot())
        #expect(abs(Double(beyondTail) - n * p) < 5 * (n * p * (1 - p)).squareRoot())
    }

    @Test func streamsArePureFunctionsOfTheirKey() {
        var a = GaussianStream(key: StreamKey(seed: 3, task: 1, realisation: 5))
        var b = GaussianStream(key: StreamKey(seed: 3, task: 1, realisation: 5))
        var c = GaussianStream(key: StreamKey(seed: 3, task: 1, realisation: 6))
        let x = a.next(), y = b.next(), z = c.next()
        #expect(x == y)
        #expect(x != z)
    }

    @Test func fillHandlesTails() {
        var stream = GaussianStream(key: StreamKey(seed: 1, realisation: 0))
        var buffer = [Double](repeating: .nan, count: 13)
        buffer.withUnsafeMutableBufferPointer { stream.fill($0) }
        #expect(buffer.allSatisfy { $0.isFinite })
    }
}
