import Foundation
import Testing
@testable import Training

/// The blocked products against plain loops, on tiny, odd and mixed shapes (edges of the 6 × 8
/// register tile, of the 256-index inner blocks and of the 144 × 512 thread tiles).
@Suite struct MatrixProductTests {
    enum Variant: CaseIterable { case plain, transposedA, transposedB }

    /// Runs one variant on A (m × k) and B (k × n) given in their natural layout; the transposed
    /// variants get Aᵀ or Bᵀ stored row-major, as their callers hold them.
    static func run(_ variant: Variant, _ a: [Double], _ b: [Double], into c: inout [Double], m: Int, k: Int, n: Int,
                    accumulate: Bool, threads: Int) {
        let at = (0..<(k * m)).map { a[($0 % m) * k + $0 / m] }   // Aᵀ, k × m
        let bt = (0..<(n * k)).map { b[($0 % k) * n + $0 / k] }   // Bᵀ, n × k
        let (left, right) = (variant == .transposedA ? at : a, variant == .transposedB ? bt : b)
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                c.withUnsafeMutableBufferPointer { out in
                    let (x, y, z) = (l.baseAddress!, r.baseAddress!, out.baseAddress!)
                    switch variant {
                    case .plain: MatrixProduct.multiply(x, y, into: z, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
                    case .transposedA: MatrixProduct.multiplyTransposedA(x, y, into: z, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
                    case .transposedB: MatrixProduct.multiplyTransposedB(x, y, into: z, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
                    }
                }
            }
        }
    }

    static let shapes: [(m: Int, k: Int, n: Int)] = {
        let small = [1, 3, 7, 33]
        var s = small.flatMap { m in small.flatMap { k in small.map { n in (m, k, n) } } }
        s += [(129, 129, 129), (517, 3, 7), (3, 517, 7), (7, 3, 517), (129, 517, 33), (33, 129, 517), (517, 33, 129),
              (1, 517, 129), (129, 1, 517), (517, 129, 1), (150, 300, 520)]
        return s
    }()

    @Test("A B, Aᵀ B and A Bᵀ agree with the triple loop to 1e-12 of Σ|a b| and equal the ordered FMA chain bitwise, with and without accumulate",
          arguments: Variant.allCases)
    func againstTripleLoop(_ variant: Variant) {
        for (m, k, n) in Self.shapes {
            let a = GradientCheckTests.values(m * k, seed: UInt64(m * 1000 + k)), b = GradientCheckTests.values(k * n, seed: UInt64(k * 1000 + n))
            let start = GradientCheckTests.values(m * n, seed: 99)
            // The triple loop (plain sums), the bound Σ_p |a b| and the ordered FMA chain the kernel promises.
            var naive = [Double](repeating: 0, count: m * n), scale = naive, chain = naive, chainFromC = start
            for i in 0..<m {
                for j in 0..<n {
                    for p in 0..<k {
                        let (x, y) = (a[i * k + p], b[p * n + j])
                        naive[i * n + j] += x * y
                        scale[i * n + j] += abs(x * y)
                        chain[i * n + j] = chain[i * n + j].addingProduct(x, y)
                        chainFromC[i * n + j] = chainFromC[i * n + j].addingProduct(x, y)
                    }
                }
            }
            for accumulate in [false, true] {
                var c = accumulate ? start : [Double](repeating: .nan, count: m * n)
                Self.run(variant, a, b, into: &c, m: m, k: k, n: n, accumulate: accumulate, threads: 2)
                var worst = 0.0
                for i in c.indices {
                    let expected = naive[i] + (accumulate ? start[i] : 0)
                    worst = max(worst, abs(c[i] - expected) / (scale[i] + (accumulate ? abs(start[i]) : 0) + .leastNormalMagnitude))
                }
                #expect(worst <= 1e-12, "\(variant) \(m)×\(k)×\(n) accumulate \(accumulate): relative error \(worst)")
                // Counted rather than compared as arrays: a failing array comparison makes the test
                // library diff them, which takes minutes at this size.
                let differing = zip(c, accumulate ? chainFromC : chain).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                #expect(differing == 0, "\(variant) \(m)×\(k)×\(n) accumulate \(accumulate): \(differing) elements differ from the FMA chain")
            }
        }
    }

    @Test("k = 0 gives zeros, or leaves C as it is with accumulate")
    func emptyInner() {
        for variant in Variant.allCases {
            var c = [1.0, 2, 3, 4, 5, 6]
            Self.run(variant, [], [], into: &c, m: 2, k: 0, n: 3, accumulate: true, threads: 1)
            #expect(c == [1, 2, 3, 4, 5, 6])
            Self.run(variant, [], [], into: &c, m: 2, k: 0, n: 3, accumulate: false, threads: 1)
            #expect(c == [0, 0, 0, 0, 0, 0])
        }
    }

    @Test("the result is bitwise the same on 1, 2 and 3 threads, every variant, with and without accumulate")
    func threadIndependence() {
        let (m, k, n) = (301, 517, 263)  // several row and column tiles, three inner blocks, ragged edges
        let a = GradientCheckTests.values(m * k, seed: 5), b = GradientCheckTests.values(k * n, seed: 6)
        let start = GradientCheckTests.values(m * n, seed: 7)
        for variant in Variant.allCases {
            for accumulate in [false, true] {
                let results = [1, 2, 3].map { threads in
                    var c = start
                    Self.run(variant, a, b, into: &c, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
                    return c.map(\.bitPattern)
                }
                let differing = (1...2).map { t in zip(results[0], results[t]).filter { $0.0 != $0.1 }.count }
                #expect(differing == [0, 0], "\(variant) accumulate \(accumulate): elements differing from 1 thread on 2 and 3 threads")
            }
        }
    }
}
