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
