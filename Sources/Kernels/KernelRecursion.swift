import CriticalityCore
import Foundation
import MeanField

/// The NNGP and NTK of every pair of a data set at a list of depths, for inputs of equal mean
/// square q₀ (docs/kernels.md):
///
///     K¹ = σ_w² x·x′/n₀ + σ_b²,   K^{l+1} = σ_w² E[φ(u)φ(u′)] + σ_b²,   (u, u′) ~ N(0, K^l)
///     Θ¹ = K¹,                    Θ^{l+1} = K^{l+1} + σ_w² E[φ′(u)φ′(u′)] Θ^l
///
/// With equal input norms every point has the same K^l(x, x) = q^l (the length map), so each
/// layer maps every pair's ρ = 1 − K_ij/q by one function, tabulated once per distinct q^l
/// (``LayerMapTable``; q^l converges, so a deep network reuses its last table). ρ is propagated
/// directly, never recovered from 1 − c, so it stays accurate however close to 1 the
/// correlations get; K_ij = q(1 − ρ_ij).
///
/// - Complexity: O(N² L) cheap steps plus one table per distinct q^l; pairs run in blocks that
///   stay in cache for all layers, in parallel, with results independent of the thread count.
public struct KernelRecursion: Sendable {
    public let network: MeanFieldNetwork
    /// The mean square of every input, q₀ (the inputs are rescaled to it).
    public let q0: Double
    /// The tables of layers 1, 2, … (layer l maps depth l to depth l + 1); the last is reused.
    public private(set) var tables: [LayerMapTable] = []
    /// K^l(x, x) for l = 1…L.
    public private(set) var q: [Double] = []
    /// χ₁ at each depth (for the NTK's diagonal).
    public private(set) var chi1: [Double] = []

    /// Prepares the tables up to depth `depth`.
    public init(network: MeanFieldNetwork, q0: Double, depth: Int) {
        self.network = network
        self.q0 = q0
        let s2 = network.sigmaW * network.sigmaW, b2 = network.sigmaB * network.sigmaB
        var ql = s2 * q0 + b2
        for l in 1...max(depth, 1) {
            q.append(ql)
            guard l < depth else { break }
            // A new table only while q^l still moves (relative change above 1e-15).
            if let last = tables.last, abs(last.q - ql) <= 1e-15 * max(ql, 1e-300) {
                tables.append(last)
            } else if let first = tables.first, Self.isHomogeneous(network.activation) {
                tables.append(first.rescaled(to: ql, network: network))
            } else {
                tables.append(LayerMapTable(network: network, q: ql))
            }
            ql = tables.last!.qNext
        }
        chi1 = tables.map(\.chi1)
    }

    /// Whether φ(a x) = a φ(x) for a > 0, so that one table serves every variance.
    static func isHomogeneous(_ a: Activation) -> Bool { a == .relu || a == .linear }

    /// The largest residual of any table against the exact maps.
    public var maximumTableError: Double { tables.map(\.maximumError).max() ?? 0 }

    /// ρ¹ of a pair from its input correlation: ρ¹ = σ_w² q₀ ρ⁰ / q¹ (no cancellation).
    public func firstLayerRho(_ rho0: Double) -> Double {
        network.sigmaW * network.sigmaW * q0 * rho0 / q[0]
    }

    /// Runs `count` pairs with initial distances `rho0[p]` (ρ⁰ = 1 − cos of the two inputs,
    /// computed without cancellation) and records, at each depth of `depths` (ascending, 1 ≤ d ≤ L),
    /// ρ and Θ of every pair: `rho[k][p]`, `ntk[k][p]`. The diagonal (ρ = 0) is one pair like the others.
    ///
    /// - Parameter progress: called after each block of 2048 pairs with the fraction of pairs done
    ///   (from any thread).
    public func run(rho0: [Double], depths: [Int], threads: Int = defaultThreadCount,
                    progress: (@Sendable (Double) -> Void)? = nil) -> (rho: [[Double]], ntk: [[Double]]) {
        let count = rho0.count
        let depth = q.count
        precondition(depths.allSatisfy { $0 >= 1 && $0 <= depth })
        let block = 2048
        let blocks = (count + block - 1) / block
        let order = depths.sorted()
        let tables = self.tables, q = self.q
        let finished = LockedValue(0)
        let results = parallelMap(blocks, threads: threads) { b -> [[(Double, Double)]] in
            defer {
                if let progress { progress(Double(finished.withValue { $0 += 1; return $0 }) / Double(blocks)) }
            }
            let lo = b * block, hi = min(count, lo + block), n = hi - lo
            let rho = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
            let ntk = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
            defer { rho.deallocate(); ntk.deallocate() }
            for k in 0..<n {
                rho[k] = firstLayerRho(rho0[lo + k])
                ntk[k] = q[0] * (1 - rho[k])  // Θ¹ = K¹
            }
            var recorded: [[(Double, Double)]] = []
            var next = 0
            for l in 1...depth {
                while next < order.count && order[next] == l {
                    recorded.append((0..<n).map { (rho[$0], ntk[$0]) })
                    next += 1
                }
                guard l < depth, next < order.count else { break }
                let qNext = q[l]
                tables[l - 1].withUnsafeTables { t in
                    t.step(rho: rho.baseAddress!, ntk: ntk.baseAddress!, count: n, qNext: qNext)
                }
            }
            return recorded
        }
        var rhoOut = order.map { _ in [Double]() }, ntkOut = order.map { _ in [Double]() }
        for r in results {
            for k in order.indices {
                rhoOut[k] += r[k].map(\.0)
                ntkOut[k] += r[k].map(\.1)
            }
        }
        // Back to the order the depths were given in.
        let position = depths.map { d in order.firstIndex(of: d)! }
        return (position.map { rhoOut[$0] }, position.map { ntkOut[$0] })
    }
}
