import CriticalityCore
import Foundation

/// Row-major dense matrix products for the trainer (docs/training.md, "Matrix products"):
///
///     C = A B,   C = Aᵀ B,   C = A Bᵀ     (optionally C += …)
///
/// Each output row is computed by one thread, its elements accumulated over the inner index in a
/// fixed order, so results are bitwise the same on any thread count. The inner loops run over
/// contiguous rows of B (or of C) with four accumulators, which the compiler vectorises.
///
/// - Complexity: O(m n k) for an (m × k)(k × n) product.
public enum MatrixProduct {
    /// The three operands, passed to worker threads (each writes only its own rows of C).
    struct Operands: @unchecked Sendable {
        let a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>
    }

    /// C (m × n) = A (m × k) · B (k × n), or C += A · B when `accumulate`.
    public static func multiply(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
                                m: Int, k: Int, n: Int, accumulate: Bool = false, threads: Int = 1) {
        combineRowsOfB(a, rowStride: k, innerStride: 1, b, into: c, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
    }

    /// C (m × n) = Aᵀ · B for A (k × m) and B (k × n), or C += Aᵀ B when `accumulate`: the
    /// weight gradient Σ_samples δ φᵀ.
    public static func multiplyTransposedA(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
                                           m: Int, k: Int, n: Int, accumulate: Bool = false, threads: Int = 1) {
        combineRowsOfB(a, rowStride: 1, innerStride: m, b, into: c, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
    }

    /// Row i of C is Σ_p A(i, p) · (row p of B), with A(i, p) at a[i·rowStride + p·innerStride]
    /// (A itself or its transpose); rows are handed out in blocks of about 16K multiply-adds.
    static func combineRowsOfB(_ a: UnsafePointer<Double>, rowStride: Int, innerStride: Int, _ b: UnsafePointer<Double>,
                               into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int, accumulate: Bool, threads: Int) {
        let rowsPerTask = max(1, 16384 / max(n * k / 64, 1))
        let tasks = (m + rowsPerTask - 1) / rowsPerTask
        let o = Operands(a: a, b: b, c: c)
        parallelFor(tasks, threads: threads) { t in
            let (a, b, c) = (o.a, o.b, o.c)
            for i in (t * rowsPerTask)..<min(m, (t + 1) * rowsPerTask) {
                let row = c + i * n
                if !accumulate { row.initialize(repeating: 0, count: n) }
                for p in 0..<k {
                    let x = a[i * rowStride + p * innerStride]
                    if x == 0 { continue }
                    let bRow = b + p * n
                    for j in 0..<n { row[j] += x * bRow[j] }
                }
            }
        }
    }

    /// C (m × n) = A · Bᵀ for A (m × k) and B (n × k): rows of A against rows of B (dot products).
    public static func multiplyTransposedB(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
                                           m: Int, k: Int, n: Int, accumulate: Bool = false, threads: Int = 1) {
        let o = Operands(a: a, b: b, c: c)
        parallelFor(m, threads: threads) { i in
            let b = o.b
            let row = o.c + i * n
            let aRow = o.a + i * k
            for j in 0..<n {
                let bRow = b + j * k
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var p = 0
                while p + 4 <= k {
                    s0 += aRow[p] * bRow[p]; s1 += aRow[p + 1] * bRow[p + 1]
                    s2 += aRow[p + 2] * bRow[p + 2]; s3 += aRow[p + 3] * bRow[p + 3]
                    p += 4
                }
                while p < k { s0 += aRow[p] * bRow[p]; p += 1 }
                let s = (s0 + s1) + (s2 + s3)
                row[j] = accumulate ? row[j] + s : s
            }
        }
    }
}
