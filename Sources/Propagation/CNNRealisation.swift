import CriticalityCore
import Foundation
import MeanField
import VectorBuiltins

/// With `untied`, every site draws its own W and b in every layer (a locally connected network,
/// the control of docs/models.md, "Untied control": all noise is local), at the cost of C² K^d Gaussians per site.
///
/// One realisation of a finite-channel CNN (docs/models.md, "Convolutional network (CNN)"), propagating signal a and the difference
/// Δ = h_b − h_a through the same weights: h_a ← W ∗ φ(h_a) + b, Δ ← W ∗ [φ(h_a + Δ) − φ(h_a)],
/// with Δφ from the pair kernels (no cancellation), so ρ_x stays accurate when the signals nearly
/// agree. Fresh W ~ N(0, σ_w²/(C K^d)) and b ~ N(0, σ_b²) in every layer, shared by all sites, from
/// the realisation's Gaussian stream; inputs from a second stream of the same key.
///
/// Per layer: ρ = mean over sites of ρ_x, N = the active sites (ρ_x > ε, and their channel vectors
/// differ in some bit: fl(h_a + Δ) ≠ h_a), and for spreading runs Σ |x − x₀|² over them. At inactive sites the two
/// signals are identical in double precision, so Δ is set to exactly zero there (ρ_x = 0): the
/// absorbing state is absorbing, and a run whose difference has died everywhere stays dead
/// (W ∗ 0 = 0), so its remaining layers are filled in without work. ρ_x uses |h_a|²|Δ|² − (h_a·Δ)²
/// for the perpendicular part, accurate unless Δ is nearly parallel to h_a.
///
/// - Complexity: O(L P C² K^d) time, O(P C) memory.
public func runCNNRealisation(_ config: CNNConfiguration, key: StreamKey, recordField: Bool) -> LatticeTrace {
    switch config.activation {
    case .tanh: runCNN(config, key, recordField, TanhKernel())
    case .linear: runCNN(config, key, recordField, LinearKernel())
    case .relu: runCNN(config, key, recordField, ReLUKernel())
    default: runCNN(config, key, recordField, ScalarKernel(config.activation))
    }
}

func runCNN<K: PairActivationKernel>(_ config: CNNConfiguration, _ key: StreamKey, _ recordField: Bool, _ kernel: K) -> LatticeTrace {
    let c = config.channels, s = config.size, depth = config.depth
    let conv = PeriodicConvolution(dim: config.dim, size: s, inChannels: c, outChannels: c, kernel: config.kernel)
    let taps = conv.offsets.count
    let sites = config.sites
    let inA = UnsafeMutablePointer<Double>.allocate(capacity: c * conv.inputPlane)
    let inD = UnsafeMutablePointer<Double>.allocate(capacity: c * conv.inputPlane)
    let outCount = conv.paddedOutChannels * conv.outputPlane
    let outA = UnsafeMutablePointer<Double>.allocate(capacity: outCount)
    let outD = UnsafeMutablePointer<Double>.allocate(capacity: outCount)
    let weights = UnsafeMutablePointer<Double>.allocate(capacity: conv.weightCount)
    let bias = UnsafeMutablePointer<Double>.allocate(capacity: conv.paddedOutChannels)
    // Gaussians are drawn in whole vectors (the stream's fast bulk path) and read as doubles.
    let drawCount = c * c * taps + c
    let drawVectors = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: (drawCount + 3) / 4)
    let drawBytes = UnsafeRawPointer(drawVectors)
    @inline(__always) func draw(_ i: Int) -> Double { drawBytes.load(fromByteOffset: 8 * i, as: Double.self) }
    defer { for p in [inA, inD, outA, outD, weights, bias] { p.deallocate() }; drawVectors.deallocate() }
    outA.initialize(repeating: 0, count: outCount)
    outD.initialize(repeating: 0, count: outCount)
    inA.initialize(repeating: 0, count: c * conv.inputPlane)
    inD.initialize(repeating: 0, count: c * conv.inputPlane)
    weights.initialize(repeating: 0, count: conv.weightCount)
    bias.initialize(repeating: 0, count: conv.paddedOutChannels)

    // Inputs: at every site x_a with |x_a|²/C = q0; x_b with the same norm and cosine c0 (every
    // site, or only the seed), stored as Δx = x_b − x_a.
    let seedX = s / 2, seedY = config.dim == 2 ? s / 2 : 0
    var inputStream = GaussianStream(key: key.derived(1))
    let rows = config.dim == 2 ? s : 1
    // All input Gaussians in one draw: per site, C for x_a and C for the direction u.
    let normalVectors = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: (2 * c * rows * s + 3) / 4)
    defer { normalVectors.deallocate() }
    inputStream.fill(normalVectors, vectors: (2 * c * rows * s + 3) / 4)
    let normalBytes = UnsafeMutableRawPointer(normalVectors)
    @inline(__always) func normal(_ i: Int) -> Double { normalBytes.load(fromByteOffset: 8 * i, as: Double.self) }
    let target = (config.q0 * Double(c)).squareRoot()
    for y in 0..<rows {
        for x in 0..<s {
            let base = 2 * c * (y * s + x)
            let i = conv.inputIndex(x: x, y: y)
            var na = 0.0
            for k in 0..<c { na += normal(base + k) * normal(base + k) }
            let scale = target / na.squareRoot()
            for k in 0..<c { inA[k * conv.inputPlane + i] = scale * normal(base + k) }
            guard config.start == .homogeneous || (x == seedX && y == seedY) else { continue }
            // u ⟂ x_a, |u| = |x_a|: x_b = c0 x_a + √(1 − c0²) u, Δx = (c0 − 1) x_a + √(1 − c0²) u.
            var along = 0.0
            for k in 0..<c { along += normal(base + c + k) * inA[k * conv.inputPlane + i] }
            along /= target * target
            var nu = 0.0
            for k in 0..<c {
                let orthogonal = normal(base + c + k) - along * inA[k * conv.inputPlane + i]
                normalBytes.storeBytes(of: orthogonal, toByteOffset: 8 * (base + c + k), as: Double.self)
                nu += orthogonal * orthogonal
            }
            let across = (1 - config.c0 * config.c0).squareRoot() * (nu > 0 ? target / nu.squareRoot() : 0)
            for k in 0..<c {
                inD[k * conv.inputPlane + i] = (config.c0 - 1) * inA[k * conv.inputPlane + i] + across * normal(base + c + k)
            }
        }
    }

    var weightStream = GaussianStream(key: key)
    let wScale = config.sigmaW / Double(c * taps).squareRoot()
    var trace = LatticeTrace(depth: depth)
    var field = recordField ? LatticeField(latticeSites: s, depth: depth) : nil
    let spreading = config.start == .spreading
    // Per-site sums |h_a|², h_a·Δ, |Δ|² and the activity mask, in rows padded to a multiple of 4.
    let rowSites = (s + 3) / 4 * 4
    let sums = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 3 * conv.rows * rowSites / 4)
    let activity = UnsafeMutablePointer<SIMD4<Int64>>.allocate(capacity: conv.rows * rowSites / 4)
    defer { sums.deallocate(); activity.deallocate() }
    let vectorsPerRow = rowSites / 4

    for l in 1...depth {
        conv.fillHalo(inA, planes: c)
        conv.fillHalo(inD, planes: c)
        if config.untied {
            // The locally connected control: fresh W and b at every site (all noise local).
            for y in 0..<conv.rows {
                for x in 0..<s {
                    weightStream.fill(drawVectors, vectors: (drawCount + 3) / 4)
                    let corner = y * conv.inputRowLength + x, j = conv.outputIndex(x: x, y: y)
                    for alpha in 0..<c {
                        var sumA = config.sigmaB * draw(c * c * taps + alpha), sumD = 0.0
                        for beta in 0..<c {
                            let a = inA + beta * conv.inputPlane + corner, d = inD + beta * conv.inputPlane + corner
                            for k in 0..<taps {
                                let w = wScale * draw((alpha * c + beta) * taps + k)
                                sumA += w * a[conv.offsets[k]]
                                sumD += w * d[conv.offsets[k]]
                            }
                        }
                        outA[alpha * conv.outputPlane + j] = sumA
                        outD[alpha * conv.outputPlane + j] = sumD
                    }
                }
            }
        } else {
            weightStream.fill(drawVectors, vectors: (drawCount + 3) / 4)
            for alpha in 0..<c {
                for beta in 0..<c {
                    for k in 0..<taps {
                        weights[conv.weightIndex(out: alpha, in: beta, offset: k)] = wScale * draw((alpha * c + beta) * taps + k)
                    }
                }
                bias[alpha] = config.sigmaB * draw(c * c * taps + alpha)
            }
            conv.apply(weights: weights, bias: bias, input: inA, output: outA)
            conv.apply(weights: weights, bias: nil, input: inD, output: outD)
        }

        // One pass over the output planes, four sites at a time: the per-site sums and activity
        // (from the pre-activations) and, unless this is the last layer, φ(h_a) and Δφ into the
        // interiors of the input planes (whole vectors: the row padding and the halo beyond it
        // are rewritten by the next fillHalo).
        let activate = l < depth
        for y in 0..<conv.rows {
            let j0 = conv.outputIndex(x: 0, y: y), i0 = conv.inputIndex(x: 0, y: y)
            // Per-site sums and activity, four sites at a time over all channels.
            for v in 0..<vectorsPerRow {
                var sa = SIMD4<Double>.zero, ss = SIMD4<Double>.zero, sd = SIMD4<Double>.zero
                var differs = SIMD4<UInt64>.zero
                var a = outA + j0 + 4 * v, d = outD + j0 + 4 * v
                for _ in 0..<c {
                    let h = UnsafeRawPointer(a).loadUnaligned(as: SIMD4<Double>.self)
                    let dh = UnsafeRawPointer(d).loadUnaligned(as: SIMD4<Double>.self)
                    sa = VectorMath.fma(h, h, sa); ss = VectorMath.fma(h, dh, ss); sd = VectorMath.fma(dh, dh, sd)
                    differs |= unsafeBitCast((h + dh) .!= h, to: SIMD4<UInt64>.self)
                    a += conv.outputPlane; d += conv.outputPlane
                }
                let k = 3 * (y * vectorsPerRow + v)
                sums[k] = sa; sums[k + 1] = ss; sums[k + 2] = sd
                activity[y * vectorsPerRow + v] = unsafeBitCast(differs, to: SIMD4<Int64>.self)
            }
            // φ(h_a) and Δφ into the interiors of the input planes, a channel row at a time (whole
            // vectors: the row padding and the halo beyond it are rewritten by the next fillHalo).
            if activate {
                for alpha in 0..<c {
                    kernel.evaluate(vectors: vectorsPerRow, h: outA + alpha * conv.outputPlane + j0,
                                    delta: outD + alpha * conv.outputPlane + j0,
                                    phi: inA + alpha * conv.inputPlane + i0, deltaPhi: inD + alpha * conv.inputPlane + i0,
                                    slope: nil)
                }
            }
        }
        var rhoSum = 0.0, count = 0, differing = 0, spread = 0.0
        for y in 0..<conv.rows {
            for v0 in 0..<vectorsPerRow {
                let v = y * vectorsPerRow + v0
                let rho4 = pairRho(a: sums[3 * v], s: sums[3 * v + 1], d: sums[3 * v + 2])
                for lane in 0..<min(4, s - 4 * v0) {
                    let x = 4 * v0 + lane
                    var rho = 0.0
                    if activity[v][lane] != 0 {
                        rho = rho4[lane]
                        differing += 1
                        if rho > config.epsilon {
                            count += 1
                            if spreading {
                                let dx = periodicDistance(x - seedX, s), dy = periodicDistance(y - seedY, s)
                                spread += Double(dx * dx + dy * dy)
                            }
                        }
                    } else if activate {
                        // The two signals agree bit for bit here, as they would in a double-precision
                        // network: the difference is exactly zero from now on at this site.
                        let i = conv.inputIndex(x: x, y: y)
                        for alpha in 0..<c { inD[alpha * conv.inputPlane + i] = 0 }
                    }
                    rhoSum += rho
                    if y == seedY { field?.record(layer: l, site: x, rho) }
                }
            }
        }
        trace.record(layer: l, rho: rhoSum / Double(sites), active: count, spread: spreading ? spread : .nan)
        if differing == 0 {
            // Δ is zero everywhere and stays zero (W ∗ 0 = 0): the absorbing state.
            trace.fillAbsorbed(after: l, spreading: spreading)
            break
        }
    }
    trace.field = field
    return trace
}
