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
    public init(kernel: [Double], count n: Int, targets: [Double], classes: Int, ridge: Double = 0) throws {
        precondition(kernel.count == n * n && targets.count == n * classes)
        var k = kernel
        if ridge != 0 { for i in 0..<n { k[i * n + i] += ridge } }
        eigen = try SymmetricEigen(k, count: n)
        count = n
        self.classes = classes
        var p = [Double](repeating: 0, count: n * classes)
        for a in 0..<n {
            for c in 0..<classes {
                var s = 0.0
                for i in 0..<n { s += eigen.vectors[i * n + a] * targets[i * classes + c] }
                p[a * classes + c] = s
            }
        }
        projected = p
    }

    /// λ_max / λ_min of the training kernel (infinite when λ_min ≤ 0).
    public var conditionNumber: Double {
        guard let lo = eigen.values.first, let hi = eigen.values.last else { return .nan }
        return lo > 0 ? hi / lo : .infinity
    }

    /// The participation ratio (Σλ)²/Σλ²: how many eigenvalues carry the kernel's weight.
    public var effectiveRank: Double {
        let s = eigen.values.reduce(0, +), s2 = eigen.values.reduce(0) { $0 + $1 * $1 }
        return s2 > 0 ? s * s / s2 : 0
    }

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
        let n = count
        var out = [Double](repeating: 0, count: n * classes)
        for a in 0..<n {
            let lambda = eigen.values[a]
            let w = t.isInfinite ? (lambda > 0 ? 1 : 0) : -expm1(-lambda * t / Double(n))
            guard w != 0 else { continue }
            for i in 0..<n {
                let v = eigen.vectors[i * n + a] * w
                for c in 0..<classes { out[i * classes + c] += v * projected[a * classes + c] }
            }
        }
        return out
    }

    /// f_t at M test points from the cross kernel Θ(X*, X), row-major M × N.
    public func testOutputs(cross: [Double], count m: Int, time t: Double) throws -> [Double] {
        let n = count
        precondition(cross.count == m * n)
        // coefficients α = V diag(factor) Vᵀ Y, N × classes; then f = Θ* α.
        var alpha = [Double](repeating: 0, count: n * classes)
        for a in 0..<n {
            let w = try testFactor(eigen.values[a], t)
            for i in 0..<n {
                let v = eigen.vectors[i * n + a] * w
                for c in 0..<classes { alpha[i * classes + c] += v * projected[a * classes + c] }
            }
        }
        var out = [Double](repeating: 0, count: m * classes)
        for r in 0..<m {
            for i in 0..<n {
                let k = cross[r * n + i]
                for c in 0..<classes { out[r * classes + c] += k * alpha[i * classes + c] }
            }
        }
        return out
    }
}
