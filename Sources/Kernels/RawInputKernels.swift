import CriticalityCore
import Foundation
import MeanField

/// The NNGP and NTK of pairs of inputs that keep their own norms (`--raw-input`; docs/kernels.md,
/// "Raw inputs"). Every point has its own K^l(x, x) = q_i^l (the length map from q_i⁰ = |x_i|²/n₀),
/// so the layer maps are not one function of ρ and are evaluated pair by pair:
///
///     K^{l+1}_ij = σ_w² E[φ(u)φ(u′)] + σ_b²,   Θ^{l+1}_ij = K^{l+1}_ij + σ_w² E[φ′(u)φ′(u′)] Θ^l_ij
///
/// with u = √q_i z₁, u′ = √q_j (c z₁ + s z₂), c = K_ij/√(q_i q_j), s = √((1 − c)(1 + c)), by
/// two-dimensional Gaussian quadrature: Gauss–Hermite rules sized by the scales √q_i and √q_j s (as
/// the mean-field engine sizes them) for smooth activations; panels split at the kinks in both
/// variables for hard-tanh; the arc-cosine closed form for ReLU. The state is K itself, so ρ = 1 − c is as accurate as c
/// (about 1e-16 absolute), not to the relative precision of the equal-norm recursion; for ReLU,
/// whose NTK depends on θ ≈ √(2ρ), two distinct but nearly parallel inputs get about 1e-8.
///
/// - Complexity: O(N² L m²) for rules of m nodes (m ≈ 100 for unit variances): about 10⁴ pair-layers
///   per second per core, against 10⁸ for ``KernelRecursion``.
public struct RawInputKernels: Sendable {
    public let network: MeanFieldNetwork

    public init(network: MeanFieldNetwork) { self.network = network }

    /// K^l(x, x) of every point at depths 1…L.
    public func diagonal(_ rows: [[Double]], depth: Int) -> [[Double]] {
        let s2 = network.sigmaW * network.sigmaW, b2 = network.sigmaB * network.sigmaB
        return rows.map { x in
            var q = s2 * x.reduce(0) { $0 + $1 * $1 } / Double(max(x.count, 1)) + b2
            var out = [q]
            for _ in 1..<max(depth, 1) {
                q = network.lengthMap(q)
                out.append(q)
            }
            return out
        }
    }

    /// K and Θ at each depth of `depths` (1 ≤ d ≤ 10⁴) for the pairs (i, j) of `rows`:
    /// `nngp[k][p]`, `ntk[k][p]` for depth `depths[k]` and pair `pairs[p]`.
    public func run(_ rows: [[Double]], pairs: [(i: Int, j: Int)], depths: [Int], threads: Int = defaultThreadCount)
        -> (nngp: [[Double]], ntk: [[Double]])
    {
        let depth = depths.max() ?? 1
        let q = diagonal(rows, depth: depth)
        let s2 = network.sigmaW * network.sigmaW, b2 = network.sigmaB * network.sigmaB
        let n0 = Double(max(rows.first?.count ?? 1, 1))
        let perPair = parallelMap(pairs.count, threads: threads) { p -> [(Double, Double)] in
            let (i, j) = pairs[p]
            var k = s2 * zip(rows[i], rows[j]).reduce(0) { $0 + $1.0 * $1.1 } / n0 + b2
            var theta = k
            var recorded: [(Double, Double)] = []
            for l in 1...depth {
                if depths.contains(l) { recorded.append((k, theta)) }
                guard l < depth else { break }
                let qa = q[i][l - 1], qb = q[j][l - 1]
                // A point with itself has c = 1 exactly (ReLU's NTK depends on √(1 − c)).
                let c = i == j ? 1 : k / (max(qa, GaussianExpectations.varianceFloor) * max(qb, GaussianExpectations.varianceFloor)).squareRoot()
                let (phi, dphi) = expectations(qa: qa, qb: qb, c: c)
                k = s2 * phi + b2
                theta = k + s2 * dphi * theta
            }
            return recorded
        }
        // Back to the order of `depths`.
        let ascending = Array(Set(depths)).sorted()
        let nngp = depths.map { d in perPair.map { $0[ascending.firstIndex(of: d)!].0 } }
        let ntk = depths.map { d in perPair.map { $0[ascending.firstIndex(of: d)!].1 } }
        return (nngp, ntk)
    }

    /// (E[φ(u)φ(u′)], E[φ′(u)φ′(u′)]) for Var u = qa, Var u′ = qb and correlation c.
    func expectations(qa: Double, qb: Double, c correlation: Double) -> (Double, Double) {
        let floor = GaussianExpectations.varianceFloor
        let sa = max(qa, floor).squareRoot(), sb = max(qb, floor).squareRoot()
        let c = min(max(correlation, -1), 1)
        let s = ((1 - c) * (1 + c)).squareRoot()
        let a = network.activation
        if a == .relu {
            // The arc-cosine kernel (Cho and Saul).
            let theta = atan2(s, c)
            return (sa * sb * (s + (Double.pi - theta) * c) / (2 * Double.pi), (Double.pi - theta) / (2 * Double.pi))
        }
        // u′ = sb (c z₁ + s z₂): the inner variable has scale sb s, the outer sa and sb c.
        func inner(_ z1: Double) -> (Double, Double) {
            let u = sa * z1, centre = sb * c * z1, spread = sb * s
            let fu = a.value(u), du = a.derivative(u)
            if a.isSmooth {
                let rule = GaussianExpectations.rule(scale: spread, oscillatory: a == .sin)
                var f = 0.0, d = 0.0
                for m in rule.nodes.indices {
                    let v = centre + spread * rule.nodes[m]
                    f += rule.weights[m] * a.value(v)
                    d += rule.weights[m] * a.derivative(v)
                }
                return (fu * f, du * d)
            }
            guard spread > 0 else { return (fu * a.value(centre), du * a.derivative(centre)) }
            let cuts = a.kinks.map { ($0.position - centre) / spread }
            let f = GaussianExpectations.piecewise.expectation(breakpoints: cuts) { a.value(centre + spread * $0) }
            let d = GaussianExpectations.piecewise.expectation(breakpoints: cuts) { a.derivative(centre + spread * $0) }
            return (fu * f, du * d)
        }
        if a.isSmooth {
            let rule = GaussianExpectations.rule(scale: max(sa, sb), oscillatory: a == .sin)
            var f = 0.0, d = 0.0
            for m in rule.nodes.indices {
                let (x, y) = inner(rule.nodes[m])
                f += rule.weights[m] * x
                d += rule.weights[m] * y
            }
            return (f, d)
        }
        // Kinks of u in z₁, and where the inner integrand's kink positions cross the outer node range.
        // Where the inner variable's centre crosses a kink, the inner integral changes over a width
        // s/|c| in z₁ (sharp as c → ±1): cuts graded around those points resolve it.
        var cuts = a.kinks.map { $0.position / sa }
        if sb * c != 0 {
            let width = s / abs(c)
            for k in a.kinks {
                let t = k.position / (sb * c)
                cuts.append(t)
                for m in [0.25, 0.5, 1, 2, 4, 8] { cuts.append(t - m * width); cuts.append(t + m * width) }
            }
        }
        let f = GaussianExpectations.piecewise.expectation(breakpoints: cuts) { inner($0).0 }
        let d = GaussianExpectations.piecewise.expectation(breakpoints: cuts) { inner($0).1 }
        return (f, d)
    }
}

extension RawInputKernels {
    /// The kernel matrices of a training and a test set of raw inputs at each of `depths`, like
    /// ``KernelRecursion/forEachDepth(train:test:depths:threads:_:)`` (`q` is NaN: the points have
    /// their own variances).
    public func forEachDepth(train: [[Double]], test: [[Double]], depths: [Int], threads: Int = defaultThreadCount,
                             _ body: (KernelMatrices) throws -> Void) rethrows {
        let n = train.count, m = test.count
        let rows = train + test
        var pairs = packedPairs(n)
        let packed = pairs.count
        for r in 0..<m { for i in 0..<n { pairs.append((n + r, i)) } }
        let (nngp, ntk) = run(rows, pairs: pairs, depths: depths, threads: threads)
        for (k, depth) in depths.enumerated() {
            try body(KernelMatrices(depth: depth, q: .nan, train: n, packedPairs: packed, nngp: nngp[k], ntk: ntk[k]))
        }
    }
}
