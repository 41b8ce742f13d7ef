import Foundation

/// Seeding of reproducible random streams.
///
/// Every random number the tool draws comes from a stream that is a pure function of
/// `(seed, task, realisation)`, so results do not depend on the thread count or the schedule
/// (docs/algorithms.md, "Random streams"). Streams are seeded by hashing the key with SplitMix64, the
/// generator recommended by Blackman & Vigna for seeding xoshiro.

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit generator with a 2⁶⁴ period, used to seed others.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    @inlinable public init(seed: UInt64) { state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The key of one random stream: the user's seed, a task index and a realisation index.
public struct StreamKey: Hashable, Sendable {
    public var seed: UInt64
    public var task: UInt64
    public var realisation: UInt64

    @inlinable public init(seed: UInt64, task: UInt64 = 0, realisation: UInt64) {
        self.seed = seed
        self.task = task
        self.realisation = realisation
    }

    /// A SplitMix64 generator whose state is a bijective mix of the three components, so that
    /// distinct keys give unrelated streams.
    @inlinable public func seeder() -> SplitMix64 {
        var mix = SplitMix64(seed: seed)
        var state = mix.next()
        mix = SplitMix64(seed: state ^ task)
        state = mix.next()
        mix = SplitMix64(seed: state ^ (realisation &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mix.next())
    }
}

/// xoshiro256++ (Blackman & Vigna 2018): a fast scalar generator with a 2²⁵⁶ − 1 period.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// The generator of stream `key`.
    @inlinable public init(key: StreamKey) {
        var seeder = key.seeder()
        s0 = seeder.next(); s1 = seeder.next(); s2 = seeder.next(); s3 = seeder.next()
    }

    /// The generator with the given state (not all zero, except as a placeholder never drawn from).
    @inlinable public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    /// A generator seeded from the next four outputs of `seeder`.
    @inlinable public init(seeder: inout SplitMix64) {
        s0 = seeder.next(); s1 = seeder.next(); s2 = seeder.next(); s3 = seeder.next()
    }

    @inlinable public mutating func next() -> UInt64 {
        let result = ((s0 &+ s3) << 23 | (s0 &+ s3) >> 41) &+ s0
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Two independent standard Gaussians by Box–Muller from two uniforms: the scalar path for the
    /// few draws outside hot loops (the samplers use ``GaussianStream``).
    @inlinable public mutating func nextGaussianPair() -> (Double, Double) {
        let u1 = 1 - nextUniform(), u2 = nextUniform()
        let r = (-2 * log(u1)).squareRoot()
        return (r * cos(2 * .pi * u2), r * sin(2 * .pi * u2))
    }

    /// One standard Gaussian (the first of a pair).
    @inlinable public mutating func nextGaussian() -> Double { nextGaussianPair().0 }

    /// `n` independent standard Gaussians, both of each pair used.
    public mutating func gaussians(_ n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        var k = 0
        while k < n {
            let (a, b) = nextGaussianPair()
            out[k] = a
            if k + 1 < n { out[k + 1] = b }
            k += 2
        }
        return out
    }
}

extension StreamKey {
    /// A second, unrelated stream for the same (seed, task, realisation), numbered `index` ≥ 1
    /// (e.g. the choice of inputs, kept apart from the weights' stream).
    @inlinable public func derived(_ index: UInt64) -> StreamKey {
        var mix = SplitMix64(seed: seed ^ (index &* 0xA24B_AED4_963E_E407))
        return StreamKey(seed: mix.next(), task: task, realisation: realisation)
    }
}
