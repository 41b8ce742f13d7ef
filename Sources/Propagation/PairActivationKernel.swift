import Foundation
import VectorBuiltins
import CriticalityCore
import MeanField

/// An activation evaluated on four neurons of a signal pair in the difference formulation.
///
/// Given pre-activations h (signal a) and Δ = h_b − h_a, returns φ(h), φ(h + Δ) − φ(h) computed
/// without cancellation (docs/algorithms.md, "Difference formulation"), and φ′(h) for tangent vectors.
public protocol PairActivationKernel: Sendable {
    func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)

    /// φ, Δφ and, when `slope` is given, φ′ of `vectors` groups of four consecutive doubles
    /// (unaligned pointers), in bulk.
    func evaluate(vectors: Int, h: UnsafePointer<Double>, delta: UnsafePointer<Double>,
                  phi: UnsafeMutablePointer<Double>, deltaPhi: UnsafeMutablePointer<Double>,
                  slope: UnsafeMutablePointer<Double>?)
}

extension PairActivationKernel {
    /// Four at a time through ``evaluate(_:_:)``.
    @inlinable
    public func evaluate(vectors: Int, h: UnsafePointer<Double>, delta: UnsafePointer<Double>,
                         phi: UnsafeMutablePointer<Double>, deltaPhi: UnsafeMutablePointer<Double>,
                         slope: UnsafeMutablePointer<Double>?) {
        for v in 0..<vectors {
            let (p, d, s) = evaluate(UnsafeRawPointer(h + 4 * v).loadUnaligned(as: SIMD4<Double>.self),
                                     UnsafeRawPointer(delta + 4 * v).loadUnaligned(as: SIMD4<Double>.self))
            UnsafeMutableRawPointer(phi + 4 * v).storeBytes(of: p, as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(deltaPhi + 4 * v).storeBytes(of: d, as: SIMD4<Double>.self)
            if let slope { UnsafeMutableRawPointer(slope + 4 * v).storeBytes(of: s, as: SIMD4<Double>.self) }
        }
    }
}

/// tanh with vectorised polynomials and two independent divisions for four neurons.
///
/// With e = e^{−2|h|}, ε = e^{−2|Δ|} and the numerators T = tanh h (1 + e), N = tanh Δ (1 + ε)
/// (``VectorMath/tanhTerms(_:)``): tanh h = T/(1 + e), sech² h = 4e/(1 + e)², and
/// Δφ = tanh Δ sech² h / (1 + tanh h tanh Δ) = 4eN / ((1 + e) Z) with Z = (1 + e)(1 + ε) + TN.
/// When h and Δ have the same sign Z ≥ 1; otherwise Z = 2(e + ε) exactly, which does not cancel
/// even when both saturate (there the textbook formula divides zero by zero). The two divisions do
/// not wait for each other. Lanes where |h| and |Δ| both exceed ``VectorMath/tanhClamp``
/// (pre-activations in the hundreds) are recomputed by a scalar formula.
public struct TanhKernel: PairActivationKernel {
    @inlinable public init() {}

    @inlinable @inline(__always)
    public func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)
    {
        let (ea, ma, _) = VectorMath.tanhTerms(h)
        let (ed, md, _) = VectorMath.tanhTerms(delta)
        return finish(h, delta, ea: ea, ma: ma, ed: ed, md: md)
    }

    /// In bulk, split in two passes over chunks of 32 vectors: first the exponentials of both
    /// signals (short, independent dependency chains), then the divisions and the rest. One pass
    /// doing everything has a dependency chain of about 80 cycles per vector, longer than the
    /// processor's reorder window can hide; split, the CNN's activation pass ran about 20% faster.
    @inlinable
    public func evaluate(vectors: Int, h: UnsafePointer<Double>, delta: UnsafePointer<Double>,
                         phi: UnsafeMutablePointer<Double>, deltaPhi: UnsafeMutablePointer<Double>,
                         slope: UnsafeMutablePointer<Double>?) {
        let chunk = 32
        withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 4 * chunk) { terms in
            var start = 0
            while start < vectors {
                let count = min(chunk, vectors - start)
                for v in 0..<count {
                    let x = UnsafeRawPointer(h + 4 * (start + v)).loadUnaligned(as: SIMD4<Double>.self)
                    let d = UnsafeRawPointer(delta + 4 * (start + v)).loadUnaligned(as: SIMD4<Double>.self)
                    let (ea, ma, _) = VectorMath.tanhTerms(x)
                    let (ed, md, _) = VectorMath.tanhTerms(d)
                    terms[4 * v] = ea; terms[4 * v + 1] = ma; terms[4 * v + 2] = ed; terms[4 * v + 3] = md
                }
                for v in 0..<count {
                    let x = UnsafeRawPointer(h + 4 * (start + v)).loadUnaligned(as: SIMD4<Double>.self)
                    let d = UnsafeRawPointer(delta + 4 * (start + v)).loadUnaligned(as: SIMD4<Double>.self)
                    let (p, dp, sp) = finish(x, d, ea: terms[4 * v], ma: terms[4 * v + 1], ed: terms[4 * v + 2], md: terms[4 * v + 3])
                    UnsafeMutableRawPointer(phi + 4 * (start + v)).storeBytes(of: p, as: SIMD4<Double>.self)
                    UnsafeMutableRawPointer(deltaPhi + 4 * (start + v)).storeBytes(of: dp, as: SIMD4<Double>.self)
                    if let slope { UnsafeMutableRawPointer(slope + 4 * (start + v)).storeBytes(of: sp, as: SIMD4<Double>.self) }
                }
                start += count
            }
        }
    }

    /// φ = tanh h, Δφ and φ′ = sech² h from the exponential terms of h and Δ
    /// (``VectorMath/tanhTerms(_:)``): the formula of both evaluation paths.
    @inlinable @inline(__always)
    func finish(_ h: SIMD4<Double>, _ delta: SIMD4<Double>, ea: SIMD4<Double>, ma: SIMD4<Double>,
                ed: SIMD4<Double>, md: SIMD4<Double>) -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>) {
        let signA = VectorMath.bits(h) & 0x8000_0000_0000_0000, signD = VectorMath.bits(delta) & 0x8000_0000_0000_0000
        let da = 1 + ea
        let inverse = 1 / da
        let ta = VectorMath.bits(VectorMath.bits(-ma * inverse) | signA)
        let sech2 = 4 * ea * (inverse * inverse)
        let t = VectorMath.bits(VectorMath.bits(-ma) | signA)
        let n = VectorMath.bits(VectorMath.bits(-md) | signD)
        let z = VectorMath.select(signA .== signD, VectorMath.fma(t, n, da * (1 + ed)), 2 * (ea + ed))
        var dphi = 4 * ea * n / (da * z)
        let clamp = VectorMath.tanhClamp
        let beyond = (VectorMath.abs(h) .> clamp) .& (VectorMath.abs(delta) .> clamp)
        if _slowPath(beyond.anyLaneSet) {
            for j in 0..<4 where beyond[j] { dphi[j] = Self.saturatedDifference(h[j], delta[j]) }
        }
        return (ta, dphi, sech2)
    }

    /// tanh(h + Δ) − tanh h when |h| > ``VectorMath/tanhClamp``, so that tanh h = s = ±1 exactly:
    /// −s (1 − s tanh b) with b = h + Δ, where 1 − tanh |b| = 2 / (e^{2|b|} + 1) keeps its relative
    /// accuracy.
    @inlinable
    static func saturatedDifference(_ h: Double, _ delta: Double) -> Double {
        let b = h + delta
        let s: Double = h > 0 ? 1 : -1
        let gap = (b > 0) == (h > 0) ? 2 / (Foundation.exp(2 * Swift.abs(b)) + 1) : 1 + Foundation.tanh(Swift.abs(b))
        return -s * gap
    }
}

/// The identity: Δφ = Δ exactly.
public struct LinearKernel: PairActivationKernel {
    @inlinable public init() {}

    @inlinable @inline(__always)
    public func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)
    {
        (h, delta, SIMD4(repeating: 1))
    }
}

/// max(x, 0): Δφ = Δ exactly when both signals are positive, 0 when both are not, and the plain
/// difference (free of cancellation, since the signs differ) otherwise.
public struct ReLUKernel: PairActivationKernel {
    @inlinable public init() {}

    @inlinable @inline(__always)
    public func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)
    {
        let zero = SIMD4<Double>(repeating: 0)
        let b = h + delta
        let phiA = VectorMath.select(h .<= 0, zero, h)
        let phiB = VectorMath.select(b .<= 0, zero, b)
        let d = VectorMath.select((h .> 0) .& (b .> 0), delta, phiB - phiA)
        let slope = VectorMath.select(h .<= 0, zero, SIMD4(repeating: 1))
        return (phiA, d, slope)
    }
}

/// Any activation, lane by lane through the scalar ``Activation`` functions (slower: libm calls).
public struct ScalarKernel: PairActivationKernel {
    public let activation: Activation

    @inlinable public init(_ activation: Activation) { self.activation = activation }

    @inlinable
    public func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)
    {
        var phi = SIMD4<Double>(), dphi = SIMD4<Double>(), slope = SIMD4<Double>()
        for j in 0..<4 {
            phi[j] = activation.value(h[j])
            dphi[j] = activation.difference(around: h[j], by: delta[j])
            slope[j] = activation.derivative(h[j])
        }
        return (phi, dphi, slope)
    }
}
