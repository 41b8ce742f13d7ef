import CriticalityCore
import Foundation
import MeanField

/// One layer of the infinite-width kernel recursion as fast tables, for inputs that all have the
/// same variance q (docs/kernels.md, "Tables"):
///
///     g(u) = ρ′/ρ,      ρ′ = σ_w² E[(φ(u₂) − φ(u₁))²] / (2 q′)      (the correlation map)
///     h(u) = σ_w² E[φ′(u₁) φ′(u₂)]                                    (the NTK's derivative factor)
///
/// for u₁, u₂ of variance q and correlation 1 − ρ, as functions of u = √ρ ∈ [0, √2]. In u both are
/// smooth for smooth activations and for the kinked ones (whose leading terms go like √ρ), so a
/// piecewise polynomial of degree 7 on dyadically refined intervals reproduces the exact
/// quadrature of ``GaussianExpectations`` to about 1e-13 relative; each interval is checked at
/// points between its nodes and split until it is (down to 1/4096 of the range; the worst
/// residual is kept in ``maximumError``). ρ′ = ρ g(√ρ) then stays accurate for ρ far below 1e-16,
/// as the rest of the tool's difference formulation does.
///
/// - Complexity: building takes a few hundred exact 2D quadratures; evaluating takes a table
///   lookup and two degree-7 polynomials.
public struct LayerMapTable: Sendable {
    /// The variance q of both inputs at this layer, and q′ after it.
    public private(set) var q: Double
    public private(set) var qNext: Double
    /// χ₁ = σ_w² E[φ′(√q z)²] (the value of h at u = 0).
    public private(set) var chi1: Double
    /// The largest relative difference between the tables and the exact maps at the check points.
    public private(set) var maximumError = 0.0
    /// A factor on g: 1, except for tables rescaled from another variance (``rescaled(to:network:)``).
    var gScale = 1.0

    /// Intervals: `centre[k]`, `inverseHalfWidth[k]` and 8 monomial coefficients each for g and h,
    /// in t = (u − centre) · inverseHalfWidth.
    var centre: [Double] = [], inverseHalfWidth: [Double] = []
    var gCoefficients: [Double] = [], hCoefficients: [Double] = []
    /// The interval of each of ``cells`` uniform cells of [0, √2].
    var cellInterval: [Int32] = []

    @usableFromInline static let upper = 2.0.squareRoot()
    @usableFromInline static let baseIntervals = 32
    @usableFromInline static let maximumLevel = 7
    static var cells: Int { baseIntervals << maximumLevel }
    static let degree = 7
    static let tolerance = 2e-13

    /// Builds the tables of `network` at input variance `q`.
    ///
    /// Smooth activations: g and h are analytic in u on [0, √2], so one Chebyshev series of degree
    /// 63 in u (64 exact quadratures per function) converges to rounding; it is accepted when its
    /// last coefficients fall below 1e-14 of the largest, and the piecewise tables are then filled
    /// from the series. Otherwise (kinks, whose maps have a square-root end at c = −1) the
    /// intervals are refined adaptively against the exact quadrature.
    public init(network: MeanFieldNetwork, q: Double) {
        let next = network.lengthMap(q)
        let s2 = network.sigmaW * network.sigmaW
        let e = network.expectations
        let g: (Double) -> Double = { u in
            let rho = u * u
            return next > 0 ? s2 * e.meanSquareDifference(q: q, rho: rho) / (2 * next) / rho : 0
        }
        let h: (Double) -> Double = { u in s2 * e.derivativeCovariance(q: q, rho: u * u) }
        self.init(q: q, qNext: next, chi1: network.chi1(q: q), g: g, h: h, smooth: network.activation.isSmooth)
    }

    /// The tables of a positively homogeneous activation (ReLU, linear: φ(a x) = a φ(x) for a > 0)
    /// at another variance: E[(φ(u₂) − φ(u₁))²] scales with q and E[φ′φ′] does not, so g scales
    /// by (q/q′)/(q₀/q₀′) and h is the same; no quadrature is repeated.
    public func rescaled(to newQ: Double, network: MeanFieldNetwork) -> LayerMapTable {
        var copy = self
        let next = network.lengthMap(newQ)
        copy.gScale = gScale * (newQ / next) / (q / qNext)
        copy.q = newQ
        copy.qNext = next
        copy.chi1 = network.chi1(q: newQ)
        return copy
    }

    /// Tables of the given maps g(u) = ρ′/ρ and h(u).
    init(q: Double, qNext: Double, chi1: Double, g: (Double) -> Double, h: (Double) -> Double, smooth: Bool) {
        self.q = q
        self.qNext = qNext
        self.chi1 = chi1
        if smooth, let gs = Self.globalSeries(g), let hs = Self.globalSeries(h) {
            build(g: { Self.clenshaw(gs, $0) }, h: { Self.clenshaw(hs, $0) }, exact: false)
            // The series' own truncation: its tail (already checked small) bounds the error.
            maximumError = max(maximumError, Self.tail(gs), Self.tail(hs))
        } else {
            build(g: g, h: h, exact: true)
        }
    }

    /// Fills the piecewise tables from g and h (refining adaptively against them when `exact`;
    /// a series is reproduced by 64 uniform intervals of degree 7 to rounding).
    mutating func build(g: (Double) -> Double, h: (Double) -> Double, exact: Bool) {
        var cellsOf: [(level: Int, index: Int)] = []
        let base = Self.upper / Double(Self.baseIntervals)
        func add(_ a: Double, _ b: Double, level: Int, index: Int) {
            let (gc, ge) = Self.fit(g, a, b)
            let (hc, he) = Self.fit(h, a, b)
            if max(ge, he) > Self.tolerance && level < (exact ? Self.maximumLevel : 3) {
                let m = (a + b) / 2
                add(a, m, level: level + 1, index: 2 * index)
                add(m, b, level: level + 1, index: 2 * index + 1)
                return
            }
            maximumError = max(maximumError, ge, he)
            centre.append((a + b) / 2)
            inverseHalfWidth.append(2 / (b - a))
            gCoefficients += gc
            hCoefficients += hc
            cellsOf.append((level, index))
        }
        for k in 0..<Self.baseIntervals {
            add(Double(k) * base, Double(k + 1) * base, level: 0, index: k)
        }
        // Each interval at `level` covers 2^(maximumLevel − level) cells.
        cellInterval = Array(repeating: 0, count: Self.cells)
        for (n, c) in cellsOf.enumerated() {
            let span = 1 << (Self.maximumLevel - c.level)
            for j in 0..<span { cellInterval[c.index * span + j] = Int32(n) }
        }
    }

    /// The Chebyshev series of f on [0, √2] from 64 points, or `nil` when it has not converged
    /// (its last four coefficients above 1e-14 of the largest).
    /// 64 points, or 128 where the maps vary faster (larger variances).
    static func globalSeries(_ f: (Double) -> Double) -> [Double]? { globalSeries(f, points: 64) ?? globalSeries(f, points: 128) }

    static func globalSeries(_ f: (Double) -> Double, points n: Int) -> [Double]? {
        let values = (0..<n).map { k in
            f(upper / 2 * (1 + cos(Double.pi * (Double(k) + 0.5) / Double(n))))
        }
        guard values.allSatisfy(\.isFinite) else { return nil }
        var series = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var sum = 0.0
            for k in 0..<n { sum += values[k] * cos(Double(j) * Double.pi * (Double(k) + 0.5) / Double(n)) }
            series[j] = (j == 0 ? 1.0 : 2.0) * sum / Double(n)
        }
        return tail(series) <= 1e-14 ? series : nil
    }

    /// The size of a series' last four coefficients relative to its largest.
    static func tail(_ series: [Double]) -> Double {
        let largest = series.map(abs).max() ?? 0
        guard largest > 0 else { return 0 }
        return series.suffix(4).map(abs).max()! / largest
    }

    /// The series at u ∈ [0, √2] (Clenshaw's recurrence).
    static func clenshaw(_ series: [Double], _ u: Double) -> Double {
        let x = 2 * u / upper - 1
        var b1 = 0.0, b2 = 0.0
        for j in stride(from: series.count - 1, through: 1, by: -1) {
            let b0 = 2 * x * b1 - b2 + series[j]
            b2 = b1
            b1 = b0
        }
        return x * b1 - b2 + series[0]
    }

    /// The degree-7 interpolant of f on [a, b] at the Chebyshev points, as monomial coefficients
    /// in t = (u − centre)/halfWidth, and its largest relative error at four points between nodes.
    static func fit(_ f: (Double) -> Double, _ a: Double, _ b: Double) -> ([Double], Double) {
        let n = degree + 1
        let c = (a + b) / 2, r = (b - a) / 2
        let nodes = (0..<n).map { k in cos(Double.pi * (Double(k) + 0.5) / Double(n)) }
        let values = nodes.map { f(c + r * $0) }
        // Chebyshev coefficients, then monomial coefficients (degree 7 on |t| ≤ 1 is well conditioned).
        var cheb = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var sum = 0.0
            for k in 0..<n { sum += values[k] * cos(Double(j) * Double.pi * (Double(k) + 0.5) / Double(n)) }
            cheb[j] = (j == 0 ? 1.0 : 2.0) * sum / Double(n)
        }
        var monomial = [Double](repeating: 0, count: n)
        var tPrev = [Double](repeating: 0, count: n), tCur = [Double](repeating: 0, count: n)
        tPrev[0] = 1
        tCur[1] = 1
        for k in 0..<n { monomial[k] += cheb[0] * tPrev[k] + cheb[1] * tCur[k] }
        for j in 2..<n {
            var tNext = [Double](repeating: 0, count: n)
            for k in 0..<n {
                if k > 0 { tNext[k] += 2 * tCur[k - 1] }
                tNext[k] -= tPrev[k]
            }
            for k in 0..<n { monomial[k] += cheb[j] * tNext[k] }
            tPrev = tCur
            tCur = tNext
        }
        var error = 0.0
        for t in [-0.93, -0.41, 0.27, 0.81] {
            let exact = f(c + r * t)
            let approx = horner(monomial, t)
            let scale = max(abs(exact), 1e-300)
            error = max(error, abs(approx - exact) / scale)
        }
        return (monomial, error)
    }

    @inline(__always) static func horner(_ p: [Double], _ t: Double) -> Double {
        var y = p[degree]
        for k in stride(from: degree - 1, through: 0, by: -1) { y = y * t + p[k] }
        return y
    }

    /// ρ′ and h at ρ (0 ≤ ρ ≤ 2): one lookup, two polynomials.
    @inlinable
    public func apply(rho: Double) -> (rho: Double, h: Double) {
        withUnsafeTables { t in t.apply(rho: rho) }
    }

    /// The tables as raw pointers for the hot loop.
    @usableFromInline
    func withUnsafeTables<R>(_ body: (Tables) -> R) -> R {
        centre.withUnsafeBufferPointer { cp in
            inverseHalfWidth.withUnsafeBufferPointer { wp in
                gCoefficients.withUnsafeBufferPointer { gp in
                    hCoefficients.withUnsafeBufferPointer { hp in
                        cellInterval.withUnsafeBufferPointer { ip in
                            body(Tables(centre: cp.baseAddress!, inverseHalfWidth: wp.baseAddress!, g: gp.baseAddress!,
                                        h: hp.baseAddress!, cell: ip.baseAddress!, gScale: gScale))
                        }
                    }
                }
            }
        }
    }

    /// Unsafe views of one table set (valid inside ``withUnsafeTables(_:)``).
    @usableFromInline
    struct Tables {
        @usableFromInline let centre: UnsafePointer<Double>, inverseHalfWidth: UnsafePointer<Double>
        @usableFromInline let g: UnsafePointer<Double>, h: UnsafePointer<Double>
        @usableFromInline let cell: UnsafePointer<Int32>
        @usableFromInline let gScale: Double
        /// Cells per unit of u, and the last cell (plain stored values: a static in the hot loop
        /// would cost a lazy-initialisation check per pair).
        @usableFromInline let cellScale: Double
        @usableFromInline let lastCell: Int

        @usableFromInline
        init(centre: UnsafePointer<Double>, inverseHalfWidth: UnsafePointer<Double>, g: UnsafePointer<Double>,
             h: UnsafePointer<Double>, cell: UnsafePointer<Int32>, gScale: Double) {
            self.gScale = gScale
            let cells = LayerMapTable.baseIntervals << LayerMapTable.maximumLevel
            cellScale = Double(cells) / LayerMapTable.upper
            lastCell = cells - 1
            self.centre = centre
            self.inverseHalfWidth = inverseHalfWidth
            self.g = g
            self.h = h
            self.cell = cell
        }

        @inlinable @inline(__always)
        func apply(rho: Double) -> (rho: Double, h: Double) {
            let r = min(max(rho, 0), 2)
            let u = r.squareRoot()
            let c = min(Int(u * cellScale), lastCell)
            let k = Int(cell[c])
            let t = (u - centre[k]) * inverseHalfWidth[k]
            let gp = g + 8 * k, hp = h + 8 * k
            var gv = gp[7], hv = hp[7]
            for j in stride(from: 6, through: 0, by: -1) {
                gv = gv * t + gp[j]
                hv = hv * t + hp[j]
            }
            return (min(r * (gScale * gv), 2), hv)
        }

        /// One layer for `n` pairs in place: ρ ← ρ′ and Θ ← q′(1 − ρ′) + h Θ, four pairs at a
        /// time (four independent polynomial chains in vector registers), the rest one by one.
        @inlinable
        func step(rho r: UnsafeMutablePointer<Double>, ntk th: UnsafeMutablePointer<Double>, count n: Int, qNext: Double) {
            var i = 0
            while i + 4 <= n {
                var rv = SIMD4<Double>(r[i], r[i + 1], r[i + 2], r[i + 3])
                rv = rv.replacing(with: 0, where: rv .< 0).replacing(with: 2, where: rv .> 2)
                let u = SIMD4<Double>(rv[0].squareRoot(), rv[1].squareRoot(), rv[2].squareRoot(), rv[3].squareRoot())
                let s = u * cellScale
                let k0 = Int(cell[min(Int(s[0]), lastCell)]), k1 = Int(cell[min(Int(s[1]), lastCell)])
                let k2 = Int(cell[min(Int(s[2]), lastCell)]), k3 = Int(cell[min(Int(s[3]), lastCell)])
                let t = (u - SIMD4(centre[k0], centre[k1], centre[k2], centre[k3]))
                    * SIMD4(inverseHalfWidth[k0], inverseHalfWidth[k1], inverseHalfWidth[k2], inverseHalfWidth[k3])
                let g0 = g + 8 * k0, g1 = g + 8 * k1, g2 = g + 8 * k2, g3 = g + 8 * k3
                let h0 = h + 8 * k0, h1 = h + 8 * k1, h2 = h + 8 * k2, h3 = h + 8 * k3
                var gv = SIMD4(g0[7], g1[7], g2[7], g3[7]), hv = SIMD4(h0[7], h1[7], h2[7], h3[7])
                for j in stride(from: 6, through: 0, by: -1) {
                    gv = gv * t + SIMD4(g0[j], g1[j], g2[j], g3[j])
                    hv = hv * t + SIMD4(h0[j], h1[j], h2[j], h3[j])
                }
                var next = rv * (gScale * gv)
                next = next.replacing(with: 2, where: next .> 2)
                let theta = SIMD4(th[i], th[i + 1], th[i + 2], th[i + 3])
                let nt = qNext * (1 - next) + hv * theta
                for lane in 0..<4 { r[i + lane] = next[lane]; th[i + lane] = nt[lane] }
                i += 4
            }
            while i < n {
                let (rr, hh) = apply(rho: r[i])
                r[i] = rr
                th[i] = qNext * (1 - rr) + hh * th[i]
                i += 1
            }
        }
    }
}
