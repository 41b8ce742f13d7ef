import Foundation
import CriticalityCore

/// Where the two inputs (x_a, x_b) of each realisation come from.
public enum InputPairs: Sendable, Equatable {
    /// Synthetic inputs of dimension n₀ with |x|²/n₀ = q₀ and cosine similarity c₀ = 1 − ρ₀
    /// (docs/models.md, "Input pairs"; default q₀ = 1, ρ₀ = 1).
    case synthetic(dimension: Int, q0: Double, rho0: Double)
    /// Rows of a data set; each realisation draws two distinct rows at random.
    case data(InputData)

    /// The input dimension n₀.
    public var dimension: Int {
        switch self {
        case .synthetic(let n, _, _): n
        case .data(let d): d.dimension
        }
    }
}

/// A data set of input vectors (one per row), optionally rescaled to a common mean square q₀.
public struct InputData: Sendable, Equatable {
    public let rows: [[Double]]
    public let dimension: Int

    /// - Parameters:
    ///   - rows: at least two rows of equal length ≥ 1, all finite, none all zero when rescaling.
    ///   - q0: when given, each row x is rescaled so that |x|²/n₀ = q₀.
    public init(rows: [[Double]], rescaleTo q0: Double?) throws {
        guard rows.count >= 2 else { throw PropagationError.invalidInput("the input data needs at least two rows, got \(rows.count)") }
        let n = rows[0].count
        guard n >= 1 else { throw PropagationError.invalidInput("the input rows are empty") }
        var scaled: [[Double]] = []
        scaled.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            guard row.count == n else {
                throw PropagationError.invalidInput("input row \(i + 1) has \(row.count) values, expected \(n)")
            }
            guard row.allSatisfy(\.isFinite) else { throw PropagationError.invalidInput("input row \(i + 1) has a non-finite value") }
            if let q0 {
                let norm2 = row.reduce(0) { $0 + $1 * $1 }
                guard norm2 > 0 else { throw PropagationError.invalidInput("input row \(i + 1) is all zero and cannot be rescaled") }
                let scale = (q0 * Double(n) / norm2).squareRoot()
                scaled.append(row.map { $0 * scale })
            } else {
                scaled.append(row)
            }
        }
        self.rows = scaled
        self.dimension = n
    }
}

/// The two input vectors of one realisation, as x_a and Δx = x_b − x_a.
public struct InputPair: Sendable {
    public var a: [Double]
    public var delta: [Double]

    /// The Gram entries of (x_a, Δx), summed in index order.
    public var gram: GramEntries {
        var g11 = 0.0, g12 = 0.0, g22 = 0.0
        for i in a.indices {
            g11 += a[i] * a[i]; g12 += a[i] * delta[i]; g22 += delta[i] * delta[i]
        }
        return GramEntries(g11: g11, g12: g12, g22: g22)
    }
}

extension InputPairs {
    /// The input pair of one realisation, drawn from `random` (the realisation's own input stream).
    ///
    /// Synthetic: x_a Gaussian, rescaled to |x_a|² = n₀q₀; u ⟂ x_a Gaussian of the same norm;
    /// Δx = −ρ₀ x_a + √(ρ₀(2 − ρ₀)) u, so that x_b = x_a + Δx has the same norm and cos = 1 − ρ₀.
    public func pair(using random: inout Xoshiro256) -> InputPair {
        switch self {
        case .data(let data):
            let i = Int(random.next() % UInt64(data.rows.count))
            var j = Int(random.next() % UInt64(data.rows.count - 1))
            if j >= i { j += 1 }
            let a = data.rows[i], b = data.rows[j]
            return InputPair(a: a, delta: zip(b, a).map { $0 - $1 })
        case .synthetic(let n, let q0, let rho0):
            var x = random.gaussians(n)
            var u = random.gaussians(n)
            let xx = x.reduce(0) { $0 + $1 * $1 }
            if n > 1 {
                let ux = zip(u, x).reduce(0) { $0 + $1.0 * $1.1 }
                for k in 0..<n { u[k] -= ux / xx * x[k] }
            }
            let uu = u.reduce(0) { $0 + $1 * $1 }
            let target = (q0 * Double(n)).squareRoot()
            let sx = target / xx.squareRoot()
            let su = uu > 0 ? target / uu.squareRoot() : 0
            for k in 0..<n { x[k] *= sx; u[k] *= su }
            let along = -rho0, across = max(rho0 * (2 - rho0), 0).squareRoot()
            return InputPair(a: x, delta: (0..<n).map { along * x[$0] + across * u[$0] })
        }
    }

    /// The Gram entries of the input pair. For synthetic inputs they are known exactly
    /// (n₀q₀, −n₀q₀ρ₀, 2n₀q₀ρ₀) and no vector is drawn.
    public func gram(using random: inout Xoshiro256) -> GramEntries {
        if case .synthetic(let n, let q0, let rho0) = self {
            let nq = Double(n) * q0
            return GramEntries(g11: nq, g12: -nq * rho0, g22: 2 * nq * rho0)
        }
        return pair(using: &random).gram
    }
}

