import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LAPACK, loaded at run time when the machine has it as a shared library (docs/kernels.md,
/// "Linear algebra"). The tool builds and runs without it: ``SymmetricEigen`` falls back to its
/// own Householder–QL solver. With it (Debian: `libopenblas0-pthread` or `liblapack3`), the
/// eigendecomposition is LAPACK's divide and conquer `dsyevd`, the routine NumPy's `eigh` calls.
///
/// The library is looked up once, in this order: the path in the environment variable
/// `CRITICALITY_LAPACK` (`none` turns LAPACK off), then `liblapack.so.3`, `libopenblas.so.0`,
/// `liblapack.so`, and macOS's Accelerate. Only the 32-bit-integer (LP64) Fortran interface is used.
public struct LAPACKLibrary: @unchecked Sendable {
    /// `dsyevd_(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, len(jobz), len(uplo))`.
    typealias Dsyevd = @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafePointer<Int32>, UnsafeMutablePointer<Double>,
        UnsafePointer<Int32>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafePointer<Int32>,
        UnsafeMutablePointer<Int32>, UnsafePointer<Int32>, UnsafeMutablePointer<Int32>, Int, Int
    ) -> Void

    /// `dpotrf_(uplo, n, a, lda, info, len(uplo))`.
    typealias Dpotrf = @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<Int32>, UnsafeMutablePointer<Double>, UnsafePointer<Int32>,
        UnsafeMutablePointer<Int32>, Int
    ) -> Void
    /// `dpotrs_(uplo, n, nrhs, a, lda, b, ldb, info, len(uplo))`.
    typealias Dpotrs = @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<Int32>, UnsafePointer<Int32>, UnsafePointer<Double>, UnsafePointer<Int32>,
        UnsafeMutablePointer<Double>, UnsafePointer<Int32>, UnsafeMutablePointer<Int32>, Int
    ) -> Void

    /// The library file that was loaded.
    public let path: String
    let dsyevdFunction: Dsyevd
    let dpotrfFunction: Dpotrf?
    let dpotrsFunction: Dpotrs?

    /// The machine's LAPACK, or nil when none is found (or `CRITICALITY_LAPACK=none`).
    public static let shared: LAPACKLibrary? = load()

    static func load() -> LAPACKLibrary? {
        let setting = ProcessInfo.processInfo.environment["CRITICALITY_LAPACK"]
        if setting == "none" { return nil }
        let candidates = setting.map { [$0] } ?? [
            "liblapack.so.3", "libopenblas.so.0", "liblapack.so",
            "/System/Library/Frameworks/Accelerate.framework/Accelerate",
        ]
        for name in candidates {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let symbol = dlsym(handle, "dsyevd_") else { dlclose(handle); continue }
            let potrf = dlsym(handle, "dpotrf_").map { unsafeBitCast($0, to: Dpotrf.self) }
            let potrs = dlsym(handle, "dpotrs_").map { unsafeBitCast($0, to: Dpotrs.self) }
            return LAPACKLibrary(path: name, dsyevdFunction: unsafeBitCast(symbol, to: Dsyevd.self),
                                 dpotrfFunction: potrf, dpotrsFunction: potrs)
        }
        return nil
    }

    /// The eigenvalues (ascending) and, when `vectors`, the eigenvectors of the symmetric n × n
    /// matrix `a` (either triangle; it is overwritten by the eigenvectors as columns of a
    /// column-major array, i.e. `a[i + k n]` is component i of eigenvector k).
    ///
    /// - Returns: nil when n is too large for 32-bit LAPACK or LAPACK reports a failure.
    func dsyevd(_ a: inout [Double], _ n: Int, vectors: Bool) -> [Double]? {
        guard n >= 1, a.count == n * n else { return nil }
        let lwork = vectors ? 1 + 6 * n + 2 * n * n : 2 * n + 1
        let liwork = vectors ? 3 + 5 * n : 1
        guard lwork <= Int(Int32.max), let n32 = Int32(exactly: n) else { return nil }
        var w = [Double](repeating: 0, count: n)
        var work = [Double](repeating: 0, count: lwork)
        var iwork = [Int32](repeating: 0, count: liwork)
        var nn = n32, lda = n32, lw = Int32(lwork), liw = Int32(liwork), info: Int32 = 0
        let jobz: CChar = vectors ? 86 : 78  // "V" or "N"
        var job = jobz, uplo: CChar = 76     // "L"
        a.withUnsafeMutableBufferPointer { ap in
            dsyevdFunction(&job, &uplo, &nn, ap.baseAddress!, &lda, &w, &work, &lw, &iwork, &liw, &info, 1, 1)
        }
        return info == 0 ? w : nil
    }

    /// Solves A X = B for the symmetric positive-definite n × n matrix `a` (either triangle) and the
    /// n × m right-hand sides `b` (row-major, overwritten by X) by Cholesky factorisation.
    ///
    /// - Returns: false when A is not numerically positive definite or the routines are missing.
    func choleskySolve(_ a: inout [Double], _ n: Int, _ b: inout [Double], columns m: Int) -> Bool {
        guard let potrf = dpotrfFunction, let potrs = dpotrsFunction, n >= 1, m >= 1, a.count == n * n, b.count == n * m,
              let n32 = Int32(exactly: n), let m32 = Int32(exactly: m) else { return false }
        var uplo: CChar = 76, nn = n32, lda = n32, info: Int32 = 0
        a.withUnsafeMutableBufferPointer { potrf(&uplo, &nn, $0.baseAddress!, &lda, &info, 1) }
        guard info == 0 else { return false }
        // LAPACK's right-hand sides are columns: B (n × m, row-major) is Bᵀ column-major; transpose in and out.
        var columns = [Double](repeating: 0, count: n * m)
        for i in 0..<n { for c in 0..<m { columns[c * n + i] = b[i * m + c] } }
        var nrhs = m32, ldb = n32
        a.withUnsafeBufferPointer { ap in
            columns.withUnsafeMutableBufferPointer { potrs(&uplo, &nn, &nrhs, ap.baseAddress!, &lda, $0.baseAddress!, &ldb, &info, 1) }
        }
        guard info == 0 else { return false }
        for i in 0..<n { for c in 0..<m { b[i * m + c] = columns[c * n + i] } }
        return true
    }
}
