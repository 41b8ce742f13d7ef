import CriticalityCore
import Foundation

/// One realisation of a finite-width MLP by the exact weight-free sampler (docs/algorithms.md, "Exact sampler").
///
/// The first layer acts on the inputs' Gram matrix; a tangent vector, when asked for, starts at
/// layer 1 as an independent Gaussian vector of unit mean square norm.
///
/// - Complexity: O(n L k) time, O(L) memory.
@inlinable
public func runExactRealisation<K: PairActivationKernel, T: TangentMode>(
    _ config: MLPConfiguration, inputs: InputPairs, key: StreamKey, kernel: K, tangent: T.Type,
    into trace: inout RealisationTrace
) {
    var inputRandom = Xoshiro256(key: key.derived(1))
    var stream = GaussianStream(key: key)
    let n = config.width
    var factor = LayerCholesky(gram: inputs.gram(using: &inputRandom), inputs: inputs.dimension,
                               sigmaW: config.sigmaW, sigmaB: config.sigmaB)
    if T.enabled { factor.l31 = 0; factor.l32 = 0; factor.l33 = 1 / Double(n).squareRoot() }
    for l in 1...config.depth {
        var out = sampleExactLayer(width: n, factor: factor, kernel: kernel, tangent: T.self, stream: &stream)
        let f = factor
        // h = l11 z1, Δ = l21 z1 + l22 z2: the sums follow from those of z, and a|Δ|² − s² =
        // (l11 l22)² (Z11 Z22 − Z12²) needs no subtraction of nearly equal numbers.
        let a = f.l11 * f.l11 * out.z11
        let s = f.l11 * (f.l21 * out.z11 + f.l22 * out.z12)
        let d = f.l21 * f.l21 * out.z11 + 2 * f.l21 * f.l22 * out.z12 + f.l22 * f.l22 * out.z22
        let perpendicular = (f.l11 * f.l22) * (f.l11 * f.l22) * (out.z11 * out.z22 - out.z12 * out.z12)
        var growth = Double.nan
        if T.enabled {
            let norm = out.tangentNorm2.squareRoot()
            if l > 1 { growth = Foundation.log(norm) }
            if norm > 0 {
                out.gram.g13 /= norm; out.gram.g23 /= norm; out.gram.g33 /= norm * norm
            }
        }
        trace.record(layer: l, width: n, a: a, s: s, d: d, perpendicular: perpendicular,
                     identical: out.differing == 0, growth: growth)
        factor = LayerCholesky(gram: out.gram, inputs: n, sigmaW: config.sigmaW, sigmaB: config.sigmaB)
    }
}
