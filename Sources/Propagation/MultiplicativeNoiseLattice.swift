import CriticalityCore
import Foundation

/// The calibration model of the multiplicative-noise (MN) class in one dimension (docs/models.md,
/// "The multiplicative-noise lattice"): the difference w_x ∈ (0, 1] between two replicas of a
/// chain of smooth units, which evolves linearly while small, is spread by nearest-neighbour
/// coupling and multiplied by a random factor independent from site to site and layer to layer,
/// and saturates at 1:
///
///     w′_x = min(1, e^{μ + σ ξ_x} [(1 − ε) w_x + (ε/2)(w_{x−1} + w_{x+1})]),   ξ_x ~ N(0, 1).
///
/// ρ = (1/S) Σ_x w_x. The model is run in h = −ln w (a KPZ interface bounded by a wall at h = 0), so
/// no difference is ever rounded to zero: there is no absorbing state but the limit w → 0, as for two
/// replicas of a smooth map in exact arithmetic. Because the linear part multiplies every w by the
/// same e^μ, the transverse Lyapunov exponent of the free (wall-less) chain is λ(μ) = μ + λ₀(σ, ε)
/// exactly; at an MN transition the ρ-critical μ_c is its zero, μ_c = −λ₀.
public struct MultiplicativeNoiseLatticeConfiguration: Sendable, Equatable {
    /// The mean log multiplier per layer (the control parameter).
    public var mu: Double
    /// The standard deviation σ of the log multiplier.
    public var noise: Double
    /// The nearest-neighbour coupling ε ∈ (0, 1].
    public var coupling: Double
    /// Sites on the ring.
    public var size: Int
    public var depth: Int
    /// A site whose w falls below the cutoff is set to exactly 0 (0: none), a true local absorbing
    /// state, as finite precision makes one (docs/models.md, "The multiplicative-noise lattice").
    public var cutoff: Double

    public init(mu: Double, noise: Double, coupling: Double, size: Int, depth: Int, cutoff: Double = 0) {
        self.mu = mu
        self.noise = noise
        self.coupling = coupling
        self.size = size
        self.depth = depth
        self.cutoff = cutoff
    }

    /// Checks the parameters; the message names what is wrong.
    public func validate() throws {
        guard mu.isFinite, abs(mu) <= 10 else { throw PropagationError.invalidParameter("mu must be finite with |mu| <= 10, got \(mu)") }
        guard noise.isFinite, noise > 0, noise <= 10 else { throw PropagationError.invalidParameter("noise must be in (0, 10], got \(noise)") }
        guard coupling.isFinite, coupling > 0, coupling <= 1 else {
            throw PropagationError.invalidParameter("coupling must be in (0, 1], got \(coupling)")
        }
        guard size >= 3, size <= 1 << 24 else { throw PropagationError.invalidParameter("size must be in 3...16777216, got \(size)") }
        guard depth >= 1, depth <= 10_000_000 else { throw PropagationError.invalidParameter("depth must be in 1...10000000, got \(depth)") }
        guard cutoff.isFinite, cutoff >= 0, cutoff < 1 else { throw PropagationError.invalidParameter("cutoff must be in [0, 1), got \(cutoff)") }
        guard size.multipliedReportingOverflow(by: depth).partialValue <= 1 << 40 else {
            throw PropagationError.invalidParameter("size × depth must be at most 2^40 site updates per realisation")
        }
    }
}

/// The transverse Lyapunov exponent λ₀ of the free chain at μ = 0, with its standard error over
/// realisations; the zero of λ(μ) = μ + λ₀ is at μ = −λ₀.
public struct MultiplicativeNoiseLyapunov: Sendable, Equatable {
    public var lambda0: Double
    public var error: Double
    public var samples: Int
}

public enum MultiplicativeNoiseLattice {
    /// One layer of the chain in h = −ln w: `next[x] = −ln[(1 − ε) w_x + (ε/2)(w_{x−1} + w_{x+1})] − μ − σξ_x`,
    /// floored at 0 when `wall`, where `w[x] = e^{−(h[x] − shift)}` is given for the current layer.
    /// Where all three w have underflowed, the sum is taken relative to the smallest h instead; a
    /// site above `ceiling` (the cutoff's −ln) is absorbed, h = +∞, and stays so while its
    /// neighbours are.
    ///
    /// - Complexity: O(S): one logarithm and one Gaussian per site.
    @inlinable
    static func layer(h: UnsafeBufferPointer<Double>, w: UnsafeBufferPointer<Double>, shift: Double,
                      next: UnsafeMutableBufferPointer<Double>, mu: Double, noise: Double, coupling: Double,
                      wall: Bool, ceiling: Double, rng: inout Xoshiro256) {
        let s = h.count, keep = 1 - coupling, half = 0.5 * coupling
        for x in 0..<s {
            let left = x == 0 ? s - 1 : x - 1, right = x == s - 1 ? 0 : x + 1
            let kick = mu + noise * rng.nextGaussian()
            let sum = keep * w[x] + half * (w[left] + w[right])
            var g: Double
            if sum > 1e-290 {
                g = shift - Foundation.log(sum)
            } else {
                let m = min(h[x], min(h[left], h[right]))
                if m == .infinity { next[x] = .infinity; continue }
                let rel = keep * Foundation.exp(m - h[x]) + half * (Foundation.exp(m - h[left]) + Foundation.exp(m - h[right]))
                g = m - Foundation.log(rel)
            }
            g -= kick
            next[x] = g > ceiling ? .infinity : wall ? max(0, g) : g
        }
    }

    /// The state of one chain: h = −ln w + shift for the current layer, the next layer's h, and
    /// w = e^{−(h − shift)}, which ``layer(h:w:shift:next:mu:noise:coupling:wall:ceiling:rng:)`` reads.
    struct Chain {
        var h: [Double], next: [Double], w: [Double]

        /// w = 1 everywhere.
        init(size: Int) {
            h = [Double](repeating: 0, count: size)
            next = h
            w = [Double](repeating: 1, count: size)
        }

        /// One layer: the new h from the current h and w.
        mutating func advance(shift: Double, mu: Double, noise: Double, coupling: Double, wall: Bool, ceiling: Double,
                              rng: inout Xoshiro256) {
            h.withUnsafeBufferPointer { hb in
                w.withUnsafeBufferPointer { wb in
                    next.withUnsafeMutableBufferPointer { nb in
                        layer(h: hb, w: wb, shift: shift, next: nb, mu: mu, noise: noise, coupling: coupling, wall: wall,
                              ceiling: ceiling, rng: &rng)
                    }
                }
            }
            swap(&h, &next)
        }

        /// w = e^{−(h − shift)} for the new layer: Σ_x w and the number of sites with w > 0.
        mutating func refill(shift: Double) -> (total: Double, active: Int) {
            var total = 0.0, active = 0
            for x in h.indices {
                let v = Foundation.exp(shift - h[x])
                w[x] = v
                total += v
                if v > 0 { active += 1 }
            }
            return (total, active)
        }
    }

    /// One realisation from w = 1 everywhere: ρ_l = (1/S) Σ_x w_x for l = 1…depth (`active` counts
    /// the sites with w > 0: all of them without a cutoff). With a cutoff, a realisation whose sites
    /// are all absorbed stays so, and its remaining layers are filled in without work.
    ///
    /// - Complexity: O(S · depth).
    public static func realisation(_ c: MultiplicativeNoiseLatticeConfiguration, key: StreamKey) -> LatticeTrace {
        var rng = Xoshiro256(key: key)
        var trace = LatticeTrace(depth: c.depth)
        var chain = Chain(size: c.size)
        let ceiling = c.cutoff > 0 ? -Foundation.log(c.cutoff) : .infinity
        for l in 1...c.depth {
            chain.advance(shift: 0, mu: c.mu, noise: c.noise, coupling: c.coupling, wall: true, ceiling: ceiling, rng: &rng)
            let (total, active) = chain.refill(shift: 0)
            trace.record(layer: l, rho: total / Double(c.size), active: active, spread: .nan)
            if active == 0 && c.cutoff > 0 {
                trace.fillAbsorbed(after: l, spreading: false)
                break
            }
        }
        return trace
    }

    /// `samples` realisations, reduced as every lattice run is (the same numbers on any thread count).
    public static func run(_ c: MultiplicativeNoiseLatticeConfiguration, samples: Int, seed: UInt64, threads: Int) -> LatticeSeries {
        LatticeSimulation.run(depth: c.depth, samples: samples, seed: seed, blockSize: max(1, samples / 64), threads: threads,
                              recordField: false) { key, _ in realisation(c, key: key) }
    }

    /// The growth of ln Σ_x w per layer of the free chain (no wall) at μ = 0, from w = 1, over the
    /// layers after `burnIn` (the shift keeps the largest w at 1 each layer, so nothing underflows).
    ///
    /// - Complexity: O(S · depth).
    public static func growth(noise: Double, coupling: Double, size: Int, depth: Int, burnIn: Int, key: StreamKey) -> Double {
        var rng = Xoshiro256(key: key)
        var chain = Chain(size: size)
        var shift = 0.0, lnTotal = Foundation.log(Double(size)), start = lnTotal
        for l in 1...depth {
            chain.advance(shift: shift, mu: 0, noise: noise, coupling: coupling, wall: false, ceiling: .infinity, rng: &rng)
            shift = chain.h.min() ?? 0
            lnTotal = Foundation.log(chain.refill(shift: shift).total) - shift
            if l == burnIn { start = lnTotal }
        }
        return (lnTotal - start) / Double(depth - burnIn)
    }

    /// λ₀ over `samples` independent chains (realisation r draws from `StreamKey(seed, 1, r)`, apart
    /// from the streams of ``run(_:samples:seed:threads:)``), with its standard error.
    public static func lyapunov(noise: Double, coupling: Double, size: Int, depth: Int, burnIn: Int, samples: Int, seed: UInt64,
                                threads: Int) -> MultiplicativeNoiseLyapunov {
        let rates = parallelMap(samples, threads: threads) { r in
            growth(noise: noise, coupling: coupling, size: size, depth: depth, burnIn: burnIn,
                   key: StreamKey(seed: seed, task: 1, realisation: UInt64(r)))
        }
        var m = RunningMoments()
        for v in rates { m.add(v) }
        return MultiplicativeNoiseLyapunov(lambda0: m.value, error: m.standardError, samples: samples)
    }
}
