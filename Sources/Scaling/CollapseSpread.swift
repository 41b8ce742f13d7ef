import Foundation

/// How closely curves y_c(x) coincide as functions of one variable x > 0: every point of every
/// curve is compared with the linear interpolation, in ln x, of every other curve whose x range
/// covers it (the pairwise comparison of ``DataCollapse``). Used to ask which variable — depth L,
/// κL, or another — makes the test-error curves of different networks fall onto one
/// (docs/kernels.md, "The κL measurement").
///
/// - Complexity: O(C² P log P) for C curves of P points.
public struct CollapseSpread: Sendable, Equatable {
    /// Root mean square of the differences between curves at equal x.
    public let rms: Double
    /// Mean of the squared differences divided by the sum of the two variances (about 1 for curves
    /// that agree within their errors; `nan` without errors).
    public let quality: Double
    /// Number of comparisons.
    public let comparisons: Int

    /// - Parameter curves: points (x > 0, any order; others are dropped), values and their
    ///   standard errors (nil: unknown).
    public init(curves: [(x: [Double], y: [Double], error: [Double]?)]) {
        let scaled = curves.map { c -> (x: [Double], y: [Double], e: [Double]) in
            let order = c.x.indices.filter { c.x[$0] > 0 && c.x[$0].isFinite && c.y[$0].isFinite }.sorted { c.x[$0] < c.x[$1] }
            return (order.map { log(c.x[$0]) }, order.map { c.y[$0] }, order.map { c.error?[$0] ?? 0 })
        }
        let r = DataCollapse.comparePairs(scaled, requireVariance: false)
        comparisons = r.count
        rms = r.count > 0 ? (r.squared / Double(r.count)).squareRoot() : .nan
        let withErrors = curves.allSatisfy { $0.error != nil }
        quality = r.count > 0 && withErrors ? r.chiSquared / Double(r.count) : .nan
    }
}
