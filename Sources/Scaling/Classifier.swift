import Foundation

/// The verdict on a set of measured exponents: which universality class fits, which are ruled
/// out and by how many standard errors.
///
/// For each class and each measured exponent that the class specifies, the distance is
/// |measured − class| / error. A class *fits* when every distance is at most `threshold`
/// (default 3), and is *excluded* otherwise; its distance is the largest one, at the exponent that
/// gives it. The verdict names the class when exactly one fits; when several fit it is ambiguous
/// and lists them by χ² = Σ distance² (no class is named), and when none fits it says "no class fits". Without a single usable exponent
/// the verdict is "insufficient data".
public struct Verdict: Sendable {
    public struct Distance: Sendable {
        public var universality: UniversalityClass
        /// The largest distance in standard errors, and the exponent where it occurs.
        public var sigmas: Double
        public var exponent: String
        public var chi2: Double
    }

    public enum Outcome: String, Sendable { case fits, ambiguous, noClassFits = "no-class-fits", insufficientData = "insufficient-data" }

    public var outcome: Outcome
    public var universality: UniversalityClass?
    public var compatible: [Distance]
    public var excluded: [Distance]
    public var exponents: [String: MeasuredExponent]
    public var threshold: Double

    public init(exponents: [String: MeasuredExponent], classes: [UniversalityClass] = UniversalityClass.known,
                threshold: Double = 3) {
        let usable = exponents.filter { $0.value.value.isFinite && $0.value.error.isFinite && $0.value.error > 0 }
        self.exponents = usable
        self.threshold = threshold
        var distances: [Distance] = []
        for u in classes {
            var worst = 0.0, at = "", chi2 = 0.0, used = 0
            for name in usable.keys.sorted() {
                guard let target = u.exponents[name], let m = usable[name] else { continue }
                let d = abs(m.value - target) / m.error
                chi2 += d * d
                used += 1
                if d > worst || at.isEmpty { worst = d; at = name }
            }
            if used > 0 { distances.append(Distance(universality: u, sigmas: worst, exponent: at, chi2: chi2)) }
        }
        compatible = distances.filter { $0.sigmas <= threshold }.sorted { $0.chi2 < $1.chi2 }
        excluded = distances.filter { $0.sigmas > threshold }.sorted { $0.sigmas < $1.sigmas }
        if distances.isEmpty {
            outcome = .insufficientData
        } else if compatible.isEmpty {
            outcome = .noClassFits
        } else {
            outcome = compatible.count == 1 ? .fits : .ambiguous
        }
        universality = outcome == .fits ? compatible.first?.universality : nil
    }

    /// Every compared class with its distance and its part in the verdict (`verdict`, `compatible`
    /// or `excluded`): the fitting classes by χ², then the excluded ones by distance.
    public var ranking: [(distance: Distance, status: String)] {
        compatible.map { ($0, $0.universality == universality ? "verdict" : "compatible") } + excluded.map { ($0, "excluded") }
    }

    /// One sentence: the verdict as a person would say it.
    public var summary: String {
        func list(_ d: [Distance]) -> String {
            d.map { "\($0.universality.name) by \(String(format: "%.1f", $0.sigmas)) σ in \($0.exponent)" }.joined(separator: ", ")
        }
        switch outcome {
        case .insufficientData:
            return "insufficient data: no exponent with a finite error to compare"
        case .noClassFits:
            return "no class fits: excluded \(list(excluded))"
        case .fits:
            var s = "\(universality!.name)"
            if !excluded.isEmpty { s += "; excluded \(list(excluded))" }
            return s
        case .ambiguous:
            var s = "ambiguous: compatible with \(list(compatible))"
            if !excluded.isEmpty { s += "; excluded \(list(excluded))" }
            return s
        }
    }
}
