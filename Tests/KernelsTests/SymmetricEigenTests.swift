import Foundation
import Testing
@testable import Kernels

@Suite struct SymmetricEigenTests {
    /// A random symmetric matrix with a known spread of eigenvalues.
    static func matrix(_ n: Int, seed: UInt64) -> [Double] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { let x = next(); a[i * n + j] = x; a[j * n + i] = x } }
        return a
    }

    @Test("A V = V diag(λ), VᵀV = I, eigenvalues ascending, for sizes 1 to 60")
    func reconstruction() throws {
        for backend in SymmetricEigen.Backend.allCases
        where backend == .swift || LAPACKLibrary.shared != nil {
        for n in [1, 2, 3, 7, 20, 60] {
            let a = Self.matrix(n, seed: UInt64(n))
            let e = try SymmetricEigen(a, count: n, backend: backend)
            #expect(e.backend == backend)
            #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
            var worst = 0.0, orth = 0.0
            for k in 0..<n {
                for i in 0..<n {
                    var av = 0.0
                    for j in 0..<n { av += a[i * n + j] * e.vectors[j * n + k] }
                    worst = max(worst, abs(av - e.values[k] * e.vectors[i * n + k]))
                }
                for k2 in 0..<n {
                    var dot = 0.0
                    for i in 0..<n { dot += e.vectors[i * n + k] * e.vectors[i * n + k2] }
                    orth = max(orth, abs(dot - (k == k2 ? 1 : 0)))
                }
            }
            #expect(worst < 1e-12 * Double(n), "n = \(n): residual \(worst)")
            #expect(orth < 1e-12 * Double(n), "n = \(n): orthogonality \(orth)")
            // The trace is the sum of the eigenvalues.
            let trace = (0..<n).reduce(0.0) { $0 + a[$1 * n + $1] }
            #expect(abs(trace - e.values.reduce(0, +)) < 1e-12 * Double(n))
        }
        }
    }

    @Test("a known spectrum: the second-difference matrix")
    func knownSpectrum() throws {
        let n = 30
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { a[i * n + i] = 2; if i > 0 { a[i * n + i - 1] = -1; a[(i - 1) * n + i] = -1 } }
        let e = try SymmetricEigen(a, count: n)
        let exact = (1...n).map { k in 2 - 2 * cos(Double(k) * Double.pi / Double(n + 1)) }.sorted()
        for (x, y) in zip(e.values, exact) { #expect(abs(x - y) < 1e-13, "\(x) vs \(y)") }
    }

    @Test("LAPACK (when the machine has it) and the tool's own solver give the same spectrum and projector",
          .enabled(if: LAPACKLibrary.shared != nil, "no LAPACK on this machine"))
    func backendsAgree() throws {
        let n = 150
        let a = Self.matrix(n, seed: 99)
        let l = try SymmetricEigen(a, count: n, backend: .lapack), s = try SymmetricEigen(a, count: n, backend: .swift)
        #expect(l.backend == .lapack && s.backend == .swift)
        for (x, y) in zip(l.values, s.values) { #expect(abs(x - y) < 1e-11, "\(x) vs \(y)") }
        // Eigenvectors agree up to sign: compare |v_l · v_s| = 1 for the well separated ones.
        for k in stride(from: 0, to: n, by: 10) {
            var dot = 0.0
            for i in 0..<n { dot += l.vectors[i * n + k] * s.vectors[i * n + k] }
            #expect(abs(abs(dot) - 1) < 1e-8, "vector \(k): |dot| = \(abs(dot))")
        }
    }
}

/// Matrices on which an eigensolver's deflation test is known to fail (docs/kernels.md, "The
/// built-in eigensolver"): each has an exact spectrum, and both solvers must reproduce it.
@Suite struct HardSpectrumTests {
    /// The largest |A V − V diag(λ)| and |VᵀV − I| entries, relative to the matrix's largest entry.
    static func residuals(_ a: [Double], _ e: SymmetricEigen) -> (residual: Double, orthogonality: Double) {
        let n = e.count
        // In units of the largest entry, scaled by an exact power of two: products of denormal
        // numbers would otherwise lose the digits the check needs.
        let largest = a.map(abs).max() ?? 0
        let shift = largest > 0 ? -Int(largest.exponent) : 0
        let b = a.map { scalbn($0, shift) }, values = e.values.map { scalbn($0, shift) }
        var worst = 0.0, orth = 0.0
        for k in 0..<n {
            for i in 0..<n {
                var av = 0.0
                for j in 0..<n { av += b[i * n + j] * e.vectors[j * n + k] }
                worst = max(worst, abs(av - values[k] * e.vectors[i * n + k]))
            }
            for k2 in 0..<n {
                var dot = 0.0
                for i in 0..<n { dot += e.vectors[i * n + k] * e.vectors[i * n + k2] }
                orth = max(orth, abs(dot - (k == k2 ? 1 : 0)))
            }
        }
        return (worst, orth)
    }

    /// Checks the decomposition of `a` with every solver the machine has against `exact` (ascending):
    /// eigenvalues to `tolerance` × the largest |eigenvalue| (or absolutely when all are zero).
    static func check(_ name: String, _ a: [Double], _ n: Int, exact: [Double]) throws {
        let size = max(exact.map(abs).max() ?? 0, .leastNormalMagnitude)
        for backend in SymmetricEigen.Backend.allCases where backend == .swift || LAPACKLibrary.shared != nil {
            let e = try SymmetricEigen(a, count: n, backend: backend)
            for (x, y) in zip(e.values, exact) {
                #expect(abs(x - y) <= 1e-13 * Double(n) * size, "\(name), \(backend): \(x) vs \(y)")
            }
            let r = residuals(a, e)
            #expect(r.residual < 1e-13 * Double(n), "\(name), \(backend): residual \(r.residual)")
            #expect(r.orthogonality < 1e-13 * Double(n), "\(name), \(backend): orthogonality \(r.orthogonality)")
            let values = try SymmetricEigen.eigenvalues(a, count: n, backend: backend)
            for (x, y) in zip(values, exact) {
                #expect(abs(x - y) <= 1e-13 * Double(n) * size, "\(name), \(backend), values only: \(x) vs \(y)")
            }
        }
    }

    @Test("constant matrices (the deep kernel off the critical line): spectrum {n c, 0, …, 0}",
          arguments: [2, 3, 50, 200])
    func constant(n: Int) throws {
        // The entry of the ordered-phase NTK that stalled the QL iteration at n = 200.
        try Self.checkConstant(7.039233169455405, n)
    }

    /// The n × n matrix of entries c: spectrum {n c, 0, …, 0}.
    static func checkConstant(_ c: Double, _ n: Int) throws {
        try check("constant \(c), n = \(n)", [Double](repeating: c, count: n * n), n,
                  exact: [Double](repeating: 0, count: n - 1) + [Double(n) * c])
    }

    @Test("rank one u uᵀ and rank one plus a multiple of the identity")
    func rankOne() throws {
        let n = 80
        let u = (0..<n).map { 1 + 0.5 * sin(Double($0)) }
        let norm2 = u.reduce(0) { $0 + $1 * $1 }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[i * n + j] = u[i] * u[j] } }
        try Self.check("u uᵀ", a, n, exact: [Double](repeating: 0, count: n - 1) + [norm2])
        for i in 0..<n { a[i * n + i] += 3 }
        try Self.check("u uᵀ + 3 I", a, n, exact: [Double](repeating: 3, count: n - 1) + [norm2 + 3])
    }

    @Test("zero, diagonal, block-diagonal and denormal matrices")
    func blocksAndTinyEntries() throws {
        let n = 40
        try Self.check("zero", [Double](repeating: 0, count: n * n), n, exact: [Double](repeating: 0, count: n))
        var diagonal = [Double](repeating: 0, count: n * n)
        for i in 0..<n { diagonal[i * n + i] = Double(i % 7) - 3 }
        try Self.check("diagonal", diagonal, n, exact: (0..<n).map { Double($0 % 7) - 3 }.sorted())
        // Two constant blocks of 20: spectra {20 a, 0…} and {20 b, 0…}.
        var blocks = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where (i < 20) == (j < 20) { blocks[i * n + j] = i < 20 ? 2 : -5 } }
        try Self.check("two constant blocks", blocks, n,
                       exact: ([-100.0, 40] + [Double](repeating: 0, count: n - 2)).sorted())
        // A constant matrix of denormal numbers, and of huge ones: the scaling must take them.
        for c in [6000 * Double.leastNonzeroMagnitude, 1e-300, 1e300] { try Self.checkConstant(c, 12) }
    }

    @Test("graded matrices: eigenvalues from 1 to 1e-12 in a random orthogonal basis")
    func graded() throws {
        let n = 30
        // Q from the eigenvectors of a random symmetric matrix; A = Q diag(λ) Qᵀ.
        let q = try SymmetricEigen(SymmetricEigenTests.matrix(n, seed: 7), count: n, backend: .swift).vectors
        let lambda = (0..<n).map { pow(10, -12 * Double($0) / Double(n - 1)) }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n {
            var s = 0.0
            for k in 0..<n { s += q[i * n + k] * lambda[k] * q[j * n + k] }
            a[i * n + j] = s
        } }
        for i in 0..<n { for j in 0..<i { let m = (a[i * n + j] + a[j * n + i]) / 2; a[i * n + j] = m; a[j * n + i] = m } }
        try Self.check("graded", a, n, exact: lambda.sorted())
    }

    @Test("a non-finite entry is an error that names the size and what to do, not a hang")
    func nonFinite() {
        var a = [Double](repeating: 1, count: 9)
        a[4] = .nan
        #expect {
            try SymmetricEigen(a, count: 3, backend: .swift)
        } throws: { error in
            "\(error)".contains("3 × 3") && "\(error)".contains("LAPACK")
        }
    }
}
