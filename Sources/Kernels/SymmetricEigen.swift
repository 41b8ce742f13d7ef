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
    /// Which solver computed it.
    public let backend: Backend

    /// The solver: the machine's LAPACK (``LAPACKLibrary``, divide and conquer) or the tool's own.
    public enum Backend: String, Sendable, CaseIterable {
        case lapack, swift
        /// LAPACK when the machine has it, else the tool's own.
        public static var preferred: Backend { LAPACKLibrary.shared != nil ? .lapack : .swift }
    }

    /// Decomposes `matrix` (row-major n × n, symmetric; only the lower triangle is read by the
    /// tool's own solver, either by LAPACK's).
    ///
    /// - Parameter backend: ``Backend/preferred`` by default; `.lapack` falls back to `.swift` when
    ///   the machine has no LAPACK.
    /// - Throws: ``KernelError/noConvergence(size:solver:)`` if the matrix holds a non-finite
    ///   number, the QL iteration stalls (30 sweeps per eigenvalue are allowed; with the deflation
    ///   test against the matrix norm no finite matrix has been seen to need them) or LAPACK reports
    ///   a failure.
    public init(_ matrix: [Double], count n: Int, backend: Backend = .preferred) throws {
        precondition(matrix.count == n * n)
        count = n
        if backend == .lapack, n >= 1, let lapack = LAPACKLibrary.shared {
            // A symmetric row-major matrix is its own column-major transpose; LAPACK returns the
            // eigenvectors as columns of a column-major array: z[i + k n] = component i of vector k.
            var z = matrix
            guard let w = lapack.dsyevd(&z, n, vectors: true) else { throw KernelError.noConvergence(size: n, solver: .lapack) }
            values = w
            vectors = Self.transposed(z, n)
            self.backend = .lapack
            return
        }
        self.backend = .swift
        let (d, z) = try Self.builtIn(matrix, n, vectors: true)
        // Sort ascending, columns along.
        let order = d.indices.sorted { d[$0] < d[$1] }
        values = order.map { d[$0] }
        var v = [Double](repeating: 0, count: n * n)
        for (k, src) in order.enumerated() { for i in 0..<n { v[i * n + k] = z[i * n + src] } }
        vectors = v
    }

    /// The tool's own solver: the eigenvalues (unordered) and, with `vectors`, the accumulated
    /// transformation whose columns are the eigenvectors (without, the reduction skips the
    /// accumulation and the QL iteration rotates nothing: about a fifth of the work).
    static func builtIn(_ matrix: [Double], _ n: Int, vectors: Bool) throws -> (values: [Double], z: [Double]) {
        var z = matrix
        // A matrix of huge or denormal entries is scaled by an exact power of two first, so that the
        // Householder reduction neither overflows nor loses digits to gradual underflow.
        guard z.allSatisfy(\.isFinite) else { throw KernelError.noConvergence(size: n, solver: .swift) }
        let largest = z.reduce(0.0) { max($0, abs($1)) }
        let shift = safeScalingExponent(largest)
        if shift != 0 { for i in z.indices { z[i] = scalbn(z[i], shift) } }
        var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
        Self.tridiagonalise(&z, n, &d, &e, vectors: vectors)
        // The reduction leaves e[i] = element (i, i − 1); the QL method takes (i, i + 1).
        if n > 1 { for i in 1..<n { e[i - 1] = e[i] } }
        var rows = vectors ? z : []
        guard symmetricTridiagonalEigen(&d, &e, rows: &rows, rowCount: vectors ? n : 0, maximumIterations: 30) else {
            throw KernelError.noConvergence(size: n, solver: .swift)
        }
        if shift != 0 { for i in d.indices { d[i] = scalbn(d[i], -shift) } }
        return (d, rows)
    }

    /// The eigenvalues alone, ascending (without the eigenvectors: with LAPACK about a third of the
    /// full decomposition's time, with the tool's own solver about a fifth).
    public static func eigenvalues(_ matrix: [Double], count n: Int, backend: Backend = .preferred) throws -> [Double] {
        if backend == .lapack, n >= 1, let lapack = LAPACKLibrary.shared {
            var z = matrix
            guard let w = lapack.dsyevd(&z, n, vectors: false) else { throw KernelError.noConvergence(size: n, solver: .lapack) }
            return w
        }
        return try builtIn(matrix, n, vectors: false).values.sorted()
    }

    /// The transpose of a square n × n array, in tiles of 32 × 32 to stay in cache.
    static func transposed(_ a: [Double], _ n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: n * n)
        let tile = 32
        a.withUnsafeBufferPointer { src in
            t.withUnsafeMutableBufferPointer { dst in
                for i0 in stride(from: 0, to: n, by: tile) {
                    for j0 in stride(from: 0, to: n, by: tile) {
                        for i in i0..<min(i0 + tile, n) {
                            for j in j0..<min(j0 + tile, n) { dst[j * n + i] = src[i * n + j] }
                        }
                    }
                }
            }
        }
        return t
    }

    /// Householder reduction: on exit `z` holds the orthogonal transformation, `d` the diagonal
    /// and `e[i]` the subdiagonal element (i, i − 1) (e[0] = 0).
    static func tridiagonalise(_ z: inout [Double], _ n: Int, _ d: inout [Double], _ e: inout [Double], vectors: Bool = true) {
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
        if !vectors {
            for i in 0..<n { d[i] = z[i * n + i] }
            return
        }
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
    /// The eigendecomposition of a `size` × `size` matrix failed in `solver`.
    case noConvergence(size: Int, solver: SymmetricEigen.Backend)
    /// Kernel regression (t = ∞) on a numerically singular kernel.
    case singular

    public var description: String {
        switch self {
        case let .noConvergence(n, solver):
            switch solver {
            case .swift:
                "the built-in symmetric eigensolver did not converge on a \(n) × \(n) kernel matrix (it holds a non-finite number, or this is a defect worth reporting): check the inputs and sigma values, or install LAPACK (Debian: apt-get install libopenblas0-pthread) to use its solver"
            case .lapack:
                "LAPACK's dsyevd failed on a \(n) × \(n) kernel matrix (it holds a non-finite number?): check the inputs and sigma values, or set CRITICALITY_LAPACK=none to use the built-in solver"
            }
        case .singular: "the training kernel is numerically singular (an eigenvalue below 1e-14 of the largest), so kernel regression (t = inf) is undefined: give a finite time, fewer training points, or a ridge"
        }
    }
}
