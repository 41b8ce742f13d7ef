/// Means, variances and the covariance of paired observations (x, y), accumulated in one pass and
/// mergeable in a fixed order (the bivariate form of ``RunningMoments``), for ratio estimators
/// such as R² = ⟨Σ x² s_x⟩ / ⟨N⟩.
public struct PairedMoments: Sendable, Equatable {
    public var count = 0
    public var meanX = 0.0, meanY = 0.0
    /// Σ (x − x̄)², Σ (y − ȳ)², Σ (x − x̄)(y − ȳ).
    public var m2x = 0.0, m2y = 0.0, cxy = 0.0

    @inlinable public init() {}

    /// Adds one pair; pairs with a NaN are skipped.
    @inlinable public mutating func add(_ x: Double, _ y: Double) {
        guard !x.isNaN, !y.isNaN else { return }
        count += 1
        let n = Double(count)
        let dx = x - meanX, dy = y - meanY
        meanX += dx / n
        meanY += dy / n
        m2x += dx * (x - meanX)
        m2y += dy * (y - meanY)
        cxy += dx * (y - meanY)
    }

    /// Adds every pair of `other` (Chan et al.).
    @inlinable public mutating func merge(_ other: PairedMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let na = Double(count), nb = Double(other.count), n = na + nb
        let dx = other.meanX - meanX, dy = other.meanY - meanY
        meanX += dx * nb / n
        meanY += dy * nb / n
        m2x += other.m2x + dx * dx * na * nb / n
        m2y += other.m2y + dy * dy * na * nb / n
        cxy += other.cxy + dx * dy * na * nb / n
        count += other.count
    }

    /// x̄ / ȳ, NaN when ȳ = 0 or nothing was added.
    @inlinable public var ratio: Double { count > 0 && meanY != 0 ? meanX / meanY : .nan }

    /// The standard error of x̄ / ȳ by the delta method:
    /// √((var x − 2 r cov(x, y) + r² var y) / n) / |ȳ|, r = x̄ / ȳ.
    @inlinable public var ratioStandardError: Double {
        guard count > 1, meanY != 0 else { return .nan }
        let r = ratio, n = Double(count)
        let v = (m2x - 2 * r * cxy + r * r * m2y) / (n - 1)
        return (max(v, 0) / n).squareRoot() / Swift.abs(meanY)
    }
}
