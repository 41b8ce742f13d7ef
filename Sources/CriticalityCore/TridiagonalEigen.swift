import Foundation

/// Eigenvalues of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts,
/// updating one row of the eigenvector matrix alongside (enough for Golub–Welsch quadrature).
///
/// On entry `diagonal` holds the diagonal, `offDiagonal[i]` the element (i, i+1) (last entry
/// ignored) and `row` a row of the matrix the rotations act on (e.g. e₁ for the first components of
/// the eigenvectors). On exit `diagonal` holds the eigenvalues (unordered) and `row[k]` the
/// component belonging to eigenvalue k.
///
/// - Complexity: O(n²).
public func symmetricTridiagonalEigen(_ diagonal: inout [Double], _ offDiagonal: inout [Double], _ row: inout [Double]) {
    let converged = symmetricTridiagonalEigen(&diagonal, &offDiagonal, rows: &row, rowCount: 1, maximumIterations: 200)
    precondition(converged, "tridiagonal QL did not converge")
}

/// The implicit QL method of ``symmetricTridiagonalEigen(_:_:_:)`` rotating `rowCount` rows at
/// once: `rows` holds them row-major, each of length n, and every rotation acts on components i and
/// i + 1 of each row (with the n × n matrix of a Householder reduction as `rows`, its columns become
/// the eigenvectors). Returns false when an eigenvalue needs more than `maximumIterations` sweeps.
///
/// - Complexity: O(n² · rowCount).
public func symmetricTridiagonalEigen(_ diagonal: inout [Double], _ offDiagonal: inout [Double], rows: inout [Double],
                                      rowCount: Int, maximumIterations: Int) -> Bool {
    let n = diagonal.count
    guard n > 1 else { return true }
    offDiagonal[n - 1] = 0
    for l in 0..<n {
        var iterations = 0
        while true {
            var m = l
            while m < n - 1 {
                let scale = abs(diagonal[m]) + abs(diagonal[m + 1])
                if abs(offDiagonal[m]) <= Double.ulpOfOne * scale { break }
                m += 1
            }
            if m == l { break }
            iterations += 1
            if iterations > maximumIterations { return false }
            var g = (diagonal[l + 1] - diagonal[l]) / (2 * offDiagonal[l])
            var r = hypot(g, 1)
            g = diagonal[m] - diagonal[l] + offDiagonal[l] / (g + (g >= 0 ? r : -r))
            var s = 1.0, c = 1.0, p = 0.0
            var i = m - 1
            var deflated = false
            while i >= l {
                let f = s * offDiagonal[i]
                let b = c * offDiagonal[i]
                r = hypot(f, g)
                offDiagonal[i + 1] = r
                if r == 0 {
                    diagonal[i + 1] -= p
                    offDiagonal[m] = 0
                    deflated = true
                    break
                }
                s = f / r
                c = g / r
                g = diagonal[i + 1] - p
                r = (diagonal[i] - g) * s + 2 * c * b
                p = s * r
                diagonal[i + 1] = g + p
                g = c * r - b
                for k in 0..<rowCount {
                    let a = rows[k * n + i], z = rows[k * n + i + 1]
                    rows[k * n + i + 1] = s * a + c * z
                    rows[k * n + i] = c * a - s * z
                }
                i -= 1
            }
            if deflated { continue }
            diagonal[l] -= p
            offDiagonal[l] = g
            offDiagonal[m] = 0
        }
    }
    return true
}
