import Foundation

/// Compact, locale-independent number formatting for tick and colour-bar labels.
enum NumberFormat {
    /// The minus sign used in labels (U+2212, as typeset by matplotlib).
    static let minus = "\u{2212}"

    /// Exact powers of ten for small integer exponents.
    static func pow10(_ exponent: Int) -> Double {
        pow(10.0, Double(exponent))
    }

    /// Formats `value` with exactly `decimals` digits after the point (`0.3`, `−2.50`, `12`).
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "\(minus)∞") }
        let decimals = max(0, min(decimals, 12))
        let scaledMagnitude = (abs(value) * pow10(decimals)).rounded()
        guard scaledMagnitude < 9e15 else { return scientific(value, significantDecimals: decimals) }
        let scaled = Int(scaledMagnitude)
        if scaled == 0 {
            return decimals == 0 ? "0" : "0." + String(repeating: "0", count: decimals)
        }
        let sign = value < 0 ? minus : ""
        let digits = String(scaled)
        if decimals == 0 { return sign + digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -decimals)
        return sign + padded[..<split] + "." + padded[split...]
    }

    /// Formats `value` as `m e k` with trailing zeros removed, e.g. `2.5e−4`, `1e6`.
    static func scientific(_ value: Double, significantDecimals: Int = 3) -> String {
        guard value != 0, value.isFinite else { return value == 0 ? "0" : fixed(value, decimals: 0) }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow10(exponent)
        let decimals = max(0, min(significantDecimals, 6))
        // Rounding can push the mantissa to 10 (9.9996 → 10.000).
        if (abs(mantissa) * pow10(decimals)).rounded() >= 10 * pow10(decimals) {
            exponent += 1
            mantissa = value / pow10(exponent)
        }
        let text = trimZeros(fixed(mantissa, decimals: decimals))
        return "\(text)e\(exponent < 0 ? minus : "")\(abs(exponent))"
    }

    /// Labels for the evenly spaced linear ticks `values` with spacing `step`:
    /// fixed-point with a common number of decimals, or `1e−6`-style when fixed-point would be unwieldy.
    static func linearLabels(_ values: [Double], step: Double) -> [String] {
        guard step > 0, step.isFinite else { return values.map { fixed($0, decimals: 2) } }
        let stepExponent = Int(floor(log10(step) + 1e-9))
        let decimals = max(0, -stepExponent)
        let maxMagnitude = values.map(abs).max() ?? 0
        let useScientific = maxMagnitude >= 1e6 || (decimals > 4 && maxMagnitude < 1e-2)
        if !useScientific {
            return values.map { fixed($0, decimals: decimals) }
        }
        return values.map { value in
            if abs(value) < step * 1e-6 { return "0" }
            let exponent = Int(floor(log10(abs(value)) + 1e-9))
            return scientific(value, significantDecimals: max(0, exponent - stepExponent))
        }
    }

    /// A power of ten written with Unicode superscripts, e.g. `10⁻³`.
    static func powerOfTen(_ exponent: Int) -> String {
        "10" + superscript(exponent)
    }

    /// An integer written with Unicode superscript digits (and superscript minus).
    static func superscript(_ value: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var result = value < 0 ? "⁻" : ""
        for character in String(abs(value)) {
            if let digit = character.wholeNumberValue { result.append(digits[digit]) }
        }
        return result
    }

    /// A compact label for `mantissa × 10^exponent` (mantissa 1…9): plain decimals for
    /// moderate magnitudes (`0.02`, `300`), otherwise `2×10⁻⁵`.
    static func compactPower(mantissa: Int, exponent: Int) -> String {
        if (-3...3).contains(exponent) {
            return fixed(Double(mantissa) * pow10(exponent), decimals: max(0, -exponent))
        }
        return mantissa == 1 ? powerOfTen(exponent) : "\(mantissa)×\(powerOfTen(exponent))"
    }

    /// Removes trailing zeros (and a trailing point) after a decimal point.
    static func trimZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}
