import Foundation

/// A test-error curve against depth, and the summaries the κL measurement reports
/// (docs/kernels.md, "The κL measurement"): the best depth, the window of depths whose error is
/// within a tolerance of the best, and the depth at which the error has doubled.
public struct DepthErrorCurve: Sendable {
    /// Depths (ascending), errors and their standard errors.
    public let depth: [Double], value: [Double], error: [Double]

    /// - Parameters: points in any order; non-finite values are dropped.
    public init(depth: [Double], value: [Double], error: [Double]) {
        let order = depth.indices.filter { value[$0].isFinite && depth[$0].isFinite }.sorted { depth[$0] < depth[$1] }
        self.depth = order.map { depth[$0] }
        self.value = order.map { value[$0] }
        self.error = order.map { error.indices.contains($0) && error[$0].isFinite ? error[$0] : 0 }
    }

    /// The index of the smallest error (the first of equal ones), nil for an empty curve.
    public var bestIndex: Int? { value.indices.min { value[$0] < value[$1] } }

    /// The contiguous range of depths around the best whose error is at most `(1 + tolerance)`
    /// times the best.
    public func window(tolerance: Double = 0.05) -> ClosedRange<Double>? {
        guard let b = bestIndex else { return nil }
        let limit = value[b] * (1 + tolerance)
        var lo = b, hi = b
        while lo > 0 && value[lo - 1] <= limit { lo -= 1 }
        while hi + 1 < value.count && value[hi + 1] <= limit { hi += 1 }
        return depth[lo]...depth[hi]
    }

    /// The first depth beyond the best at which the error reaches `factor` times the best,
    /// interpolated linearly in ln depth; nil if it never does.
    public func depthWhereErrorReaches(factor: Double = 2) -> Double? {
        guard let b = bestIndex else { return nil }
        let target = value[b] * factor
        for k in (b + 1)..<max(b + 1, value.count) where value[k] >= target {
            let f = (target - value[k - 1]) / (value[k] - value[k - 1])
            return exp(log(depth[k - 1]) + f * (log(depth[k]) - log(depth[k - 1])))
        }
        return nil
    }
}
