import CriticalityCore
import Foundation

/// How a lattice run starts (docs/models.md, "Protocols").
public enum LatticeProtocol: String, Sendable, CaseIterable {
    /// Every site starts active (CNN: the two inputs have cosine similarity c₀ at every site).
    case homogeneous
    /// One active site in the middle of an inactive lattice (CNN: the inputs are identical except there).
    case spreading
}

/// The per-site activity of one realisation, layer by layer, in a window: `sites` consecutive
/// sites (periodically) from `firstSite`, layers 1…`depth`; `values[(l − 1) · sites + i]` is site
/// firstSite + i (mod S).
public struct LatticeField: Sendable {
    /// At most this many values are kept (8 MiB): at most ``maxSites`` sites centred on the middle
    /// of the lattice (the seed), and as many layers as fit.
    public static let maxValues = 1 << 20
    public static let maxSites = 1024

    /// The lattice sites a row spans (d = 1: the lattice; d = 2: the row through the seed).
    public let latticeSites: Int
    public let firstSite: Int
    public let sites: Int
    public let depth: Int
    /// ρ_x (CNN) or the occupation 0/1 (DP).
    public var values: [Double]

    /// An empty window for a row of `latticeSites` sites and `depth` layers, within the size limits.
    public init(latticeSites: Int, depth: Int) {
        self.latticeSites = latticeSites
        sites = min(latticeSites, Self.maxSites)
        firstSite = (latticeSites / 2 - sites / 2 + latticeSites) % latticeSites
        self.depth = min(depth, Self.maxValues / sites)
        values = Array(repeating: 0, count: sites * self.depth)
    }

    /// Records `value` at lattice site x of layer l, when they fall inside the window.
    @inlinable public mutating func record(layer l: Int, site x: Int, _ value: Double) {
        guard l <= depth else { return }
        let i = (x - firstSite + latticeSites) % latticeSites
        if i < sites { values[(l - 1) * sites + i] = value }
    }

    @inlinable public subscript(layer l: Int, site i: Int) -> Double { values[(l - 1) * sites + i] }

    /// The last layer with a non-zero value (0 if none): how long the recorded realisation lived.
    public var lastActiveLayer: Int {
        for l in stride(from: depth, through: 1, by: -1) where values[(l - 1) * sites..<l * sites].contains(where: { $0 != 0 }) {
            return l
        }
        return 0
    }
}

/// One realisation's observables per layer l = 1…L.
public struct LatticeTrace: Sendable {
    /// The mean over sites of ρ_x = 1 − c_x (DP: the density of active sites).
    public var rho: [Double]
    /// The number of active sites N.
    public var active: [Int]
    /// Σ |x − x₀|² over active sites, x₀ the seed (spreading runs; NaN otherwise).
    public var spread: [Double]
    /// The activity field, when it was asked for.
    public var field: LatticeField?

    public init(depth: Int) {
        rho = Array(repeating: .nan, count: depth)
        active = Array(repeating: 0, count: depth)
        spread = Array(repeating: .nan, count: depth)
    }

    /// Records layer l (1-based); `spread` is NaN for runs without a seed.
    @inlinable mutating func record(layer l: Int, rho: Double, active: Int, spread: Double) {
        self.rho[l - 1] = rho
        self.active[l - 1] = active
        self.spread[l - 1] = spread
    }

    /// Fills the layers after l with the absorbing state (nothing active, ρ = 0; a spreading run
    /// has zero spread, a homogeneous one none measured).
    @inlinable mutating func fillAbsorbed(after l: Int, spreading: Bool) {
        for u in l..<rho.count { record(layer: u + 1, rho: 0, active: 0, spread: spreading ? 0 : .nan) }
    }
}

/// The minimal periodic image of a displacement on a ring of `size` sites.
@inlinable func periodicDistance(_ d: Int, _ size: Int) -> Int {
    var r = d % size
    if r >= (size + 1) / 2 { r -= size } else if r < -(size / 2) { r += size }
    return r
}

/// Per-layer statistics of a lattice model (CNN or DP) over independent realisations.
public struct LatticeSeries: Sendable {
    public let depth: Int
    public let samples: Int
    public let seed: UInt64
    /// ρ(l) over realisations.
    public let rho: [RunningMoments]
    /// ln ρ(l) over the realisations with ρ > 0: the typical decay, and (its spread) how far the
    /// realisations drift apart (docs/models.md, "Typical decay and its spread").
    public let logRho: [RunningMoments]
    /// The number of realisations with at least one active site at layer l.
    public let survivors: [Int]
    /// N(l) over all realisations (dead ones count 0).
    public let active: [RunningMoments]
    /// (Σ |x − x₀|² s_x, N) per realisation: R²(l) = ⟨Σ |x − x₀|² s_x⟩ / ⟨N⟩ is their ratio.
    public let spread: [PairedMoments]
    /// Per block of consecutive realisations (in order), the block's ρ(l), N(l) and surviving
    /// count: what resampling over blocks (bootstrap) needs.
    public let blocks: [LatticeBlockSummary]
    /// The field of the longest-lived of the first ``LatticeSimulation/fieldCandidates``
    /// realisations, when it was recorded.
    public let field: LatticeField?

    /// P(l): the fraction of realisations still active at layer l (1-based).
    public func survival(_ l: Int) -> Double { Double(survivors[l - 1]) / Double(samples) }

    /// The binomial standard error of P(l).
    public func survivalError(_ l: Int) -> Double {
        let p = survival(l)
        return samples > 1 ? (p * (1 - p) / Double(samples - 1)).squareRoot() : .nan
    }

    /// The effective exponent δ_eff(l) = −ln[ρ(l)/ρ(l/m)] / ln m for even l (m = 2), NaN otherwise
    /// or where ρ is not positive.
    public func effectiveDecayExponent(_ l: Int) -> Double {
        guard l >= 2, l % 2 == 0 else { return .nan }
        let now = rho[l - 1].value, before = rho[l / 2 - 1].value
        guard now > 0, before > 0 else { return .nan }
        return -Foundation.log(now / before) / Foundation.log(2.0)
    }

    /// The standard error of ``effectiveDecayExponent(_:)`` by the delta method, treating ρ(l) and
    /// ρ(l/2) as independent (they are positively correlated, so this overstates the error).
    public func effectiveDecayExponentError(_ l: Int) -> Double {
        guard effectiveDecayExponent(l).isFinite else { return .nan }
        let now = rho[l - 1], before = rho[l / 2 - 1]
        let r1 = now.standardError / now.value, r2 = before.standardError / before.value
        return (r1 * r1 + r2 * r2).squareRoot() / Foundation.log(2.0)
    }
}

/// Runs realisations of a lattice model in parallel, reproducibly: realisation r draws from
/// `StreamKey(seed, task, r)` only, and realisations are reduced in fixed blocks merged in order,
/// so the result is bitwise identical whatever the thread count.
public enum LatticeSimulation {
    /// Realisations whose field is recorded, when asked for: the one that stays active longest is
    /// kept (ties: the lowest index), so that a spreading run does not show a cluster that died at once.
    public static let fieldCandidates = 16

    /// Runs `samples` realisations of `realisation(key, recordField)`; with `recordField` the field
    /// of the longest-lived of the first ``fieldCandidates`` realisations is kept.
    public static func run(
        depth: Int, samples: Int, seed: UInt64, task: UInt64 = 0, blockSize: Int, threads: Int,
        recordField: Bool, realisation: @Sendable (StreamKey, Bool) -> LatticeTrace
    ) -> LatticeSeries {
        let blocks = (samples + blockSize - 1) / blockSize
        // Blocks run in parallel and are merged in order: the same numbers on any thread count.
        let results = parallelMap(blocks, threads: threads) { b in
            var block = LatticeBlock(depth: depth)
            for r in b * blockSize..<min(samples, (b + 1) * blockSize) {
                let trace = realisation(StreamKey(seed: seed, task: task, realisation: UInt64(r)),
                                        recordField && r < fieldCandidates)
                block.add(trace)
                block.consider(trace.field)
            }
            return block
        }
        var total = LatticeBlock(depth: depth)
        for block in results { total.merge(block) }
        let summaries = results.map { block in
            LatticeBlockSummary(realisations: block.rho[0].count, rho: block.rho, active: block.active,
                                survivors: block.survivors)
        }
        return LatticeSeries(depth: depth, samples: samples, seed: seed, rho: total.rho, logRho: total.logRho,
                             survivors: total.survivors,
                             active: total.active, spread: total.spread, blocks: summaries, field: total.field)
    }
}

/// One block of consecutive realisations of a lattice run.
public struct LatticeBlockSummary: Sendable {
    public let realisations: Int
    public let rho: [RunningMoments]
    public let active: [RunningMoments]
    public let survivors: [Int]
}

/// Per-layer accumulators of one block of realisations.
struct LatticeBlock: Sendable {
    var rho: [RunningMoments]
    var logRho: [RunningMoments]
    var survivors: [Int]
    var active: [RunningMoments]
    var spread: [PairedMoments]
    var field: LatticeField?

    init(depth: Int) {
        rho = Array(repeating: RunningMoments(), count: depth)
        logRho = rho
        active = rho
        survivors = Array(repeating: 0, count: depth)
        spread = Array(repeating: PairedMoments(), count: depth)
    }

    mutating func add(_ t: LatticeTrace) {
        for l in rho.indices {
            rho[l].add(t.rho[l])
            if t.rho[l] > 0 { logRho[l].add(Foundation.log(t.rho[l])) }
            active[l].add(Double(t.active[l]))
            if t.active[l] > 0 { survivors[l] += 1 }
            if !t.spread[l].isNaN { spread[l].add(t.spread[l], Double(t.active[l])) }
        }
    }

    mutating func merge(_ o: LatticeBlock) {
        for l in rho.indices {
            rho[l].merge(o.rho[l]); logRho[l].merge(o.logRho[l]); active[l].merge(o.active[l]); spread[l].merge(o.spread[l])
            survivors[l] += o.survivors[l]
        }
        consider(o.field)
    }

    /// Keeps `candidate` if it lived longer than the field kept so far (blocks merge in order, so
    /// ties keep the lower realisation index).
    mutating func consider(_ candidate: LatticeField?) {
        guard let candidate else { return }
        if let current = field, current.lastActiveLayer >= candidate.lastActiveLayer { return }
        field = candidate
    }
}
