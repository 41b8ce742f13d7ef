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

/// tanh with vectorised polynomials: Δφ = tanh Δ · (1 − tanh² h) / (1 + tanh h · tanh Δ).
///
/// With tanh h = N_a/D_a and tanh Δ = N_d/D_d (``VectorMath/tanhParts(_:)``) and X = D_a D_d + N_a N_d,
/// S = D_a² − N_a² = (D_a − |N_a|)(D_a + |N_a|), all three outputs share one division R = 1/(D_a² X):
/// φ = N_a D_a X R, Δφ = N_d S D_a R, φ′ = S X R.
public struct TanhKernel: PairActivationKernel {
    @inlinable public init() {}

    @inlinable @inline(__always)
    public func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>)
        -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>)
    {
        let ta = VectorMath.tanh(h)
        let td = VectorMath.tanh(delta)
        let sech2 = (1 - ta) * (1 + ta)
        return (ta, td * sech2 / (1 + ta * td), sech2)
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
