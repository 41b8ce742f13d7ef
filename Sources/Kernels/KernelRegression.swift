import Foundation

/// Kernel regression, the t = ∞ limit of gradient flow (docs/kernels.md, "Predictors"), by Cholesky
/// factorisation instead of an eigendecomposition: α = K⁻¹ Y, f(X*) = K(X*, X) α. With only the
/// eigenvalues (for the condition number and the effective rank, and to refuse a numerically
/// singular kernel exactly as ``GradientFlow`` does) this costs about a third of the full
/// eigendecomposition with vectors.
///
/// - Complexity: O(N³/3) for the factorisation plus the eigenvalues' O(4N³/3).
public struct KernelRegression: Sendable {
    public let count: Int
    public let classes: Int
    /// The eigenvalues of the training kernel, ascending.
    public let values: [Double]
    /// K⁻¹ Y, N × classes; nil when the kernel is numerically singular.
    let alpha: [Double]?

    /// - Throws: ``KernelError/noConvergence(size:solver:)`` if the eigenvalues cannot be computed. A numerically
    ///   singular kernel (smallest eigenvalue below 1e-14 of the largest, or a failed factorisation)
    ///   is not an error here: its spectrum is still reported and ``outputs(cross:count:)`` throws.
    public init(kernel: [Double], count n: Int, targets: [Double], classes: Int, ridge: Double = 0,
                backend: SymmetricEigen.Backend = .preferred) throws {
        precondition(kernel.count == n * n && targets.count == n * classes)
        var k = kernel
        if ridge != 0 { for i in 0..<n { k[i * n + i] += ridge } }
        values = try SymmetricEigen.eigenvalues(k, count: n, backend: backend)
        count = n
        self.classes = classes
        guard let lo = values.first, let hi = values.last, lo > 1e-14 * abs(hi) else { alpha = nil; return }
        var solution = targets
        let solved = backend == .lapack && LAPACKLibrary.shared?.dpotrfFunction != nil
            ? LAPACKLibrary.shared!.choleskySolve(&k, n, &solution, columns: classes)
            : Self.choleskySolve(&k, n, &solution, columns: classes)
        alpha = solved ? solution : nil
    }

    /// λ_max / λ_min.
    public var conditionNumber: Double { spectralSummary(values).condition }

    /// (Σλ)²/Σλ².
    public var effectiveRank: Double { spectralSummary(values).effectiveRank }

    /// Outputs at M points from their kernel with the training points, row-major M × N.
    ///
    /// - Throws: ``KernelError/singular`` for a numerically singular kernel.
    public func outputs(cross: [Double], count m: Int) throws -> [Double] {
        guard let alpha else { throw KernelError.singular }
        return multiply(cross, rows: m, inner: count, alpha, columns: classes)
    }

    /// The tool's own Cholesky solve (row-major, lower triangle): A = L Lᵀ, then L z = b, Lᵀ x = z
    /// for each column of `b`. Returns false when a pivot is not positive.
    static func choleskySolve(_ a: inout [Double], _ n: Int, _ b: inout [Double], columns m: Int) -> Bool {
        var ok = true
        a.withUnsafeMutableBufferPointer { l in
            for j in 0..<n {
                var d = l[j * n + j]
                for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
                guard d > 0 else { ok = false; return }
                let pivot = d.squareRoot()
                l[j * n + j] = pivot
                for i in (j + 1)..<max(j + 1, n) {
                    var s = l[i * n + j]
                    for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                    l[i * n + j] = s / pivot
                }
            }
        }
        guard ok else { return false }
        for c in 0..<m {
            for i in 0..<n {
                var s = b[i * m + c]
                for k in 0..<i { s -= a[i * n + k] * b[k * m + c] }
                b[i * m + c] = s / a[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = b[i * m + c]
                for k in (i + 1)..<max(i + 1, n) { s -= a[k * n + i] * b[k * m + c] }
                b[i * m + c] = s / a[i * n + i]
            }
        }
        return true
    }
}

/// The condition number λ_max/λ_min (infinite when λ_min ≤ 0) and the effective rank (Σλ)²/Σλ²
/// (the participation ratio, computed in units of the largest eigenvalue so that kernels near
/// overflow still give a finite ratio) of ascending eigenvalues.
func spectralSummary(_ values: [Double]) -> (condition: Double, effectiveRank: Double) {
    guard let lo = values.first, let hi = values.last else { return (.nan, 0) }
    let condition = lo > 0 ? hi / lo : .infinity
    let largest = values.map(abs).max() ?? 0
    guard largest > 0, largest.isFinite else { return (condition, largest > 0 ? .nan : 0) }
    let s = values.reduce(0) { $0 + $1 / largest }, s2 = values.reduce(0) { $0 + ($1 / largest) * ($1 / largest) }
    return (condition, s2 > 0 ? s * s / s2 : 0)
}
