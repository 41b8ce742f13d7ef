import CriticalityCore

/// Bond directed percolation, the reference model of the absorbing-state transitions (docs/models.md, "Bond directed percolation"):
/// in 1+1 dimensions on the tilted square lattice (p_c = 0.644700185), in 2+1 dimensions on the
/// body-centred cubic lattice (p_c = 0.2873383, Grassberger & Zhang 1996, Wang et al. 2013).
///
/// 1+1: a periodic row of S sites; at each time step every site is connected to two sites of the
/// previous row by independent bonds, open with probability p, and is active when an open bond
/// leads to an active site. Even steps connect site i to i and i + 1, odd steps to i − 1 and i, so
/// the lattice is the tilted square lattice without drift. 2+1: a periodic S × S layer; each site
/// is connected to the four sites (x, y) + {0, 1}² of the previous layer on even steps and
/// (x, y) − {0, 1}² on odd steps: the bcc lattice, again without drift.
public struct DirectedPercolationConfiguration: Sendable {
    public static let criticalP = 0.644700185
    public static let criticalP2D = 0.2873383

    /// The critical bond probability in d + 1 dimensions (d = 1 or 2).
    public static func critical(dim: Int) -> Double { dim == 2 ? criticalP2D : criticalP }

    /// Spatial dimension d: 1 or 2.
    public var dim: Int
    /// Linear size S: S^d sites.
    public var size: Int
    public var p: Double
    public var depth: Int
    public var start: LatticeProtocol
    /// Temporal disorder (docs/models.md, "Directed percolation with temporal disorder"): the bond
    /// probability of time step t is p_t = p + σ_p ξ_t, clamped to [0, 1], with ξ_t ~ N(0, 1) one
    /// draw for the whole lattice (its own stream of the realisation's key, so every p of a scan
    /// sees the same ξ_t). 0: plain DP.
    public var pNoise: Double = 0
    /// How ξ_t is drawn: Gaussian, or binary (ξ_t = ±1 with probability 1/2 each, the bounded
    /// two-valued disorder of Barghathi, Hoyos & Vojta's simulations, which never closes every
    /// bond at once as a Gaussian tail can).
    public var pNoiseLaw: NoiseLaw = .gaussian
    /// The number of consecutive time steps that share one ξ (1: a new ξ every step). Holding ξ
    /// for K steps multiplies the disorder's strength on long time scales by √K.
    public var pNoiseHold: Int = 1

    /// The distribution of the temporal disorder's ξ_t.
    public enum NoiseLaw: String, Sendable, CaseIterable {
        case gaussian, binary
    }

    public init(dim: Int = 1, size: Int, p: Double, depth: Int, start: LatticeProtocol) {
        self.dim = dim
        self.size = size
        self.p = p
        self.depth = depth
        self.start = start
    }

    /// The number of sites, S^d.
    public var sites: Int { dim == 2 ? size * size : size }

    public func validate() throws {
        guard dim == 1 || dim == 2 else { throw PropagationError.invalidParameter("the dimension must be 1 or 2, got \(dim)") }
        guard size >= 2 else { throw PropagationError.invalidParameter("the lattice size must be at least 2, got \(size)") }
        guard dim == 1 || size <= 1 << 14 else { throw PropagationError.invalidParameter("2+1 lattices are limited to 16384 x 16384, got \(size)") }
        guard p.isFinite, p >= 0, p <= 1 else { throw PropagationError.invalidParameter("p must lie in [0, 1], got \(p)") }
        guard depth >= 1 else { throw PropagationError.invalidParameter("depth must be at least 1, got \(depth)") }
        guard pNoise.isFinite, pNoise >= 0, pNoise <= 1 else { throw PropagationError.invalidParameter("p_noise must lie in [0, 1], got \(pNoise)") }
        guard pNoiseHold >= 1 else { throw PropagationError.invalidParameter("p_noise_hold must be at least 1, got \(pNoiseHold)") }
    }
}

/// One realisation of bond DP, 64 sites a word: the new row is (s & B₁) | (s′ & B₂) with s′ the
/// row shifted by one site and B₁, B₂ words of Bernoulli(p) bonds (``BernoulliBits``). Words
/// whose sites and neighbours are all inactive draw no bonds, so sparse clusters cost little; a
/// spreading run only visits the words its cluster has reached.
///
/// - Complexity: O(L S / 64) words per realisation at most.
public func runDirectedPercolation(_ config: DirectedPercolationConfiguration, key: StreamKey, recordField: Bool) -> LatticeTrace {
    if config.dim == 2 { return runDirectedPercolation2D(config, key: key, recordField: recordField) }
    let s = config.size, depth = config.depth
    let (words, lastBits, lastMask) = packedRow(sites: s)
    var random = Xoshiro256(key: key)
    var bonds = BernoulliBits(p: config.p)
    var disorder = TemporalDisorder(config, key: key)
    var current = [UInt64](repeating: 0, count: words)
    var next = current
    let seed = s / 2
    var lo: Int, hi: Int
    switch config.start {
    case .homogeneous:
        for w in 0..<words { current[w] = ~0 }
        current[words - 1] &= lastMask
        (lo, hi) = (0, words - 1)
    case .spreading:
        current[seed / 64] = 1 << UInt64(seed % 64)
        (lo, hi) = (seed / 64, seed / 64)
    }
    var trace = LatticeTrace(depth: depth)
    var field = recordField ? LatticeField(latticeSites: s, depth: depth) : nil

    /// Site i + 1 (even steps) or i − 1 (odd steps) of the row, moved to bit i, periodically.
    @inline(__always) func neighbours(_ row: [UInt64], _ w: Int, even: Bool) -> UInt64 {
        if even {
            if w == words - 1 { return ((row[w] >> 1) | ((row[0] & 1) << UInt64(lastBits - 1))) & lastMask }
            return (row[w] >> 1) | (row[w + 1] << 63)
        }
        let previous = w == 0 ? (row[words - 1] >> UInt64(lastBits - 1)) & 1 : row[w - 1] >> 63
        return ((row[w] << 1) | previous) & (w == words - 1 ? lastMask : ~0)
    }

    for t in 0..<depth {
        if let p = disorder.next() { bonds = BernoulliBits(p: p) }
        let even = t % 2 == 0
        // The words that can be active after this step (the range never shrinks, so words left
        // behind are all zero in both rows).
        let first = lo == 0 || hi == words - 1 ? 0 : lo - 1
        let last = lo == 0 || hi == words - 1 ? words - 1 : hi + 1
        for w in first...last {
            let here = current[w], there = neighbours(current, w, even: even)
            if here | there == 0 { next[w] = 0; continue }
            let b1 = bonds.next(using: &random), b2 = bonds.next(using: &random)
            next[w] = ((here & b1) | (there & b2)) & (w == words - 1 ? lastMask : ~0)
        }
        var count = 0, sum = 0.0
        var newLo = words, newHi = -1
        for w in first...last where next[w] != 0 {
            newLo = min(newLo, w); newHi = max(newHi, w)
            count += next[w].nonzeroBitCount
            var bitsLeft = next[w]
            while bitsLeft != 0 {
                let x = 64 * w + bitsLeft.trailingZeroBitCount
                bitsLeft &= bitsLeft - 1
                if config.start == .spreading {
                    let d = periodicDistance(x - seed, s)
                    sum += Double(d * d)
                }
                field?.record(layer: t + 1, site: x, 1)
            }
        }
        let spreading = config.start == .spreading
        trace.record(layer: t + 1, rho: Double(count) / Double(s), active: count, spread: spreading ? sum : .nan)
        swap(&current, &next)
        if count == 0 {
            trace.fillAbsorbed(after: t + 1, spreading: spreading)
            break
        }
        lo = min(lo, newLo); hi = max(hi, newHi)
    }
    trace.field = field
    return trace
}

/// The bond probabilities p_t of DP with temporal disorder, one per time step; nil throughout
/// without disorder.
struct TemporalDisorder {
    let p: Double, noise: Double, binary: Bool, hold: Int
    var stream: Xoshiro256
    var held = 0.0, age = 0

    init(_ config: DirectedPercolationConfiguration, key: StreamKey) {
        p = config.p
        noise = config.pNoise
        binary = config.pNoiseLaw == .binary
        hold = config.pNoiseHold
        stream = Xoshiro256(key: key.derived(2))
    }

    @inline(__always) mutating func next() -> Double? {
        guard noise > 0 else { return nil }
        if age == 0 {
            let xi = binary ? (stream.next() >> 63 == 0 ? -1.0 : 1.0) : stream.nextGaussian()
            held = min(1, max(0, p + noise * xi))
        }
        age = age + 1 == hold ? 0 : age + 1
        return held
    }
}

/// A row of `sites` sites packed 64 to a word: the number of words, the sites the last word holds,
/// and their mask.
func packedRow(sites s: Int) -> (words: Int, lastBits: Int, lastMask: UInt64) {
    let words = (s + 63) / 64
    let lastBits = s - 64 * (words - 1)
    return (words, lastBits, lastBits == 64 ? ~0 : (1 << UInt64(lastBits)) - 1)
}
