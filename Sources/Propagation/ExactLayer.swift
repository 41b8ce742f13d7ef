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

/// One layer of the exact weight-free sampler (DESIGN §2): n neurons, each drawing k = 2 (or 3 with
/// a tangent) standard normals z and setting (h, Δ, v) = L z; nothing of size n is stored.
///
/// - Complexity: O(n k) time, O(1) memory.
@inlinable
public func sampleExactLayer<K: PairActivationKernel, T: TangentMode>(
    width n: Int, factor f: LayerCholesky, kernel: K, tangent: T.Type,
    stream: inout GaussianStream
) -> LayerOutcome {
    let zero = SIMD4<Double>(repeating: 0)
    var z11 = zero, z12 = zero, z22 = zero, vv = zero
    var g11 = zero, g12 = zero, g22 = zero, g13 = zero, g23 = zero, g33 = zero
    var differing = SIMD4<Int64>(repeating: 0)

    @inline(__always)
    func neurons(_ za: SIMD4<Double>, _ zb: SIMD4<Double>, _ zc: SIMD4<Double>, _ mask: SIMD4<Double>) {
        let h = f.l11 * za
        let d = VectorMath.fma(SIMD4(repeating: f.l22), zb, f.l21 * za)
        let mza = mask * za
        z11 = VectorMath.fma(mza, za, z11)
        z12 = VectorMath.fma(mza, zb, z12)
        z22 = VectorMath.fma(mask * zb, zb, z22)
        // Lanes where fl(h + Δ) ≠ h count −1 each (mask lanes are all ones when true).
        differing &+= unsafeBitCast((h + d) .!= h .& (mask .> 0), to: SIMD4<Int64>.self)
        let (phi, dphi, slope) = kernel.evaluate(h, d)
        let mphi = mask * phi
        g11 = VectorMath.fma(mphi, phi, g11)
        g12 = VectorMath.fma(mphi, dphi, g12)
        g22 = VectorMath.fma(mask * dphi, dphi, g22)
        if T.enabled {
            let v = VectorMath.fma(SIMD4(repeating: f.l33), zc, VectorMath.fma(SIMD4(repeating: f.l32), zb, f.l31 * za))
            vv = VectorMath.fma(mask * v, v, vv)
            let psi = mask * slope * v
            g13 = VectorMath.fma(phi, psi, g13)
            g23 = VectorMath.fma(dphi, psi, g23)
            g33 = VectorMath.fma(psi, psi, g33)
        }
    }

    let one = SIMD4<Double>(repeating: 1)
    // Draw all k n Gaussians first (a simple loop that keeps the vector units busy), then sweep
    // the neurons; the buffer (k n doubles) stays in the L1/L2 cache.
    let k = T.enabled ? 3 : 2
    let blocks = (n + 7) / 8
    withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 2 * k * blocks) { z in
        for j in 0..<(k * blocks) {
            let (a, b) = stream.nextPair()
            z[2 * j] = a
            z[2 * j + 1] = b
        }
        for block in 0..<blocks {
            let base = 2 * k * block
            var maskA = one, maskB = one
            if block == blocks - 1, n % 8 != 0 {
                let lanes = SIMD4<Double>(0, 1, 2, 3)
                let left = Double(n - 8 * block)
                maskA = VectorMath.select(lanes .>= left, zero, one)
                maskB = VectorMath.select(lanes .>= left - 4, zero, one)
            }
            if T.enabled {
                neurons(z[base], z[base + 2], z[base + 4], maskA)
                neurons(z[base + 1], z[base + 3], z[base + 5], maskB)
            } else {
                neurons(z[base], z[base + 2], zero, maskA)
                neurons(z[base + 1], z[base + 3], zero, maskB)
            }
        }
    }

    var out = LayerOutcome()
    out.z11 = z11.sum(); out.z12 = z12.sum(); out.z22 = z22.sum()
    out.tangentNorm2 = vv.sum()
    out.differing = -Int(differing.wrappedSum())
    out.gram = GramEntries(g11: g11.sum(), g12: g12.sum(), g22: g22.sum(), g13: g13.sum(), g23: g23.sum(), g33: g33.sum())
    return out
}
