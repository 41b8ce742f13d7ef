import CriticalityCore
import Foundation

/// The eigendecomposition A = V diag(λ) Vᵀ of a real symmetric matrix: Householder reduction to
/// tridiagonal form with the transformations accumulated, then the implicit QL method with
/// Wilkinson shifts on the tridiagonal matrix (CriticalityCore's
/// ``symmetricTridiagonalEigen(_:_:rows:rowCount:maximumIterations:)``, the one the Gauss–Hermite
/// rules use), rotating the accumulated matrix along (the classic tred2/tql2 pair). Eigenvalues come out ascending, eigenvectors as the columns of `vectors`
/// (row-major, `vectors[i * n + k]` is component i of eigenvector k).
///
/// - Complexity: O(n³) time (about 9n³ flops with vectors), O(n²) memory.
public struct SymmetricEigen: Sendable {
    public let count: Int
    public private(set) var values: [Double]
    public private(set) var vectors: [Double]

    /// Decomposes `matrix` (row-major n × n, symmetric; only the lower triangle is read).
    ///
    /// - Throws: ``KernelError/noConvergence`` if the QL iteration stalls (not seen in practice;
    ///   30 sweeps per eigenvalue are allowed).
    public init(_ matrix: [Double], count n: Int) throws {
        precondition(matrix.count == n * n)
        count = n
        var z = matrix
        var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
        Self.tridiagonalise(&z, n, &d, &e)
        // The reduction leaves e[i] = element (i, i − 1); the QL method takes (i, i + 1).
        if n > 1 { for i in 1..<n { e[i - 1] = e[i] } }
        guard symmetricTridiagonalEigen(&d, &e, rows: &z, rowCount: n, maximumIterations: 30) else {
            throw KernelError.noConvergence
        }
        // Sort ascending, columns along.
        let order = d.indices.sorted { d[$0] < d[$1] }
        values = order.map { d[$0] }
        var v = [Double](repeating: 0, count: n * n)
        for (k, src) in order.enumerated() { for i in 0..<n { v[i * n + k] = z[i * n + src] } }
        vectors = v
    }

    /// Householder reduction: on exit `z` holds the orthogonal transformation, `d` the diagonal
    /// and `e[i]` the subdiagonal element (i, i − 1) (e[0] = 0).
    static func tridiagonalise(_ z: inout [Double], _ n: Int, _ d: inout [Double], _ e: inout [Double]) {
        if n == 0 { return }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let l = i - 1
            var h = 0.0
            if l > 0 {
                var scale = 0.0
                for k in 0...l { scale += abs(z[i * n + k]) }
                if scale == 0 {
                    e[i] = z[i * n + l]
                } else {
                    for k in 0...l {
                        z[i * n + k] /= scale
                        h += z[i * n + k] * z[i * n + k]
                    }
                    let f = z[i * n + l]
                    let g = f >= 0 ? -h.squareRoot() : h.squareRoot()
                    e[i] = scale * g
                    h -= f * g
                    z[i * n + l] = f - g
                    var ff = 0.0
                    for j in 0...l {
                        z[j * n + i] = z[i * n + j] / h
                        var gg = 0.0
                        for k in 0...j { gg += z[j * n + k] * z[i * n + k] }
                        if j < l { for k in (j + 1)...l { gg += z[k * n + j] * z[i * n + k] } }
                        e[j] = gg / h
                        ff += e[j] * z[i * n + j]
                    }
                    let hh = ff / (h + h)
                    for j in 0...l {
                        let f = z[i * n + j]
                        let g = e[j] - hh * f
                        e[j] = g
                        for k in 0...j { z[j * n + k] -= f * e[k] + g * z[i * n + k] }
                    }
                }
            } else {
                e[i] = z[i * n + l]
            }
            d[i] = h
        }
        d[0] = 0
        e[0] = 0
        for i in 0..<n {
            if d[i] != 0 && i > 0 {
                for j in 0..<i {
                    var g = 0.0
                    for k in 0..<i { g += z[i * n + k] * z[k * n + j] }
                    for k in 0..<i { z[k * n + j] -= g * z[k * n + i] }
                }
            }
            d[i] = z[i * n + i]
            z[i * n + i] = 1
            for j in 0..<i {
                z[j * n + i] = 0
                z[i * n + j] = 0
            }
        }
    }
}

/// Errors of the kernel computations.
public enum KernelError: Error, CustomStringConvertible, Sendable {
    case noConvergence
    /// Kernel regression (t = ∞) on a numerically singular kernel.
    case singular

    public var description: String {
        switch self {
        case .noConvergence: "the symmetric eigensolver did not converge"
        case .singular: "the training kernel is numerically singular (an eigenvalue below 1e-14 of the largest), so kernel regression (t = inf) is undefined: give a finite time, fewer training points, or a ridge"
        }
    }
}
