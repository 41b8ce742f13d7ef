import Foundation

/// Whether the realisations of a run self-average: the test that separates a clean class from a
/// class with temporal disorder (docs/analysis.md, "Typical decay and self-averaging").
///
/// The measure is v = Var(ln ρ) over realisations at the end of the fitting window: from the
/// spread sd(ln ρ) when the data give it (v = sd²), otherwise from the average and the typical
/// density as v = 2 ln(⟨ρ⟩/ρ_typ) (equal to Var(ln ρ) when ln ρ is Gaussian). In a clean class
/// a system much larger than its correlation length self-averages, v ≪ 1, and v falls as S^−d
/// with the lattice; under noise shared by the whole system (shared weights) v grows with depth
/// and does not fall with the lattice.
///
/// - `selfAveraging`: v ≤ ``threshold`` at the largest size.
/// - `notAtThisSize`: v > ``threshold`` at the largest size and no second size to tell a small
///   lattice from disorder, or sizes over which v falls; a clean class is untestable there.
/// - `notSelfAveraging`: v > ``threshold`` and, over sizes that span a factor 4 (``minimumSpan``)
///   at one depth, v falls more slowly than S^{−d/2} (``flatExponent``): disorder, which excludes
///   the clean classes.
/// - `unknown`: neither spread nor typical density given.
public struct SelfAveraging: Sendable, Equatable {
    public enum Status: String, Sendable {
        case selfAveraging = "self-averaging"
        case notAtThisSize = "not-at-this-size"
        case notSelfAveraging = "not-self-averaging"
        case unknown
    }

    /// Var(ln ρ) above which the mean is carried by few realisations (sd(ln ρ) = 1).
    public static let threshold = 1.0
    /// Over sizes, v ∝ S^−x with x below this fraction of d counts as flat: nearer disorder's
    /// x = 0 than a clean class's x = d.
    public static let flatExponent = 0.5
    /// The sizes must span at least this factor for the flatness test.
    public static let minimumSpan = 4.0

    public var status: Status
    /// v at the largest size, the depth it is read at, and that size (nil: not known).
    public var variance: Double
    public var depth: Double
    public var size: Double?
    /// x of v ∝ S^−x over the sizes at `depth` (nil with one size).
    public var sizeExponent: Double?
    /// How v was obtained: `spread` or `typical`.
    public var source: String
    /// The dimension the flatness test used.
    public var dimension: Int

    public init(status: Status, variance: Double, depth: Double, size: Double? = nil, sizeExponent: Double? = nil,
                source: String = "spread", dimension: Int = 1) {
        self.status = status
        self.variance = variance
        self.depth = depth
        self.size = size
        self.sizeExponent = sizeExponent
        self.source = source
        self.dimension = dimension
    }

    /// Unknown: no measure of the spread.
    public static let unknown = SelfAveraging(status: .unknown, variance: .nan, depth: .nan, source: "none")

    /// Assesses `variances`, the curves of v(t) (one per size, each the run nearest the critical
    /// point), at the largest depth ≤ `depth` that every curve measures; `dimension` is the
    /// lattice's (nil: unknown, taken as 1 for the flatness test).
    public static func assess(_ variances: [Curve], upTo depth: Double, dimension: Int?, source: String) -> SelfAveraging {
        let curves = variances.filter { $0.t.contains { $0 <= depth } }
        guard let largest = curves.max(by: { ($0.size ?? 0) < ($1.size ?? 0) }) else { return .unknown }
        // The deepest layer ≤ depth that every size has, with a finite v.
        let common = largest.t.indices.reversed().first { j in
            largest.t[j] <= depth && largest.y[j].isFinite
                && curves.allSatisfy { c in c.t.firstIndex(of: largest.t[j]).map { c.y[$0].isFinite } ?? false }
        }
        guard let j = common else { return .unknown }
        let l = largest.t[j], v = largest.y[j]
        if v <= threshold { return SelfAveraging(status: .selfAveraging, variance: v, depth: l, size: largest.size, source: source) }
        let points = curves.compactMap { c -> (Double, Double)? in
            guard let s = c.size, s > 0, let k = c.t.firstIndex(of: l), c.y[k] > 0 else { return nil }
            return (log(s), log(c.y[k]))
        }
        let distinct = Set(points.map(\.0))
        guard distinct.count >= 2, let lo = distinct.min(), let hi = distinct.max(), hi - lo >= log(minimumSpan) - 1e-9, let fit = LeastSquares.line(x: points.map(\.0), y: points.map(\.1)) else {
            return SelfAveraging(status: .notAtThisSize, variance: v, depth: l, size: largest.size, source: source)
        }
        let x = -fit.slope
        let flat = x < flatExponent * Double(max(dimension ?? 1, 1))
        return SelfAveraging(status: flat ? .notSelfAveraging : .notAtThisSize, variance: v, depth: l, size: largest.size,
                             sizeExponent: x, source: source, dimension: max(dimension ?? 1, 1))
    }

    /// Var(ln ρ) falls over sizes spanning a factor 4 as a clean class's does (v ∝ S^−x with
    /// x ≥ 3d/4), though it is still above the threshold at the largest size. By translation
    /// invariance the average ⟨ρ⟩ of such a system is the local average, as on an infinite lattice,
    /// so a clean class's exponents can be tested on it (docs/analysis.md, "Typical decay and
    /// self-averaging").
    public var approachesAsClean: Bool {
        status == .notAtThisSize && (sizeExponent ?? -.infinity) >= Self.cleanExponent * Double(dimension)
    }

    /// The fraction of d that ``approachesAsClean`` requires of x.
    public static let cleanExponent = 0.75

    /// One clause for a verdict: "the realisations do not self-average (Var ln ρ = 78 at l = 1000, S = 128)".
    public var sentence: String {
        let at = "Var ln ρ = \(formatVariance(variance)) at l = \(formatShort(depth))" + (size.map { ", S = \(formatShort($0))" } ?? "")
        var over = sizeExponent.map { String(format: "; ∝ S^−%.2f over the sizes", $0) } ?? ""
        if approachesAsClean {
            over += ", as in a clean class: larger lattices will self-average"
        }
        switch status {
        case .selfAveraging: return "the realisations self-average (\(at))"
        case .notAtThisSize: return "the realisations do not self-average at this size (\(at)\(over))"
        case .notSelfAveraging: return "the realisations do not self-average and do not approach it with the lattice (\(at)\(over))"
        case .unknown: return "self-averaging not measured (no spread of ln ρ or typical density)"
        }
    }

    private func formatVariance(_ v: Double) -> String { v >= 100 ? String(format: "%.0f", v) : String(format: "%.2g", v) }
}
