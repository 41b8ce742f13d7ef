import Foundation
import Testing
@testable import Kernels
import MeanField

@Suite struct RawInputKernelTests {
    /// Rows of different norms in 3 dimensions (mean squares 0.1 to 1.75: the mean-field engine's
    /// Gauss–Hermite rules lose accuracy for variances above about 4; see docs/mean-field.md).
    static let rows: [[Double]] = [[1, 2, 0.5], [0.3, -1, 2], [1.2, 1, 1.4], [-0.5, 0.1, 0.2]]

    @Test("raw inputs, erf: NNGP and NTK equal the arcsine closed form with unequal variances to 1e-11, depths 1 to 30")
    func erfClosedForm() throws {
        let sw = 1.4, sb = 0.2
        let network = try MeanFieldNetwork(activation: .erf, sigmaW: sw, sigmaB: sb)
        let pairs = [(i: 0, j: 1), (i: 0, j: 2), (i: 1, j: 3), (i: 2, j: 2)]
        let depths = [1, 5, 30]
        let (nngp, ntk) = RawInputKernels(network: network).run(Self.rows, pairs: pairs, depths: depths, threads: 2)
        for (p, pair) in pairs.enumerated() {
            let a = Self.rows[pair.i], b = Self.rows[pair.j]
            var qa = sw * sw * a.reduce(0) { $0 + $1 * $1 } / 3 + sb * sb
            var qb = sw * sw * b.reduce(0) { $0 + $1 * $1 } / 3 + sb * sb
            var k = sw * sw * zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / 3 + sb * sb
            var theta = k
            for l in 1...30 {
                if let d = depths.firstIndex(of: l) {
                    // Relative to the scale √(q_i q_j) of K (K itself may cross 0).
                    #expect(abs(nngp[d][p] - k) <= 1e-11 * (qa * qb).squareRoot(), "K pair \(pair) depth \(l): \(nngp[d][p]) vs \(k)")
                    #expect(abs(ntk[d][p] - theta) <= 1e-11 * abs(theta), "Θ pair \(pair) depth \(l): \(ntk[d][p]) vs \(theta)")
                }
                let na = 1 + 2 * qa, nb = 1 + 2 * qb
                let dot = (4 / Double.pi) / (na * nb - 4 * k * k).squareRoot()
                k = sw * sw * (2 / Double.pi) * asin(2 * k / (na * nb).squareRoot()) + sb * sb
                theta = k + sw * sw * dot * theta
                qa = sw * sw * (2 / Double.pi) * asin(2 * qa / na) + sb * sb
                qb = sw * sw * (2 / Double.pi) * asin(2 * qb / nb) + sb * sb
            }
        }
    }

    @Test("raw inputs of equal norms agree with the equal-norm recursion (tanh and ReLU 1e-10, hard-tanh 1e-7)")
    func agreesWithTables() throws {
        let scaled = Self.rows.map { r -> [Double] in
            let s = (3 / r.reduce(0) { $0 + $1 * $1 }).squareRoot(); return r.map { $0 * s }
        }
        // Hard-tanh's panels in both variables are slow in a debug build: fewer pairs and layers.
        let cases: [(Activation, Double, [[Double]], [Int])] = [
            (.tanh, 1e-10, scaled, [2, 10]), (.relu, 1e-10, scaled, [2, 10]), (.hardTanh, 1e-7, Array(scaled.prefix(2)), [2, 3]),
        ]
        for (activation, tolerance, rows, depths) in cases {
            let network = try MeanFieldNetwork(activation: activation, sigmaW: 1.5, sigmaB: 0.3)
            let pairs = packedPairs(rows.count)
            let raw = RawInputKernels(network: network).run(rows, pairs: pairs, depths: depths, threads: 2)
            let engine = KernelRecursion(network: network, q0: 1, depth: depths.max()!)
            let (rho, ntk) = engine.run(rho0: inputDistances(rows), depths: depths, threads: 2)
            for (k, d) in depths.enumerated() {
                let q = engine.q[d - 1]
                // Θ's scale is its diagonal (pair (0, 0), the first packed pair).
                let scale = ntk[k][0]
                for p in pairs.indices {
                    let nngp = q * (1 - rho[k][p])
                    #expect(abs(raw.nngp[k][p] - nngp) <= tolerance * q, "\(activation) K depth \(d) pair \(pairs[p]): \(raw.nngp[k][p]) vs \(nngp)")
                    #expect(abs(raw.ntk[k][p] - ntk[k][p]) <= tolerance * scale, "\(activation) Θ depth \(d) pair \(pairs[p]): \(raw.ntk[k][p]) vs \(ntk[k][p])")
                }
            }
        }
    }
}
