import CriticalityCore
import Foundation

/// One realisation of a finite-width MLP with explicit Gaussian weight matrices: the reference
/// the exact sampler is tested against. Each layer draws W (n × n_in, row by row) and b from the
/// realisation's Gaussian stream and multiplies W [φ_a Δφ ψ].
///
/// - Complexity: O(n n_in L) time, O(n + n_in) memory.
public func runExplicitRealisation<K: PairActivationKernel>(
    _ config: MLPConfiguration, inputs: InputPairs, key: StreamKey, kernel: K,
    into trace: inout RealisationTrace
) {
    var inputRandom = Xoshiro256(key: key.derived(1))
    var stream = GaussianStream(key: key)
    let n = config.width
    let pair = inputs.pair(using: &inputRandom)
    let padded = { (m: Int) in (m + 3) / 4 * 4 }
    // Layer inputs (φ_a, Δφ, ψ) and pre-activations (h, Δ, v), padded to whole SIMD4 lanes.
    var phi = [Double](repeating: 0, count: padded(max(n, pair.a.count)))
    var dphi = phi, psi = phi
    var h = [Double](repeating: 0, count: padded(n)), delta = h, v = h
    for k in pair.a.indices { phi[k] = pair.a[k]; dphi[k] = pair.delta[k] }
    var row = [Double](repeating: 0, count: max(n, pair.a.count))
    var bias = [Double](repeating: 0, count: n)
    var fanIn = pair.a.count

    for l in 1...config.depth {
        let scale = config.sigmaW / Double(fanIn).squareRoot()
        row.withUnsafeMutableBufferPointer { stream.fill(UnsafeMutableBufferPointer(rebasing: $0[0..<n])) }
        for i in 0..<n { bias[i] = config.sigmaB * row[i] }
        for i in 0..<n {
            row.withUnsafeMutableBufferPointer { stream.fill(UnsafeMutableBufferPointer(rebasing: $0[0..<fanIn])) }
            var da = 0.0, dd = 0.0, dp = 0.0
            for k in 0..<fanIn {
                da += row[k] * phi[k]; dd += row[k] * dphi[k]; dp += row[k] * psi[k]
            }
            h[i] = scale * da + bias[i]
            delta[i] = scale * dd
            v[i] = scale * dp
        }
        if config.tangent && l == 1 {
            row.withUnsafeMutableBufferPointer { stream.fill(UnsafeMutableBufferPointer(rebasing: $0[0..<n])) }
            let s = 1 / Double(n).squareRoot()
            for i in 0..<n { v[i] = s * row[i] }
        }
        // ρ from a = |h|², s = h·Δ, d = |Δ|² and a|Δ − (s/a)h|² (a second pass, no cancellation).
        var a = 0.0, s = 0.0, d = 0.0, vv = 0.0
        var identical = true
        for i in 0..<n {
            a += h[i] * h[i]; s += h[i] * delta[i]; d += delta[i] * delta[i]; vv += v[i] * v[i]
            if h[i] + delta[i] != h[i] { identical = false }
        }
        var perp = 0.0
        if a > 0 {
            for i in 0..<n { let t = delta[i] - s / a * h[i]; perp += t * t }
        }
        var growth = Double.nan
        if config.tangent {
            let norm = vv.squareRoot()
            if l > 1 { growth = Foundation.log(norm) }
            if norm > 0 { for i in 0..<n { v[i] /= norm } }
        }
        trace.record(layer: l, width: n, a: a, s: s, d: d, perpendicular: a * perp,
                     identical: identical, growth: growth)
        // Next layer's inputs.
        for k in phi.indices { phi[k] = 0; dphi[k] = 0; psi[k] = 0 }
        var i = 0
        while i < n {
            let hv = SIMD4<Double>(h[i], h[i + 1], h[i + 2], h[i + 3])
            let dv = SIMD4<Double>(delta[i], delta[i + 1], delta[i + 2], delta[i + 3])
            let (p, dp, slope) = kernel.evaluate(hv, dv)
            for j in 0..<4 where i + j < n {
                phi[i + j] = p[j]; dphi[i + j] = dp[j]; psi[i + j] = slope[j] * v[i + j]
            }
            i += 4
        }
        fanIn = n
    }
}
