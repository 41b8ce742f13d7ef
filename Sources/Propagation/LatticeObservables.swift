import CriticalityCore
import Foundation

/// How a lattice run starts (DESIGN §1).
public enum LatticeProtocol: String, Sendable, CaseIterable {
    /// Every site starts active (CNN: the two inputs have cosine similarity c₀ at every site).
    case homogeneous
    /// One active site in the middle of an inactive lattice (CNN: the inputs are identical except there).
    case spreading
}

/// The per-site activity of one realisation, layer by layer: `values[(l − 1) · sites + x]`.
public struct LatticeField: Sendable {
    /// Sites per layer (d = 1: the lattice; d = 2: the row through the seed).
    public let sites: Int
    public let depth: Int
    /// ρ_x (CNN) or the occupation 0/1 (DP) at layer l = 1…depth and site x.
    public let values: [Double]

    public init(sites: Int, depth: Int, values: [Double]) {
        precondition(values.count == sites * depth)
        self.sites = sites
        self.depth = depth
        self.values = values
    }

    @inlinable public subscript(layer l: Int, site x: Int) -> Double { values[(l - 1) * sites + x] }
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
}

/// Per-layer statistics of a lattice model (CNN or DP) over independent realisations.
public struct LatticeSeries: Sendable {
    public let depth: Int
    public let samples: Int
    public let seed: UInt64
    /// ρ(l) over realisations.
    public let rho: [RunningMoments]
    /// The number of realisations with at least one active site at layer l.
    public let survivors: [Int]
    /// N(l) over all realisations (dead ones count 0).
    public let active: [RunningMoments]
    /// (Σ |x − x₀|² s_x, N) per realisation: R²(l) = ⟨Σ |x − x₀|² s_x⟩ / ⟨N⟩ is their ratio.
    public let spread: [PairedMoments]
    /// The field of realisation 0, when it was recorded.
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
    /// Runs `samples` realisations of `realisation(key, recordField)`; the field is recorded for
    /// realisation 0 when `recordField` is set.
    public static func run(
        depth: Int, samples: Int, seed: UInt64, task: UInt64 = 0, blockSize: Int, threads: Int,
        recordField: Bool, realisation: @Sendable (StreamKey, Bool) -> LatticeTrace
    ) -> LatticeSeries {
        let blocks = (samples + blockSize - 1) / blockSize
        let slots = UnsafeMutableBufferPointer<LatticeBlock?>.allocate(capacity: blocks)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        nonisolated(unsafe) let shared = slots
        parallelFor(blocks, threads: threads) { b in
            var block = LatticeBlock(depth: depth)
            for r in b * blockSize..<min(samples, (b + 1) * blockSize) {
                let trace = realisation(StreamKey(seed: seed, task: task, realisation: UInt64(r)), recordField && r == 0)
                block.add(trace)
                if r == 0 { block.field = trace.field }
            }
            shared[b] = block
        }
        var total = LatticeBlock(depth: depth)
        for b in 0..<blocks { total.merge(slots[b]!) }
        return LatticeSeries(depth: depth, samples: samples, seed: seed, rho: total.rho, survivors: total.survivors,
                             active: total.active, spread: total.spread, field: total.field)
    }
}

/// Per-layer accumulators of one block of realisations.
struct LatticeBlock {
    var rho: [RunningMoments]
    var survivors: [Int]
    var active: [RunningMoments]
    var spread: [PairedMoments]
    var field: LatticeField?

    init(depth: Int) {
        rho = Array(repeating: RunningMoments(), count: depth)
        active = rho
        survivors = Array(repeating: 0, count: depth)
        spread = Array(repeating: PairedMoments(), count: depth)
    }

    mutating func add(_ t: LatticeTrace) {
        for l in rho.indices {
            rho[l].add(t.rho[l])
            active[l].add(Double(t.active[l]))
            if t.active[l] > 0 { survivors[l] += 1 }
            if !t.spread[l].isNaN { spread[l].add(t.spread[l], Double(t.active[l])) }
        }
    }

    mutating func merge(_ o: LatticeBlock) {
        for l in rho.indices {
            rho[l].merge(o.rho[l]); active[l].merge(o.active[l]); spread[l].merge(o.spread[l])
            survivors[l] += o.survivors[l]
        }
        if field == nil { field = o.field }
    }
}
