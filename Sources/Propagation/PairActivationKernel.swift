import VectorBuiltins
import CriticalityCore
import MeanField

/// An activation evaluated on four neurons of a signal pair in the difference formulation.
///
/// Given pre-activations h (signal a) and Δ = h_b − h_a, returns φ(h), φ(h + Δ) − φ(h) computed
/// without cancellation (DESIGN §2), and φ′(h) for tangent vectors.
public protocol PairActivationKernel: Sendable {
    func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)
}

/// tanh with vectorised polynomials: with tanh Δ = N/D (``VectorMath/tanhFraction(_:)``),
/// Δφ = tanh Δ · sech² h / (1 + tanh h · tanh Δ) = N sech² h / (D + N tanh h), and sech² h computed
/// from e^{−2|h|} (``VectorMath/tanhAndSech2(_:)``), so that saturated neurons keep their relative
/// accuracy too. Two divisions for four neurons.
public struct TanhKernel: PairActivationKernel {
    @inlinable public init() {}

    @inlinable @inline(__always)
    public func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)
    {
        let (ta, sech2) = VectorMath.tanhAndSech2(h)
        let (n, d) = VectorMath.tanhFraction(delta)
        return (ta, n * sech2 / VectorMath.fma(ta, n, d), sech2)
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
