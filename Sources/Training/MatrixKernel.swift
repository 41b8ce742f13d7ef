import CriticalityCore
import Foundation
import VectorBuiltins

/// The blocked kernel behind ``MatrixProduct`` (docs/training.md, "Matrix products"): C (m × n,
/// row-major, leading dimension n) = or += A (m × k) · B (k × n), where A and B are read through
/// strides, so that a transpose is only another pair of strides.
///
/// Unsafe pointers are confined to this file; the public entry points take their operands from
/// the callers' buffers.
enum MatrixKernel {
    /// Rows × columns of the register tile of C (twelve `SIMD4<Double>` accumulators).
    static let mr = 6, nr = 8
    /// Inner indices per packed block: an 8-column panel of B (KC × 8 × 8 bytes = 16 KiB) fits L1.
    static let kcMax = 256
    /// The largest tile of C one thread computes: its packed A (MC × KC, 288 KiB) fits L2, and its
    /// packed B (KC × NC, 1 MiB) is read one 16 KiB panel at a time.
    static let mcMax = 144, ncMax = 512
    /// Below this many multiply-adds a product runs on one thread (a dispatch costs more).
    static let parallelThreshold = 1 << 16

    /// A matrix read as X(i, p) = base[i · rowStride + p · columnStride].
    struct Operand: @unchecked Sendable {
        let base: UnsafePointer<Double>
        let rowStride: Int, columnStride: Int
    }

    /// The output, passed to the workers (each writes only its own tiles).
    struct Output: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>
    }

    /// C (m × n) = A (m × k) · B (k × n), or C += A B when `accumulate`, on up to `threads` threads.
    ///
    /// - Complexity: O(m n k); O(KC (MC + NC)) memory per worker.
    static func product(_ a: Operand, _ b: Operand, into c: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int,
                        accumulate: Bool, threads: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if !accumulate { c.initialize(repeating: 0, count: m * n) }
            return
        }
        let work = m * n * k
        let workers = work < parallelThreshold ? 1 : max(1, threads)
        // Tiles: as large as the caches allow, smaller (down to 48 × 128) until every worker has
        // about four to take, so that a worker slowed down by other load takes fewer.
        var mcLimit = mcMax, ncLimit = ncMax
        func tileCount() -> Int { ((m + mcLimit - 1) / mcLimit) * ((n + ncLimit - 1) / ncLimit) }
        while workers > 1, tileCount() < 4 * workers, mcLimit > 48 || ncLimit > 128 {
            if ncLimit > 128 { ncLimit /= 2 } else { mcLimit -= 48 }
        }
        // Equal row blocks (a multiple of mr) and equal column blocks (a multiple of nr).
        let rowBlocks = (m + mcLimit - 1) / mcLimit, columnBlocks = (n + ncLimit - 1) / ncLimit
        let mc = roundUp((m + rowBlocks - 1) / rowBlocks, to: mr), nc = roundUp((n + columnBlocks - 1) / columnBlocks, to: nr)
        let rowTiles = (m + mc - 1) / mc, columnTiles = (n + nc - 1) / nc
        let tiles = rowTiles * columnTiles
        let kc = min(k, kcMax)
        let output = Output(base: c)
        let counter = TileCounter()
        parallelFor(min(workers, tiles), threads: workers) { _ in
            // Packing buffers, once per worker, 64-byte aligned.
            let packedA = UnsafeMutableRawPointer.allocate(byteCount: mc * kc * 8, alignment: 64).bindMemory(to: Double.self, capacity: mc * kc)
            let packedB = UnsafeMutableRawPointer.allocate(byteCount: nc * kc * 8, alignment: 64).bindMemory(to: Double.self, capacity: nc * kc)
            defer { packedA.deallocate(); packedB.deallocate() }
            while let t = counter.next(below: tiles) {
                let i0 = (t / columnTiles) * mc, j0 = (t % columnTiles) * nc
                tile(a, b, output.base, ldc: n, rows: i0..<min(m, i0 + mc), columns: j0..<min(n, j0 + nc), k: k,
                     accumulate: accumulate, packedA: packedA, packedB: packedB)
            }
        }
    }

    static func roundUp(_ x: Int, to multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }

    /// One tile of C over the whole inner dimension, in blocks of KC.
    static func tile(_ a: Operand, _ b: Operand, _ c: UnsafeMutablePointer<Double>, ldc: Int, rows: Range<Int>, columns: Range<Int>,
                     k: Int, accumulate: Bool, packedA: UnsafeMutablePointer<Double>, packedB: UnsafeMutablePointer<Double>) {
        let (mc, nc) = (rows.count, columns.count)
        var edge = (SIMD8<Double>.zero, SIMD8<Double>.zero, SIMD8<Double>.zero, SIMD8<Double>.zero, SIMD8<Double>.zero, SIMD8<Double>.zero)
        withUnsafeMutableBytes(of: &edge) { edgeBytes in
            let scratch = edgeBytes.baseAddress!.assumingMemoryBound(to: Double.self)  // an mr × nr tile for the edges
            for p0 in stride(from: 0, to: k, by: kcMax) {
                let kc = min(kcMax, k - p0)
                packA(a, rows: rows, inner: p0..<(p0 + kc), into: packedA)
                packB(b, inner: p0..<(p0 + kc), columns: columns, into: packedB)
                let load = accumulate || p0 > 0
                for jr in stride(from: 0, to: nc, by: nr) {
                    let bPanel = packedB + jr * kc
                    let width = min(nr, nc - jr)
                    for ir in stride(from: 0, to: mc, by: mr) {
                        let aPanel = packedA + ir * kc
                        let height = min(mr, mc - ir)
                        let target = c + (rows.lowerBound + ir) * ldc + columns.lowerBound + jr
                        if height == mr && width == nr {
                            microKernel(kc, aPanel, bPanel, target, ldc, load: load)
                        } else {
                            // Edge: through the scratch tile (the padding lanes compute zeros).
                            for r in 0..<height { for j in 0..<width { scratch[r * nr + j] = load ? target[r * ldc + j] : 0 } }
                            microKernel(kc, aPanel, bPanel, scratch, nr, load: load)
                            for r in 0..<height { for j in 0..<width { target[r * ldc + j] = scratch[r * nr + j] } }
                        }
                    }
                }
            }
        }
    }

    /// Packs A(rows, inner) into panels of mr rows: panel q holds A(q·mr + r, p) at
    /// [q·mr·kc + p·mr + r], with zeros below the last row.
    @inline(__always)
    static func packA(_ a: Operand, rows: Range<Int>, inner: Range<Int>, into packed: UnsafeMutablePointer<Double>) {
        let (rs, cs) = (a.rowStride, a.columnStride)
        var out = packed
        for i in stride(from: rows.lowerBound, to: rows.upperBound, by: mr) {
            let height = min(mr, rows.upperBound - i)
            var source = a.base + i * rs + inner.lowerBound * cs
            if height == mr && rs == 1 {
                for _ in inner {
                    for r in 0..<mr { out[r] = source[r] }
                    source += cs; out += mr
                }
            } else if height == mr && cs == 1 {
                // Rows of A are contiguous: four inner indices at a time from each row.
                var p = 0
                while p + 4 <= inner.count {
                    for r in 0..<mr {
                        let v = UnsafeRawPointer(source + r * rs + p).loadUnaligned(as: SIMD4<Double>.self)
                        out[r] = v[0]; out[mr + r] = v[1]; out[2 * mr + r] = v[2]; out[3 * mr + r] = v[3]
                    }
                    out += 4 * mr; p += 4
                }
                for q in p..<inner.count {
                    for r in 0..<mr { out[r] = source[r * rs + q] }
                    out += mr
                }
            } else {
                for _ in inner {
                    for r in 0..<height { out[r] = source[r * rs] }
                    for r in height..<mr { out[r] = 0 }
                    source += cs; out += mr
                }
            }
        }
    }

    /// Packs B(inner, columns) into panels of nr columns: panel q holds B(p, q·nr + j) at
    /// [q·nr·kc + p·nr + j], with zeros right of the last column.
    @inline(__always)
    static func packB(_ b: Operand, inner: Range<Int>, columns: Range<Int>, into packed: UnsafeMutablePointer<Double>) {
        let (rs, cs) = (b.rowStride, b.columnStride)
        let kc = inner.count
        let fullPanels = cs == 1 ? columns.count / nr : 0
        if fullPanels > 0 {
            // Rows of B are contiguous: each row read in order, two vector copies per panel.
            for p in 0..<kc {
                let s = UnsafeRawPointer(b.base + (inner.lowerBound + p) * rs + columns.lowerBound)
                let d = UnsafeMutableRawPointer(packed + p * nr)
                for q in 0..<fullPanels {
                    d.storeBytes(of: s.loadUnaligned(fromByteOffset: 64 * q, as: SIMD4<Double>.self), toByteOffset: 64 * q * kc,
                                 as: SIMD4<Double>.self)
                    d.storeBytes(of: s.loadUnaligned(fromByteOffset: 64 * q + 32, as: SIMD4<Double>.self), toByteOffset: 64 * q * kc + 32,
                                 as: SIMD4<Double>.self)
                }
            }
        }
        var panel = packed + fullPanels * nr * kc
        for j in stride(from: columns.lowerBound + fullPanels * nr, to: columns.upperBound, by: nr) {
            let width = min(nr, columns.upperBound - j)
            let source = b.base + inner.lowerBound * rs + j * cs
            if rs == 1 {
                // Columns of B are contiguous (B = Wᵀ): read each column along the inner index.
                for jj in 0..<nr {
                    if jj < width {
                        let column = source + jj * cs
                        for p in 0..<kc { panel[p * nr + jj] = column[p] }
                    } else {
                        for p in 0..<kc { panel[p * nr + jj] = 0 }
                    }
                }
            } else {
                for p in 0..<kc {
                    for jj in 0..<width { panel[p * nr + jj] = source[p * rs + jj * cs] }
                    for jj in width..<nr { panel[p * nr + jj] = 0 }
                }
            }
            panel += nr * kc
        }
    }

    /// C(6 × 8 at `c`, leading dimension ldc) = (C if `load`, else 0) + Σ_p a_p b_pᵀ over kc inner
    /// indices, one FMA per element and index, in increasing p. `a` is a packed panel of A (6 per
    /// index), `b` a packed panel of B (8 per index, 32-byte aligned).
    @inline(__always)
    static func microKernel(_ kc: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                            _ ldc: Int, load: Bool) {
        typealias V = SIMD4<Double>
        let cRaw = UnsafeMutableRawPointer(c)
        let rowBytes = ldc * 8
        @inline(__always) func row(_ r: Int) -> (V, V) {
            guard load else { return (.zero, .zero) }
            return (cRaw.loadUnaligned(fromByteOffset: r * rowBytes, as: V.self),
                    cRaw.loadUnaligned(fromByteOffset: r * rowBytes + 32, as: V.self))
        }
        var (c00, c01) = row(0), (c10, c11) = row(1), (c20, c21) = row(2)
        var (c30, c31) = row(3), (c40, c41) = row(4), (c50, c51) = row(5)
        var ap = a, bp = UnsafeRawPointer(b)
        for _ in 0..<kc {
            let b0 = bp.load(as: V.self), b1 = bp.load(fromByteOffset: 32, as: V.self)
            var x = V(repeating: ap[0])
            c00 = fusedMultiplyAdd(x, b0, c00); c01 = fusedMultiplyAdd(x, b1, c01)
            x = V(repeating: ap[1])
            c10 = fusedMultiplyAdd(x, b0, c10); c11 = fusedMultiplyAdd(x, b1, c11)
            x = V(repeating: ap[2])
            c20 = fusedMultiplyAdd(x, b0, c20); c21 = fusedMultiplyAdd(x, b1, c21)
            x = V(repeating: ap[3])
            c30 = fusedMultiplyAdd(x, b0, c30); c31 = fusedMultiplyAdd(x, b1, c31)
            x = V(repeating: ap[4])
            c40 = fusedMultiplyAdd(x, b0, c40); c41 = fusedMultiplyAdd(x, b1, c41)
            x = V(repeating: ap[5])
            c50 = fusedMultiplyAdd(x, b0, c50); c51 = fusedMultiplyAdd(x, b1, c51)
            ap += 6; bp += 64
        }
        @inline(__always) func store(_ r: Int, _ u: V, _ v: V) {
            cRaw.storeBytes(of: u, toByteOffset: r * rowBytes, as: V.self)
            cRaw.storeBytes(of: v, toByteOffset: r * rowBytes + 32, as: V.self)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
        store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
    }
}

/// Hands out tile indices under a lock (one claim per tile of ~10⁵–10⁷ multiply-adds).
private final class TileCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < count else { return nil }
        value += 1
        return value - 1
    }
}
