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
/// the eigenvectors). Returns false when an eigenvalue needs more than `maximumIterations` sweeps
/// (or the input holds a non-finite number).
///
/// Deflation (docs/kernels.md, "The built-in eigensolver"): an off-diagonal element e_m is set to
/// zero when it is negligible either next to its neighbours, |e_m| ≤ ε (|d_m| + |d_{m+1}|), or next
/// to the matrix, |e_m| ≤ ε ‖T‖ with ‖T‖ = maxᵢ (|e_{i−1}| + |d_i| + |e_i|). The second test is what
/// makes every matrix converge: in a block of eigenvalues that are zero or tiny against ‖T‖ (a
/// constant or rank-one matrix after the Householder reduction), the neighbours are as small as e_m
/// and the first test alone never passes. Since the reduction is only backward stable in norm, its
/// eigenvalues carry errors of order ε ‖A‖ anyway, so the second test loses no accuracy that was there.
/// A matrix whose norm lies outside [2⁻⁴⁰⁰, 2⁴⁰⁰] is scaled by a power of two (exactly) first, so
/// that neither the shifts nor the rotations overflow or run into denormal numbers.
///
/// - Complexity: O(n² · rowCount).
public func symmetricTridiagonalEigen(_ diagonal: inout [Double], _ offDiagonal: inout [Double], rows: inout [Double],
                                      rowCount: Int, maximumIterations: Int) -> Bool {
    let n = diagonal.count
    guard n > 1 else { return diagonal.allSatisfy(\.isFinite) }
    offDiagonal[n - 1] = 0
    var norm = 0.0
    for i in 0..<n {
        norm = max(norm, (i > 0 ? abs(offDiagonal[i - 1]) : 0) + abs(diagonal[i]) + abs(offDiagonal[i]))
    }
    guard norm.isFinite, diagonal.allSatisfy(\.isFinite), offDiagonal.allSatisfy(\.isFinite) else { return false }
    if norm == 0 { return true }
    // Scale into a safe range by an exact power of two; undone on the eigenvalues at the end.
    let shift = safeScalingExponent(norm)
    if shift != 0 {
        for i in 0..<n { diagonal[i] = scalbn(diagonal[i], shift); offDiagonal[i] = scalbn(offDiagonal[i], shift) }
        norm = scalbn(norm, shift)
    }
    let negligible = Double.ulpOfOne * norm
    for l in 0..<n {
        var iterations = 0
        while true {
            var m = l
            while m < n - 1 {
                let e = abs(offDiagonal[m])
                if e <= negligible || e <= Double.ulpOfOne * (abs(diagonal[m]) + abs(diagonal[m + 1])) { break }
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
                rows.withUnsafeMutableBufferPointer { z in
                    var base = 0
                    for _ in 0..<rowCount {
                        let a = z[base + i], y = z[base + i + 1]
                        z[base + i + 1] = s * a + c * y
                        z[base + i] = c * a - s * y
                        base += n
                    }
                }
                i -= 1
            }
            if deflated { continue }
            diagonal[l] -= p
            offDiagonal[l] = g
            offDiagonal[m] = 0
        }
    }
    if shift != 0 { for i in 0..<n { diagonal[i] = scalbn(diagonal[i], -shift) } }
    return true
}

/// The power of two k for which scalbn(x, k) brings a magnitude outside [2⁻⁴⁰⁰, 2⁴⁰⁰] to about 1
/// (0 inside that range, or for 0): the exact rescaling the eigensolvers apply before working on a
/// matrix whose entries would overflow or run into denormal numbers.
public func safeScalingExponent(_ magnitude: Double) -> Int {
    magnitude > 0 && (magnitude < 0x1p-400 || magnitude > 0x1p400) ? -Int(magnitude.exponent) : 0
}
