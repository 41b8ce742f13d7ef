import Foundation

/// One tick mark on an axis or colour bar.
public struct Tick: Sendable, Equatable {
    /// Data value where the tick sits.
    public var value: Double
    /// Text shown next to the tick; `nil` for an unlabelled tick.
    public var label: String?
    /// Major ticks are longer and carry a grid line; minor ticks are short and plain.
    public var isMajor: Bool

    /// Creates a tick.
    public init(value: Double, label: String?, isMajor: Bool) {
        self.value = value
        self.label = label
        self.isMajor = isMajor
    }
}

/// Decides whether a set of tick labels fits along an axis of a given pixel length without overlapping.
struct LabelFit: Sendable {
    /// Axis length in pixels.
    var length: Double
    /// `true` for an x axis (labels side by side), `false` for a vertical axis (labels stacked).
    var horizontal: Bool
    /// Label font size.
    var fontSize: Double = TextMetrics.tickFontSize

    /// Whether the labelled ticks, placed at fractions `position(value)` of the axis, leave a gap between labels.
    func fits(_ ticks: [Tick], position: (Double) -> Double) -> Bool {
        let labelled = ticks.compactMap { tick in tick.label.map { (position(tick.value) * length, $0) } }
            .sorted { $0.0 < $1.0 }
        guard labelled.count > 1 else { return true }
        for index in 1..<labelled.count {
            let spacing = labelled[index].0 - labelled[index - 1].0
            let needed: Double
            if horizontal {
                needed = (TextMetrics.width(labelled[index].1, fontSize: fontSize)
                    + TextMetrics.width(labelled[index - 1].1, fontSize: fontSize)) / 2 + 0.8 * fontSize
            } else {
                needed = 1.35 * fontSize
            }
            if spacing < needed { return false }
        }
        return true
    }
}

/// Chooses tick positions and labels for linear and logarithmic axes.
enum TickGenerator {
    /// Most major ticks wanted on a linear axis.
    static let maxLinearTicks = 8

    /// "Nice" ticks (1, 2, 5 × 10^k) for `lo...hi`: the finest step giving at most eight ticks whose labels fit.
    static func linear(lo: Double, hi: Double, fit: LabelFit? = nil,
                       position: ((Double) -> Double)? = nil) -> [Tick] {
        guard lo.isFinite, hi.isFinite, hi > lo else {
            return lo.isFinite ? [Tick(value: lo, label: NumberFormat.linearLabels([lo], step: max(abs(lo), 1))[0], isMajor: true)] : []
        }
        let place = position ?? { ($0 - lo) / (hi - lo) }
        let span = hi - lo
        let firstExponent = Int(floor(log10(span / 50)))
        var coarsest: [Tick] = []
        var finer: [Tick]?   // the previous candidate, if its labels fit
        for exponent in firstExponent...(firstExponent + 4) {
            for mantissa in [1, 2, 5] {
                let ticks = ticksWithStep(lo: lo, hi: hi, mantissa: mantissa, exponent: exponent)
                if ticks.count < 2 {
                    if let finer, finer.count <= maxLinearTicks + 2 { return finer }
                    return coarsest.isEmpty ? endTicks(lo: lo, hi: hi) : thinned(coarsest, fit: fit, position: place)
                }
                coarsest = ticks
                let fits = fit.map { $0.fits(ticks, position: place) } ?? true
                if fits && ticks.count <= maxLinearTicks {
                    // Too few ticks: accept a slightly crowded finer step if its labels still fit.
                    if ticks.count < 4, let finer, finer.count <= maxLinearTicks + 2 { return finer }
                    return ticks
                }
                finer = fits ? ticks : nil
            }
        }
        return thinned(coarsest, fit: fit, position: place)
    }

    /// Keeps every n-th label (n = 1, 2, 3, …) until the labels fit.
    static func thinned(_ ticks: [Tick], fit: LabelFit?, position: (Double) -> Double) -> [Tick] {
        guard let fit else { return ticks }
        for every in 1...max(1, ticks.count) {
            let candidate = ticks.enumerated().map { index, tick in
                Tick(value: tick.value, label: index % every == 0 ? tick.label : nil, isMajor: tick.isMajor)
            }
            if fit.fits(candidate, position: position) { return candidate }
        }
        return ticks.enumerated().map { Tick(value: $1.value, label: $0 == 0 ? $1.label : nil, isMajor: $1.isMajor) }
    }

    /// Ticks at every multiple of `mantissa × 10^exponent` inside `lo...hi`, computed without accumulating error.
    static func ticksWithStep(lo: Double, hi: Double, mantissa: Int, exponent: Int) -> [Tick] {
        let step = Double(mantissa) * NumberFormat.pow10(exponent)
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard first.isFinite, last.isFinite, abs(first) < 1e12, abs(last) < 1e12, last - first < 10_000 else { return [] }
        guard last >= first else { return [] }
        var values: [Double] = []
        for k in Int(first)...Int(last) {
            let units = Double(k * mantissa)
            let value = exponent < 0 ? units / NumberFormat.pow10(-exponent) : units * NumberFormat.pow10(exponent)
            values.append(value)
        }
        let labels = NumberFormat.linearLabels(values, step: step)
        return zip(values, labels).map { Tick(value: $0, label: $1, isMajor: true) }
    }

    /// Decade ticks for a logarithmic axis over `lo...hi` (both positive), with unlabelled minor ticks at 2…9 × 10^k.
    ///
    /// Many decades are thinned to every 2nd, 3rd, … label; a range too short for two labelled
    /// decades gets some minor ticks labelled too (or falls back to linear ticks).
    static func log(lo: Double, hi: Double, fit: LabelFit? = nil) -> [Tick] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else {
            return lo > 0 && lo.isFinite ? [Tick(value: lo, label: NumberFormat.scientific(lo), isMajor: true)] : []
        }
        let logLo = log10(lo), logHi = log10(hi)
        let place: (Double) -> Double = { (log10($0) - logLo) / (logHi - logLo) }
        let firstDecade = Int((logLo - 1e-9).rounded(.up))
        let lastDecade = Int((logHi + 1e-9).rounded(.down))
        let decadeCount = lastDecade - firstDecade + 1
        var candidates = logCandidates(lo: lo, hi: hi)
        if let fit, fit.length / (logHi - logLo) < 30 {
            candidates.removeAll { $0.mantissa != 1 }   // minor ticks would smear together
        }
        // Normal case: label decades, thinning when crowded.
        if decadeCount >= 2 {
            var best: [Tick] = []
            for every in [1, 2, 3, 4, 5, 10, 20, 50, 100] {
                if decadeCount > 10 && every == 1 { continue }
                let ticks = candidates.map { c in
                    Tick(value: c.value,
                         label: c.mantissa == 1 && ((c.exponent % every) + every) % every == 0
                            ? NumberFormat.powerOfTen(c.exponent) : nil,
                         isMajor: c.mantissa == 1)
                }
                if ticks.filter({ $0.label != nil }).count < 2 && !best.isEmpty { break }
                best = ticks
                if let fit, !fit.fits(ticks, position: place) { continue }
                return ticks
            }
            return best
        }
        // Short range: label some minor ticks as well.
        for labelled in [Set(1...9), [1, 2, 5], [1, 3], [1, 5], [1, 2], [1]] as [Set<Int>] {
            let ticks = candidates.map { c in
                Tick(value: c.value,
                     label: labelled.contains(c.mantissa) ? NumberFormat.compactPower(mantissa: c.mantissa, exponent: c.exponent) : nil,
                     isMajor: c.mantissa == 1 || labelled.contains(c.mantissa))
            }
            guard ticks.filter({ $0.label != nil }).count >= 2 else { continue }
            if let fit, !fit.fits(ticks, position: place) { continue }
            return ticks
        }
        // Shorter than one minor interval: nice linear ticks placed on the log scale.
        return linear(lo: lo, hi: hi, fit: fit, position: place).filter { $0.value > 0 }
    }

    /// All 1…9 × 10^k values inside `lo...hi`.
    private static func logCandidates(lo: Double, hi: Double) -> [(value: Double, mantissa: Int, exponent: Int)] {
        let first = Int(floor(log10(lo))) - 1
        let last = Int(ceil(log10(hi)))
        guard last - first < 400 else { return [] }
        var result: [(value: Double, mantissa: Int, exponent: Int)] = []
        for exponent in first...last {
            for mantissa in 1...9 {
                let value = exponent < 0 ? Double(mantissa) / NumberFormat.pow10(-exponent)
                    : Double(mantissa) * NumberFormat.pow10(exponent)
                if value >= lo * (1 - 1e-9) && value <= hi * (1 + 1e-9) {
                    result.append((value, mantissa, exponent))
                }
            }
        }
        return result
    }

    /// Two labelled ticks at the ends of a range (last resort).
    private static func endTicks(lo: Double, hi: Double) -> [Tick] {
        let labels = NumberFormat.linearLabels([lo, hi], step: (hi - lo) / 10)
        return [Tick(value: lo, label: labels[0], isMajor: true), Tick(value: hi, label: labels[1], isMajor: true)]
    }
}
