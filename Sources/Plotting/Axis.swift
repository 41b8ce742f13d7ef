import Foundation

/// How data values map to positions along an axis.
public enum AxisScale: Sendable, Equatable {
    /// Evenly spaced values.
    case linear
    /// Evenly spaced decades; non-positive values are ignored.
    case log
}

/// One axis of a plot: its label, scale and (optionally fixed) range.
public struct Axis: Sendable {
    /// Text drawn along the axis.
    public var label: String
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// Fixed range, or `nil` to fit the data: padded on linear axes; whole decades on log axes
    /// (or padded, when whole decades would mostly show empty space).
    public var range: ClosedRange<Double>?

    /// Creates an axis.
    public init(label: String, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// Whether `value` can be placed on this axis (finite, and positive on a log axis).
    func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// The range actually shown, given the data values to fit (unusable values are skipped).
    ///
    /// - Parameter padding: fraction of the data span added on each side of a linear axis.
    func resolvedRange(for values: [Double], padding: Double = 0.05) -> ClosedRange<Double> {
        let usable = values.filter(accepts)
        let dataLo = usable.min(), dataHi = usable.max()
        switch scale {
        case .linear:
            if let range, range.lowerBound.isFinite, range.upperBound.isFinite {
                return Self.widened(range.lowerBound, range.upperBound)
            }
            guard let dataLo, let dataHi else { return 0...1 }
            if dataHi == dataLo { return Self.widened(dataLo, dataHi) }
            let pad = (dataHi - dataLo) * padding
            return (dataLo - pad)...(dataHi + pad)
        case .log:
            if let range, range.upperBound.isFinite, range.upperBound > 0 {
                var lo = range.lowerBound
                if !(lo > 0) || !lo.isFinite {
                    lo = min(dataLo ?? range.upperBound / 1000, range.upperBound / 10)
                }
                return lo < range.upperBound ? lo...range.upperBound : (lo / 10)...(range.upperBound * 10)
            }
            guard let dataLo, let dataHi else { return 1...10 }
            if padding == 0 { return dataHi > dataLo ? dataLo...dataHi : (dataLo / 10)...(dataHi * 10) }
            let logLo = log10(dataLo), logHi = log10(dataHi)
            let span = logHi - logLo
            let decadeLo = floor(logLo + 1e-9), decadeHi = ceil(logHi - 1e-9)
            // Whole decades unless they would add much empty space (more than a fifth of the data's
            // span); then pad like a linear axis.
            if span >= 1 && (decadeHi - decadeLo) - span <= 0.2 * span {
                // A point on a decade boundary would sit on the frame, its marker cut in half:
                // leave it a little room.
                let edge = 0.03
                let lo = logLo - decadeLo < edge ? logLo - edge : decadeLo
                let hi = decadeHi - logHi < edge ? logHi + edge : decadeHi
                return pow(10, lo)...pow(10, hi)
            }
            let pad = max(0.02, span * padding)
            return pow(10, logLo - pad)...pow(10, logHi + pad)
        }
    }

    /// A non-degenerate range around `lo...hi`.
    private static func widened(_ lo: Double, _ hi: Double) -> ClosedRange<Double> {
        if hi > lo { return lo...hi }
        let half = lo == 0 ? 1 : abs(lo) * 0.1
        return (lo - half)...(lo + half)
    }

    /// Ticks for `range` on this axis, thinned so labels fit along `fit`.
    func ticks(for range: ClosedRange<Double>, fit: LabelFit) -> [Tick] {
        switch scale {
        case .linear: TickGenerator.linear(lo: range.lowerBound, hi: range.upperBound, fit: fit)
        case .log: TickGenerator.log(lo: range.lowerBound, hi: range.upperBound, fit: fit)
        }
    }
}

/// Maps data values on one axis to pixel coordinates.
struct AxisMapping: Sendable {
    /// Linear or logarithmic.
    var scale: AxisScale
    /// Data range shown.
    var range: ClosedRange<Double>
    /// Pixel coordinate of `range.lowerBound`.
    var start: Double
    /// Pixel coordinate of `range.upperBound`.
    var end: Double

    /// The value in the axis' linear space (`log10` on log axes), or `nil` if it cannot be shown.
    func transform(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch scale {
        case .linear: return value
        case .log: return value > 0 ? log10(value) : nil
        }
    }

    /// Fraction (0 at the lower bound, 1 at the upper bound) of the axis where `value` sits.
    func fraction(_ value: Double) -> Double? {
        guard let t = transform(value), let lo = transform(range.lowerBound), let hi = transform(range.upperBound),
              hi != lo else { return nil }
        return (t - lo) / (hi - lo)
    }

    /// Pixel coordinate of `value`, or `nil` when it cannot be shown (NaN, ±inf, non-positive on log).
    func pixel(_ value: Double) -> Double? {
        fraction(value).map { start + $0 * (end - start) }
    }

    /// Pixel coordinate of a value given in the transformed space.
    func pixel(transformed t: Double) -> Double {
        let lo = transform(range.lowerBound) ?? 0, hi = transform(range.upperBound) ?? 1
        return start + (t - lo) / (hi - lo) * (end - start)
    }
}
