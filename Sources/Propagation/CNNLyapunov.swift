import CriticalityCore
import Foundation
import MeanField

/// The linearised pair kernel: φ(h) as `base` gives it, and φ′(h) Δ in place of the finite
/// difference, so that Δ propagates as a tangent vector.
struct TangentKernel<Base: PairActivationKernel>: PairActivationKernel {
    let base: Base

    @inline(__always)
    func evaluate(_ h: SIMD4<Double>, _ delta: SIMD4<Double>) -> (phi: SIMD4<Double>, deltaPhi: SIMD4<Double>, slope: SIMD4<Double>) {
        let (phi, _, slope) = base.evaluate(h, delta)
        return (phi, slope * delta, slope)
    }
}

/// The replica (transverse) Lyapunov exponent of a CNN (docs/models.md, "Replica Lyapunov
/// exponent"): the growth rate per layer of an infinitesimal difference between two inputs,
/// v′ = W ∗ (φ′(h) ⊙ v) with the weights of the realisation, renormalised every layer:
/// λ = ⟨½ ln(|v_l|² / |v_{l−1}|²)⟩ over the layers after the burn-in and over realisations.
///
/// At a synchronisation transition of the multiplicative-noise (bounded KPZ) kind λ = 0 at the
/// critical point; where it is of the directed-percolation kind λ ≠ 0 there: negative where finite
/// differences spread by the nonlinearity while infinitesimal ones shrink (Muñoz & Pastor-Satorras,
/// PRL 90, 204101, 2003; Baroni, Livi & Torcini, PRE 63, 036226, 2001), positive where a cutoff
/// absorbs small differences (docs/analysis.md, "Multiplicative noise in one dimension").
public enum CNNLyapunov {
    /// λ of one realisation, drawing the weights from `key` exactly as ``runCNNRealisation(_:key:recordField:)``
    /// does (common random numbers with the ρ-run of the same key); the tangent starts along the
    /// two inputs' difference.
    ///
    /// - Complexity: O(L P C² K^d), as a ρ-run.
    public static func realisation(_ config: CNNConfiguration, key: StreamKey, burnIn: Int) -> Double {
        switch config.activation {
        case .tanh: run(config, key, burnIn, TangentKernel(base: TanhKernel()))
        case .linear: run(config, key, burnIn, TangentKernel(base: LinearKernel()))
        case .relu: run(config, key, burnIn, TangentKernel(base: ReLUKernel()))
        default: run(config, key, burnIn, TangentKernel(base: ScalarKernel(config.activation)))
        }
    }

    /// The mean and standard error of λ over `samples` realisations (the same numbers on any
    /// thread count).
    public static func point(_ config: CNNConfiguration, samples: Int, seed: UInt64, burnIn: Int, threads: Int) -> (lambda: Double, error: Double) {
        let values = parallelMap(samples, threads: threads) { r in
            realisation(config, key: StreamKey(seed: seed, task: 0, realisation: UInt64(r)), burnIn: burnIn)
        }
        var m = RunningMoments()
        for v in values where v.isFinite { m.add(v) }
        return (m.value, m.standardError)
    }

    /// λ at each of `sigmaW` (the other parameters from `config`) and, where λ changes sign from
    /// negative to positive between neighbours, its zero by linear interpolation with the error
    /// of the larger λ error over the slope.
    public static func scan(_ config: CNNConfiguration, sigmaW: [Double], samples: Int, seed: UInt64, burnIn: Int, threads: Int)
        -> (points: [(sigmaW: Double, lambda: Double, error: Double)], zero: (sigmaW: Double, error: Double)?) {
        let points = sigmaW.sorted().map { w -> (sigmaW: Double, lambda: Double, error: Double) in
            var c = config
            c.sigmaW = w
            let (l, e) = point(c, samples: samples, seed: seed, burnIn: burnIn, threads: threads)
            return (w, l, e)
        }
        guard let k = points.indices.dropLast().first(where: { points[$0].lambda < 0 && points[$0 + 1].lambda >= 0 }) else {
            return (points, nil)
        }
        let (a, b) = (points[k], points[k + 1])
        let slope = (b.lambda - a.lambda) / (b.sigmaW - a.sigmaW)
        return (points, (a.sigmaW - a.lambda / slope, max(a.error, b.error) / slope))
    }

    static func run<K: PairActivationKernel>(_ config: CNNConfiguration, _ key: StreamKey, _ burnIn: Int, _ kernel: K) -> Double {
        let work = CNNWorkspace(config)
        work.prepareInputs(key: key.derived(1))
        let planes = work.channels * work.conv.inputPlane
        func rescale(_ f: Double) { for i in 0..<planes { work.inD[i] *= f } }
        var start = 0.0
        for i in 0..<planes { start += work.inD[i] * work.inD[i] }
        guard start > 0 else { return .nan }
        rescale(1 / start.squareRoot())
        var weightStream = GaussianStream(key: key)
        var sum = 0.0, count = 0
        for l in 1...config.depth {
            if config.untied { work.convolveUntied(&weightStream) } else { work.convolveShared(&weightStream) }
            work.sumAndActivate(kernel, activate: true)
            let norm = work.tangentNormSquared()
            guard norm > 0, norm.isFinite else { return .nan }
            if l > burnIn { sum += 0.5 * Foundation.log(norm); count += 1 }
            rescale(1 / norm.squareRoot())
        }
        return count > 0 ? sum / Double(count) : .nan
    }
}

extension CNNWorkspace {
    /// Σ over sites of |Δ_x|² of the last layer's pre-activations (the per-site sums of
    /// ``sumAndActivate(_:activate:)``; lanes past the lattice in a padded row left out).
    func tangentNormSquared() -> Double {
        var total = 0.0
        for y in 0..<conv.rows {
            for v0 in 0..<vectorsPerRow {
                let d = sums[3 * (y * vectorsPerRow + v0) + 2]
                for lane in 0..<min(4, config.size - 4 * v0) { total += d[lane] }
            }
        }
        return total
    }
}
