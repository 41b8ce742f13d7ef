import Foundation

/// The 1024-strip ziggurat of the standard normal density f(x) = e^{−x²/2} (Marsaglia & Tsang 2000,
/// in Doornik's 2005 form): strips of equal area V, the base strip standing for the tail beyond R.
///
/// Strip i spans |x| < xᵢ; x₀ = V / f(R) (the base strip's pseudo-width), x₁ = R, xᵢ₊₁ from
/// V = xᵢ (f(xᵢ₊₁) − f(xᵢ)), x₁₀₂₄ = 0. A point u xᵢ with u uniform in [−1, 1) lies under the density
/// for sure when |u| < xᵢ₊₁ / xᵢ (99.57 % of draws; 98.5 % with the common 256 strips); the rest go
/// through ``sampleRejected(u:strip:widths:ratios:density:random:)``.
public final class ZigguratTable: @unchecked Sendable {
    /// The number of strips.
    public static let strips = 1024
    /// The start of the tail, R, for 1024 strips: the root of the strip recurrence closing at
    /// x₁₀₂₄ = 0 (`tools/ziggurat_tail.py` finds it in 60-digit arithmetic).
    public static let tailStart = 4.038849846109504
    /// The table every ``GaussianStream`` shares (immutable once built).
    public static let normal = ZigguratTable()

    /// xᵢ for i = 0 … 1023. Widths and ratios are two arrays rather than 16-byte (xᵢ, xᵢ₊₁/xᵢ)
    /// pairs: for the vectorised quick test, four scalar loads per array build a vector with six
    /// shuffles, four 16-byte pairs with nine.
    public let widths: UnsafeMutablePointer<Double>
    /// xᵢ₊₁ / xᵢ for i = 0 … 1023 (0 for the top strip).
    public let ratios: UnsafeMutablePointer<Double>
    /// f(xᵢ) for i = 0 … 1024 (f(x₀) is the base strip's height f(R)).
    public let density: UnsafeMutablePointer<Double>

    private init() {
        let n = Self.strips, r = Self.tailStart
        func f(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) }
        let area = r * f(r) + (Double.pi / 2).squareRoot() * Foundation.erfc(r / 2.squareRoot())
        var x = [Double](repeating: 0, count: n + 1)
        x[0] = area / f(r)
        x[1] = r
        for i in 2..<n { x[i] = (-2 * Foundation.log(area / x[i - 1] + f(x[i - 1]))).squareRoot() }
        x[n] = 0
        widths = .allocate(capacity: n)
        ratios = .allocate(capacity: n)
        density = .allocate(capacity: n + 1)
        for i in 0..<n { widths[i] = x[i]; ratios[i] = x[i + 1] / x[i] }
        for i in 0...n { density[i] = i == 0 ? f(r) : f(x[i]) }
    }

    /// A standard normal for a draw (u, strip i) that failed the quick test |u| < xᵢ₊₁/xᵢ: the wedge
    /// test (or, for the base strip, a draw from the tail by Marsaglia's method), and fresh draws
    /// from `random` until one is accepted.
    ///
    /// - Complexity: O(1) expected (a draw is accepted with probability above 0.99).
    /// `widths`, `ratios` and `density` are those of ``normal``, passed in so that the caller touches
    /// no reference count.
    @usableFromInline @inline(never)
    static func sampleRejected(
        u: Double, strip: Int, widths: UnsafePointer<Double>, ratios: UnsafePointer<Double>, density: UnsafePointer<Double>,
        random: inout Xoshiro256
    ) -> Double {
        let r = tailStart
        var u = u, i = strip
        while true {
            if i == 0 {
                var a = 0.0, b = 0.0
                repeat {
                    a = -Foundation.log(1 - random.nextUniform()) / r
                    b = -Foundation.log(1 - random.nextUniform())
                } while b + b < a * a
                return u < 0 ? -(r + a) : r + a
            }
            let z = u * widths[i]
            let lower = density[i + 1]
            if lower + random.nextUniform() * (density[i] - lower) < Foundation.exp(-0.5 * z * z) { return z }
            let bits = random.next()
            i = Int(bits & UInt64(strips - 1))
            u = Double(bitPattern: (bits >> 12) | 0x4000_0000_0000_0000) - 3
            if abs(u) < ratios[i] { return u * widths[i] }
        }
    }
}
