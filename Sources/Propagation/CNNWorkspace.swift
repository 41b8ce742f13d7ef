import CriticalityCore
import Foundation
import MeanField
import VectorBuiltins

/// The buffers of one CNN realisation and the steps of a layer (``runCNNRealisation(_:key:recordField:)``):
/// the input planes of signal a and of the difference Δ (with halos), the output planes, the
/// blocked weights and bias, the Gaussians of one layer's draw, and the per-site sums and activity.
/// It owns every allocation (released in `deinit`); the unsafe pointer arithmetic stays inside.
final class CNNWorkspace {
    let config: CNNConfiguration
    let conv: PeriodicConvolution
    let channels: Int
    let taps: Int
    /// Input planes of h_a and Δ (φ(h_a) and Δφ after the activation), C × inputPlane each.
    let inA: UnsafeMutablePointer<Double>, inD: UnsafeMutablePointer<Double>
    /// Output planes (pre-activations) of h_a and Δ, paddedOutChannels × outputPlane each.
    let outA: UnsafeMutablePointer<Double>, outD: UnsafeMutablePointer<Double>
    let weights: UnsafeMutablePointer<Double>, bias: UnsafeMutablePointer<Double>
    /// One layer's Gaussians, drawn in whole vectors (the stream's bulk path) and read as doubles.
    let drawVectors: UnsafeMutablePointer<SIMD4<Double>>
    let drawCount: Int
    /// Per-site |h_a|², h_a·Δ, |Δ|² (three vectors per four sites) and the activity mask, in rows
    /// padded to a multiple of 4 sites.
    let sums: UnsafeMutablePointer<SIMD4<Double>>
    let activity: UnsafeMutablePointer<SIMD4<Int64>>
    let vectorsPerRow: Int
    let seedX: Int, seedY: Int

    init(_ config: CNNConfiguration) {
        self.config = config
        let c = config.channels, s = config.size
        conv = PeriodicConvolution(dim: config.dim, size: s, inChannels: c, outChannels: c, kernel: config.kernel)
        channels = c
        taps = conv.offsets.count
        func zeros<T>(_ count: Int, _ zero: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: count)
            p.initialize(repeating: zero, count: count)
            return p
        }
        inA = zeros(c * conv.inputPlane, 0.0)
        inD = zeros(c * conv.inputPlane, 0.0)
        outA = zeros(conv.paddedOutChannels * conv.outputPlane, 0.0)
        outD = zeros(conv.paddedOutChannels * conv.outputPlane, 0.0)
        weights = zeros(conv.weightCount, 0.0)
        bias = zeros(conv.paddedOutChannels, 0.0)
        drawCount = c * c * taps + c
        drawVectors = zeros((drawCount + 3) / 4, SIMD4<Double>.zero)
        vectorsPerRow = (s + 3) / 4
        sums = zeros(3 * conv.rows * vectorsPerRow, SIMD4<Double>.zero)
        activity = zeros(conv.rows * vectorsPerRow, SIMD4<Int64>.zero)
        seedX = s / 2
        seedY = config.dim == 2 ? s / 2 : 0
    }

    deinit {
        for p in [inA, inD, outA, outD, weights, bias] { p.deallocate() }
        drawVectors.deallocate()
        sums.deallocate()
        activity.deallocate()
    }

    @inline(__always) func draw(_ i: Int) -> Double {
        UnsafeRawPointer(drawVectors).load(fromByteOffset: 8 * i, as: Double.self)
    }

    /// The inputs: at every site x_a with |x_a|²/C = q₀; x_b with the same norm and cosine c₀
    /// (every site, or only the seed), stored as Δx = x_b − x_a. All input Gaussians come in one
    /// draw from `key`'s stream: per site, C for x_a and C for the direction u.
    func prepareInputs(key: StreamKey) {
        let c = channels, s = config.size
        var inputStream = GaussianStream(key: key)
        let rows = config.dim == 2 ? s : 1
        let vectors = (2 * c * rows * s + 3) / 4
        let normalVectors = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: vectors)
        defer { normalVectors.deallocate() }
        inputStream.fill(normalVectors, vectors: vectors)
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
    }

    /// One layer with weights shared by all sites: W ~ N(0, σ_w²/(C K^d)) and b ~ N(0, σ_b²) from
    /// `stream`, then the two convolutions (of φ(h_a) with the bias, of Δφ without).
    func convolveShared(_ stream: inout GaussianStream) {
        let c = channels
        conv.fillHalo(inA, planes: c)
        conv.fillHalo(inD, planes: c)
        let wScale = config.sigmaW / Double(c * taps).squareRoot()
        stream.fill(drawVectors, vectors: (drawCount + 3) / 4)
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

    /// One layer of the locally connected control: a fresh W and b at every site (all noise local).
    func convolveUntied(_ stream: inout GaussianStream) {
        let c = channels
        conv.fillHalo(inA, planes: c)
        conv.fillHalo(inD, planes: c)
        let wScale = config.sigmaW / Double(c * taps).squareRoot()
        for y in 0..<conv.rows {
            for x in 0..<config.size {
                stream.fill(drawVectors, vectors: (drawCount + 3) / 4)
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
    }

    /// One pass over the output planes, four sites at a time: the pre-activations rounded to float32
    /// storage when the configuration asks for it, the per-site sums and activity (from the
    /// pre-activations) and, when `activate`, φ(h_a) and Δφ into the interiors of the input planes
    /// (whole vectors: the row padding and the halo beyond it are rewritten by the next fillHalo).
    func sumAndActivate<K: PairActivationKernel>(_ kernel: K, activate: Bool) {
        let c = channels, single = config.float32
        for y in 0..<conv.rows {
            let j0 = conv.outputIndex(x: 0, y: y), i0 = conv.inputIndex(x: 0, y: y)
            for v in 0..<vectorsPerRow {
                var sa = SIMD4<Double>.zero, ss = SIMD4<Double>.zero, sd = SIMD4<Double>.zero
                var differs = SIMD4<UInt64>.zero
                var a = outA + j0 + 4 * v, d = outD + j0 + 4 * v
                for _ in 0..<c {
                    var h = UnsafeRawPointer(a).loadUnaligned(as: SIMD4<Double>.self)
                    var dh = UnsafeRawPointer(d).loadUnaligned(as: SIMD4<Double>.self)
                    if single {
                        // Both signals as float32 would store them; Δ is their exact difference.
                        let hb = SIMD4<Double>(SIMD4<Float>(h + dh))
                        h = SIMD4<Double>(SIMD4<Float>(h))
                        dh = hb - h
                        UnsafeMutableRawPointer(a).storeBytes(of: h, as: SIMD4<Double>.self)
                        UnsafeMutableRawPointer(d).storeBytes(of: dh, as: SIMD4<Double>.self)
                    }
                    sa = VectorMath.fma(h, h, sa); ss = VectorMath.fma(h, dh, ss); sd = VectorMath.fma(dh, dh, sd)
                    differs |= unsafeBitCast((h + dh) .!= h, to: SIMD4<UInt64>.self)
                    a += conv.outputPlane; d += conv.outputPlane
                }
                let k = 3 * (y * vectorsPerRow + v)
                sums[k] = sa; sums[k + 1] = ss; sums[k + 2] = sd
                activity[y * vectorsPerRow + v] = unsafeBitCast(differs, to: SIMD4<Int64>.self)
            }
            if activate {
                for alpha in 0..<c {
                    kernel.evaluate(vectors: vectorsPerRow, h: outA + alpha * conv.outputPlane + j0,
                                    delta: outD + alpha * conv.outputPlane + j0,
                                    phi: inA + alpha * conv.inputPlane + i0, deltaPhi: inD + alpha * conv.inputPlane + i0,
                                    slope: nil)
                }
            }
        }
    }

    /// The layer's observables from the per-site sums: Σ ρ_x, the active sites (ρ_x > ε), the
    /// sites whose signals differ in some bit, and Σ |x − x₀|² over the active sites. Where the
    /// two signals agree bit for bit, as they would in a double-precision network, or ρ_x is below
    /// the cutoff, Δφ is set to exactly zero (when `clearInactive`) and ρ_x counts as 0; the field
    /// records ρ_x along the row through the seed.
    func observe(layer l: Int, clearInactive: Bool, field: inout LatticeField?)
        -> (rhoSum: Double, active: Int, differing: Int, spread: Double) {
        let s = config.size
        var rhoSum = 0.0, count = 0, differing = 0, spread = 0.0
        for y in 0..<conv.rows {
            for v0 in 0..<vectorsPerRow {
                let v = y * vectorsPerRow + v0
                let rho4 = pairRho(a: sums[3 * v], s: sums[3 * v + 1], d: sums[3 * v + 2])
                for lane in 0..<min(4, s - 4 * v0) {
                    let x = 4 * v0 + lane
                    var rho = 0.0
                    // A site below the cutoff is absorbed as one whose signals agree bit for bit.
                    if activity[v][lane] != 0 && !(rho4[lane] < config.cutoff) {
                        rho = rho4[lane]
                        differing += 1
                        if rho > config.epsilon {
                            count += 1
                            if config.start == .spreading {
                                let dx = periodicDistance(x - seedX, s), dy = periodicDistance(y - seedY, s)
                                spread += Double(dx * dx + dy * dy)
                            }
                        }
                    } else if clearInactive {
                        let i = conv.inputIndex(x: x, y: y)
                        for alpha in 0..<channels { inD[alpha * conv.inputPlane + i] = 0 }
                    }
                    rhoSum += rho
                    if y == seedY { field?.record(layer: l, site: x, rho) }
                }
            }
        }
        return (rhoSum, count, differing, spread)
    }
}
