import VectorBuiltins
import CriticalityCore

/// What one sampled layer reports about its own pre-activations and hands to the next layer.
@frozen
public struct LayerOutcome: Sendable {
    /// Sums of z₁², z₁z₂, z₂² over neurons (standard normals of signal a and of the difference).
    public var z11 = 0.0, z12 = 0.0, z22 = 0.0
    /// |v|² of the tangent vector.
    public var tangentNorm2 = 0.0
    /// Neurons whose two signals differ in at least one bit: fl(h + Δ) ≠ h.
    public var differing = 0
    /// Gram entries of (φ(h_a), Δφ, φ′(h_a) ⊙ v) for the next layer.
    public var gram = GramEntries(g11: 0, g12: 0, g22: 0)

    @inlinable public init() {}
}

/// Marks whether a tangent vector is propagated (a type-level flag, so the unused work compiles away).
public protocol TangentMode { static var enabled: Bool { get } }
public enum WithTangent: TangentMode { public static var enabled: Bool { true } }
public enum WithoutTangent: TangentMode { public static var enabled: Bool { false } }

/// Per-lane running sums of one layer's sweep (four neurons a lane group), kept in a value that the
/// sweep owns, so that the compiler keeps them in registers.
@frozen @usableFromInline
struct LayerSums {
    @usableFromInline var z11, z12, z22, vv, g11, g12, g22, g13, g23, g33: SIMD4<Double>
    @usableFromInline var differing: SIMD4<Int64>

    @inlinable init() {
        let zero = SIMD4<Double>(repeating: 0)
        (z11, z12, z22, vv) = (zero, zero, zero, zero)
        (g11, g12, g22, g13, g23, g33) = (zero, zero, zero, zero, zero, zero)
        differing = SIMD4(repeating: 0)
    }

    /// Adds four neurons with standard normals (za, zb, zc); `mask` (1 or 0 per lane) is applied
    /// only when `masked` (the last, partial block), so full blocks pay nothing for it.
    @inlinable @inline(__always)
    mutating func add<K: PairActivationKernel, T: TangentMode>(
        _ za: SIMD4<Double>, _ zb: SIMD4<Double>, _ zc: SIMD4<Double>, mask: SIMD4<Double>, masked: Bool,
        factor f: LayerCholesky, kernel: K, tangent: T.Type
    ) {
        let h = f.l11 * za
        let d = VectorMath.fma(SIMD4(repeating: f.l22), zb, f.l21 * za)
        let mza = masked ? mask * za : za
        let mzb = masked ? mask * zb : zb
        z11 = VectorMath.fma(mza, za, z11)
        z12 = VectorMath.fma(mza, zb, z12)
        z22 = VectorMath.fma(mzb, zb, z22)
        // Lanes where fl(h + Δ) ≠ h count −1 each (mask lanes are all ones when true).
        let differs = masked ? (h + d) .!= h .& (mask .> 0) : (h + d) .!= h
        differing &+= unsafeBitCast(differs, to: SIMD4<Int64>.self)
        let (phi, dphi, slope) = kernel.evaluate(h, d)
        let mphi = masked ? mask * phi : phi
        let mdphi = masked ? mask * dphi : dphi
        g11 = VectorMath.fma(mphi, phi, g11)
        g12 = VectorMath.fma(mphi, dphi, g12)
        g22 = VectorMath.fma(mdphi, dphi, g22)
        if T.enabled {
            let v = VectorMath.fma(SIMD4(repeating: f.l33), zc, VectorMath.fma(SIMD4(repeating: f.l32), zb, f.l31 * za))
            let mv = masked ? mask * v : v
            vv = VectorMath.fma(mv, v, vv)
            let psi = slope * mv
            g13 = VectorMath.fma(phi, psi, g13)
            g23 = VectorMath.fma(dphi, psi, g23)
            g33 = VectorMath.fma(psi, psi, g33)
        }
    }
}

/// One layer of the exact weight-free sampler (docs/algorithms.md, "Exact sampler"): n neurons, each drawing k = 2 (or 3 with
/// a tangent) standard normals z and setting (h, Δ, v) = L z; nothing of size n is stored.
///
/// - Complexity: O(n k) time, O(1) memory.
@inlinable
public func sampleExactLayer<K: PairActivationKernel, T: TangentMode>(
    width n: Int, factor f: LayerCholesky, kernel: K, tangent: T.Type,
    stream: inout GaussianStream
) -> LayerOutcome {
    let zero = SIMD4<Double>(repeating: 0), one = SIMD4<Double>(repeating: 1)
    var sums = LayerSums()
    // Draw all k n Gaussians first (a simple loop that keeps the vector units busy), then sweep
    // the neurons; the buffer (k n doubles) stays in the L1/L2 cache.
    let k = T.enabled ? 3 : 2
    let blocks = (n + 7) / 8
    let fullBlocks = n / 8
    withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 2 * k * blocks) { z in
        stream.fill(z.baseAddress!, vectors: 2 * k * blocks)
        for block in 0..<fullBlocks {
            let base = 2 * k * block
            for half in 0..<2 {
                let zc = T.enabled ? z[base + half + 4] : zero
                sums.add(z[base + half], z[base + half + 2], zc, mask: one, masked: false,
                         factor: f, kernel: kernel, tangent: T.self)
            }
        }
        if fullBlocks < blocks {
            let base = 2 * k * fullBlocks
            let lanes = SIMD4<Double>(0, 1, 2, 3)
            let left = Double(n - 8 * fullBlocks)
            let masks = (VectorMath.select(lanes .>= left, zero, one), VectorMath.select(lanes .>= left - 4, zero, one))
            for half in 0..<2 {
                let zc = T.enabled ? z[base + half + 4] : zero
                sums.add(z[base + half], z[base + half + 2], zc, mask: half == 0 ? masks.0 : masks.1, masked: true,
                         factor: f, kernel: kernel, tangent: T.self)
            }
        }
    }

    var out = LayerOutcome()
    out.z11 = sums.z11.sum(); out.z12 = sums.z12.sum(); out.z22 = sums.z22.sum()
    out.tangentNorm2 = sums.vv.sum()
    out.differing = -Int(sums.differing.wrappedSum())
    out.gram = GramEntries(g11: sums.g11.sum(), g12: sums.g12.sum(), g22: sums.g22.sum(),
                           g13: sums.g13.sum(), g23: sums.g23.sum(), g33: sums.g33.sum())
    return out
}
