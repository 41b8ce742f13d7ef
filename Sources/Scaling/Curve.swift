import CriticalityCore
import Foundation

/// One measured series y(t) of one run: an observable (ρ, P, N, R², …) against depth or time,
/// with its standard errors and, when the run kept them, the per-block means that a bootstrap
/// over realisations resamples.
public struct Curve: Sendable {
    /// What identifies the run (e.g. `p = 0.645, size = 4096`).
    public var label: String
    /// The control parameter (σ_w, p, …), when the input names one.
    public var control: Double?
    /// The finite size (width n, lattice size S, …), when the input names one.
    public var size: Double?
    /// Depths or times, strictly increasing.
    public var t: [Double]
    /// The observable at each `t`.
    public var y: [Double]
    /// Its standard error at each `t` (`nil`: not known).
    public var error: [Double]?
    /// Per-block means of consecutive realisations, when known.
    public var blocks: Blocks?
    /// The values of the columns that identify the run (e.g. `task`, `source`).
    public var identity: [String: String] = [:]
    /// The largest t at which the curve is free of finite-size effects, when known (an MLP of width
    /// n follows its infinite-width decay only for l ≲ n/8): the default window ends there.
    public var finiteSizeLimit: Double?

    /// Means of the observable over blocks of realisations: `values[b][j]` is block b's mean at `t[j]`,
    /// from `weights[b]` realisations.
    public struct Blocks: Sendable {
        public var weights: [Double]
        public var values: [[Double]]
        public init(weights: [Double], values: [[Double]]) {
            self.weights = weights
            self.values = values
        }
    }

    public init(label: String, control: Double? = nil, size: Double? = nil, t: [Double], y: [Double],
                error: [Double]? = nil, blocks: Blocks? = nil) {
        self.label = label
        self.control = control
        self.size = size
        self.t = t
        self.y = y
        self.error = error
        self.blocks = blocks
    }

    /// The fewest blocks that a bootstrap over blocks uses; with fewer, the standard errors drive a
    /// parametric bootstrap instead.
    public static let minimumBlocks = 8

    /// Whether ``resampled(using:)`` varies the curve at all.
    public var canResample: Bool {
        (blocks.map { $0.values.count >= Curve.minimumBlocks } ?? false) || error != nil
    }

    /// A bootstrap replicate: blocks of realisations drawn with replacement when the run kept at
    /// least ``minimumBlocks`` of them, otherwise y + σ g with independent standard Gaussians g
    /// (parametric; it ignores the correlation between depths, which mostly shifts a curve as a whole).
    public func resampled(using generator: inout Xoshiro256) -> Curve {
        var copy = self
        if let blocks, blocks.values.count >= Curve.minimumBlocks {
            let b = blocks.values.count
            var sum = [Double](repeating: 0, count: t.count)
            var weight = 0.0
            for _ in 0..<b {
                let k = Int.random(in: 0..<b, using: &generator)
                let w = blocks.weights[k]
                weight += w
                for j in 0..<t.count { sum[j] += w * blocks.values[k][j] }
            }
            copy.y = sum.map { $0 / weight }
        } else if let error {
            for j in 0..<t.count { copy.y[j] += error[j] * generator.nextGaussian() }
        }
        return copy
    }

    /// The points with t in `window` and y > 0 (what a log-log fit can use).
    public func positivePoints(in window: ClosedRange<Double>) -> [Int] {
        t.indices.filter { window.contains(t[$0]) && y[$0] > 0 && y[$0].isFinite }
    }

    /// About `perOctave` indices per factor 2 of t, nearest to log-spaced targets in `window`, among
    /// points with y > 0: the points of a log-log fit, so that every stretch of ln t weighs the same.
    public func logSpacedIndices(in window: ClosedRange<Double>, perOctave: Int = 6) -> [Int] {
        let candidates = positivePoints(in: window)
        guard let first = candidates.first, let last = candidates.last else { return [] }
        let lo = log(t[first]), hi = log(t[last])
        let count = max(2, Int((hi - lo) / log(2.0) * Double(perOctave)) + 1)
        var chosen: [Int] = []
        var c = 0
        for k in 0..<count {
            let target = lo + (hi - lo) * Double(k) / Double(count - 1)
            while c + 1 < candidates.count, abs(log(t[candidates[c + 1]]) - target) <= abs(log(t[candidates[c]]) - target) {
                c += 1
            }
            if chosen.last != candidates[c] { chosen.append(candidates[c]) }
        }
        return chosen
    }

    /// The index of the last t where y is positive and (when errors are known) measured to better
    /// than 30%.
    var lastMeasured: Int? {
        t.indices.last { j in y[j] > 0 && y[j].isFinite && (error.map { $0[j] <= 0.3 * y[j] } ?? true) }
    }

    /// Where the default window ends: the last well-measured t, or the finite-size limit if earlier.
    public var defaultUpperEnd: Double? {
        lastMeasured.map { min(t[$0], finiteSizeLimit ?? .infinity) }
    }

    /// The default fitting window, or `nil` when the rules below leave none (see
    /// ``defaultFittingWindow()`` for the reason).
    public var defaultWindow: ClosedRange<Double>? { try? defaultFittingWindow() }

    /// The default fitting window: up to the last t where y is positive and (when errors are
    /// known) measured to better than 30%, and not beyond ``finiteSizeLimit``; down by a factor 32
    /// from there (five octaves), but never below 32 times the first t, since the first layers are
    /// a transient (an MLP's ρ(l) needs about 30 layers to reach 1/(κ l)).
    ///
    /// - Throws: ``ScalingError/insufficientData(_:)`` when the window these rules allow spans less
    ///   than ``PowerLawFit/minimumSpan`` (e.g. an MLP of width 128, whose finite-size limit
    ///   n/8 = 16 comes before 32 times its first layer): such a curve is not fitted by default;
    ///   `--window` can still ask for a fit on a window of the user's choice.
    public func defaultFittingWindow() throws -> ClosedRange<Double> {
        guard let last = lastMeasured, let first = t.first else {
            throw ScalingError.insufficientData("\(label): no positive values measured to better than 30%")
        }
        let hi = min(t[last], finiteSizeLimit ?? .infinity)
        let lo = max(first, hi / 32, 32 * first)
        guard hi >= PowerLawFit.minimumSpan * lo else {
            var end = "the data end (y > 0, error < 30%) at \(formatShort(t[last]))"
            if let limit = finiteSizeLimit, limit < t[last] {
                end = "the finite-size limit (width / 8) is \(formatShort(limit))"
            }
            throw ScalingError.insufficientData("\(label): the default window starts at 32 × the first depth = \(formatShort(32 * first)) (a transient before that) and must span a factor \(formatShort(PowerLawFit.minimumSpan)), but \(end); give --window to fit anyway")
        }
        return lo...hi
    }
}
