import Foundation

/// An inclusive, evenly spaced grid of a control parameter, written `FROM:TO:STEPS` on the
/// command line (STEPS values, both ends included), or a single value.
public struct ParameterGrid: Sendable, Equatable, CustomStringConvertible {
    public let from: Double
    public let to: Double
    public let steps: Int

    public init(from: Double, to: Double, steps: Int) {
        self.from = from
        self.to = to
        self.steps = steps
    }

    /// A grid of one value.
    public init(value: Double) { self.init(from: value, to: value, steps: 1) }

    /// Parses `X` or `FROM:TO:STEPS`; `nil` for malformed text, non-finite values or steps < 1
    /// (or steps = 1 with FROM ≠ TO).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1, let v = Double(parts[0]), v.isFinite {
            self.init(value: v)
            return
        }
        guard parts.count == 3, let a = Double(parts[0]), let b = Double(parts[1]),
              let n = Int(parts[2]), a.isFinite, b.isFinite, n >= 1, n > 1 || a == b
        else { return nil }
        self.init(from: a, to: b, steps: n)
    }

    /// The grid values, exactly `from` and `to` at the ends. Interior values are rounded to 12
    /// significant digits, so that a grid over short decimals gives them as written (0.6:0.7:3 →
    /// 0.65, not 0.6499999999999999).
    public var values: [Double] {
        guard steps > 1 else { return [from] }
        return (0..<steps).map { i in
            guard i > 0 && i < steps - 1 else { return i == 0 ? from : to }
            let x = from + (to - from) * Double(i) / Double(steps - 1)
            return Double(String(format: "%.12g", x)) ?? x
        }
    }

    public var description: String { steps == 1 ? "\(from)" : "\(from):\(to):\(steps)" }
}
