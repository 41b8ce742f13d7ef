import CriticalityCore
import Foundation

/// Row-major dense matrix products for the trainer (docs/training.md, "Matrix products"):
///
///     C = A B,   C = Aᵀ B,   C = A Bᵀ     (optionally C += …)
///
/// All three run one blocked kernel in the style of GotoBLAS/BLIS (``MatrixKernel``). C is cut into
/// tiles of at most 144 rows × 512 columns, each computed by one thread. For each block of
/// KC = 256 inner indices a tile packs its rows of A into panels 6 rows tall and its columns of B
/// into panels 8 columns wide (each panel contiguous in the inner index; the packing absorbs the
/// transposes and pads the edges with zeros). A micro-kernel then keeps a 6 × 8 block of C in twelve
/// 4-lane vector registers while it runs along the inner index with fused multiply-adds: per inner
/// index two vector loads of B, six broadcasts of A and twelve FMAs. The 8-column panel of B
/// (16 KiB) stays in the 32 KiB L1 cache while the micro-kernel walks down the tile's packed A
/// (≤ 288 KiB, in the 1 MiB L2).
///
/// Every element of C is one chain of FMAs c ← a·b + c over the inner index in increasing order,
/// starting from 0 (or from C when `accumulate`). The tiling, the inner blocks and the thread count
/// only decide where and when a chain runs, never its operations, so results are bitwise the same
/// on any thread count (and with any blocking).
///
/// - Complexity: O(m n k) time for an (m × k)(k × n) product; packing buffers of O(KC (MC + NC))
///   per worker thread, allocated once per call.
public enum MatrixProduct {
    /// C (m × n) = A (m × k) · B (k × n), or C += A · B when `accumulate`.
    public static func multiply(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
                                m: Int, k: Int, n: Int, accumulate: Bool = false, threads: Int = 1) {
        MatrixKernel.product(MatrixKernel.Operand(base: a, rowStride: k, columnStride: 1),
                             MatrixKernel.Operand(base: b, rowStride: n, columnStride: 1),
                             into: c, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
    }

    /// C (m × n) = Aᵀ · B for A (k × m) and B (k × n), or C += Aᵀ B when `accumulate`: the
    /// weight gradient Σ_samples δ φᵀ.
    public static func multiplyTransposedA(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
                                           m: Int, k: Int, n: Int, accumulate: Bool = false, threads: Int = 1) {
        MatrixKernel.product(MatrixKernel.Operand(base: a, rowStride: 1, columnStride: m),
                             MatrixKernel.Operand(base: b, rowStride: n, columnStride: 1),
                             into: c, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
    }

    /// C (m × n) = A · Bᵀ for A (m × k) and B (n × k), or C += A Bᵀ when `accumulate`: the
    /// forward pass h = a Wᵀ.
    public static func multiplyTransposedB(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
                                           m: Int, k: Int, n: Int, accumulate: Bool = false, threads: Int = 1) {
        MatrixKernel.product(MatrixKernel.Operand(base: a, rowStride: k, columnStride: 1),
                             MatrixKernel.Operand(base: b, rowStride: 1, columnStride: k),
                             into: c, m: m, k: k, n: n, accumulate: accumulate, threads: threads)
    }
}
