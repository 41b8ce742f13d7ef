/// Mean and variance accumulated in one pass (Welford), mergeable (Chan, Golub & LeVeque 1979).
///
/// Merging accumulators in a fixed order gives the same bits whatever the thread count; callers
/// that parallelise keep one accumulator per fixed block of samples and merge blocks in order.
public struct RunningMoments: Sendable, Equatable {
    public var count: Int = 0
    public var mean: Double = 0
    /// Σ (x − mean)².
    public var m2: Double = 0

    @inlinable public init() {}

    /// Adds one observation. NaNs are skipped (they mark "not measured").
    @inlinable public mutating func add(_ x: Double) {
        guard !x.isNaN else { return }
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Adds every observation of `other`.
    @inlinable public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
    }

    /// The sample variance (n − 1 in the denominator); NaN with fewer than two observations.
    @inlinable public var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }

    /// The standard error of the mean, √(variance / n); NaN with fewer than two observations.
    @inlinable public var standardError: Double { count > 1 ? (variance / Double(count)).squareRoot() : .nan }

    /// The mean, or NaN when nothing was added.
    @inlinable public var value: Double { count > 0 ? mean : .nan }
}
