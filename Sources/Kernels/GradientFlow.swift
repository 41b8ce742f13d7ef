import Foundation

/// The infinite-width network trained by gradient flow on the mean squared error, from the
/// ensemble-mean output 0 (docs/kernels.md, "Predictors"):
///
///     f_t(X) = V diag(1 − e^{−λ t/N}) Vᵀ Y                       on the N training points
///     f_t(X*) = Θ(X*, X) V diag((1 − e^{−λ t/N})/λ) Vᵀ Y        on test points
///
/// with Θ(X, X) = V diag(λ) Vᵀ (``SymmetricEigen``) and t = η × steps. At t = ∞ the test output is
/// kernel regression, Θ(X*, X) Θ(X, X)⁻¹ Y; with the NNGP in place of Θ it is the posterior mean.
/// `ridge` adds r·I to the training kernel.
public struct GradientFlow: Sendable {
    public let count: Int
    public let classes: Int
    public let eigen: SymmetricEigen
    /// VᵀY, N × classes.
    let projected: [Double]

    /// - Parameters:
    ///   - kernel: the training kernel, row-major N × N.
    ///   - targets: N × classes (one-hot rows for classification).
    public init(kernel: [Double], count n: Int, targets: [Double], classes: Int, ridge: Double = 0,
                backend: SymmetricEigen.Backend = .preferred) throws {
        precondition(kernel.count == n * n && targets.count == n * classes)
        var k = kernel
        if ridge != 0 { for i in 0..<n { k[i * n + i] += ridge } }
        eigen = try SymmetricEigen(k, count: n, backend: backend)
        count = n
        self.classes = classes
        // VᵀY: row i of V times row i of Y, accumulated.
        var p = [Double](repeating: 0, count: n * classes)
        eigen.vectors.withUnsafeBufferPointer { v in
            targets.withUnsafeBufferPointer { y in
                p.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        for c in 0..<classes {
                            let yi = y[i * classes + c]
                            if yi == 0 { continue }
                            for a in 0..<n { out[a * classes + c] += v[i * n + a] * yi }
                        }
                    }
                }
            }
        }
        projected = p
    }

    /// λ_max / λ_min of the training kernel (infinite when λ_min ≤ 0).
    public var conditionNumber: Double { spectralSummary(eigen.values).condition }

    /// The participation ratio (Σλ)²/Σλ²: how many eigenvalues carry the kernel's weight.
    public var effectiveRank: Double { spectralSummary(eigen.values).effectiveRank }

    /// The factor of mode a at time t for test outputs: (1 − e^{−λt/N})/λ (t/N as λ → 0; 1/λ at t = ∞).
    func testFactor(_ lambda: Double, _ t: Double) throws -> Double {
        let n = Double(count)
        if t.isInfinite {
            let largest = eigen.values.last ?? 1
            guard lambda > 1e-14 * abs(largest) else { throw KernelError.singular }
            return 1 / lambda
        }
        let x = lambda * t / n
        return abs(x) < 1e-300 ? t / n : -expm1(-x) / lambda
    }

    /// f_t on the training points, N × classes.
    public func trainOutputs(time t: Double) throws -> [Double] {
        let weights = eigen.values.map { lambda in
            t.isInfinite ? (lambda > 0 ? 1 : 0) : -expm1(-lambda * t / Double(count))
        }
        return multiply(eigen.vectors, rows: count, inner: count, weighted(weights), columns: classes)
    }

    /// f_t at M test points from the cross kernel Θ(X*, X), row-major M × N.
    public func testOutputs(cross: [Double], count m: Int, time t: Double) throws -> [Double] {
        precondition(cross.count == m * count)
        // Coefficients α = V diag(factor) Vᵀ Y (N × classes); then f = Θ* α.
        let weights = try eigen.values.map { try testFactor($0, t) }
        let alpha = multiply(eigen.vectors, rows: count, inner: count, weighted(weights), columns: classes)
        return multiply(cross, rows: m, inner: count, alpha, columns: classes)
    }

    /// diag(w) VᵀY.
    func weighted(_ w: [Double]) -> [Double] {
        var out = projected
        for a in 0..<count { for c in 0..<classes { out[a * classes + c] *= w[a] } }
        return out
    }
}

/// The row-major product of a (rows × inner) and b (inner × columns), b's rows accumulated in order.
///
/// - Complexity: O(rows × inner × columns).
func multiply(_ a: [Double], rows: Int, inner: Int, _ b: [Double], columns: Int) -> [Double] {
    precondition(a.count == rows * inner && b.count == inner * columns)
    var out = [Double](repeating: 0, count: rows * columns)
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    let row = o.baseAddress! + r * columns
                    for k in 0..<inner {
                        let x = a[r * inner + k]
                        if x == 0 { continue }
                        let brow = b.baseAddress! + k * columns
                        for c in 0..<columns { row[c] += x * brow[c] }
                    }
                }
            }
        }
    }
    return out
}
