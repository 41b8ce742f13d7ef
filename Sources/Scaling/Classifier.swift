import Foundation

/// The verdict on a set of measured exponents: which universality class fits, which are ruled
/// out and by how many standard errors (docs/analysis.md, "Verdicts").
///
/// For each class and each measured exponent that the class specifies, the distance is
/// |measured − class| / error, the error combining the measurement's and, for a class value that is
/// itself measured, the class's (in quadrature). A class *fits* when every distance is at most `threshold`
/// (default 3), and is *excluded* otherwise; its distance is the largest one, at the exponent that
/// gives it. A clean class that fits the exponents of data whose realisations do not self-average
/// at the size measured is *untestable* there (its exponents hold only where the realisations
/// self-average), unless the sizes show the variance falling as a clean class's does
/// (``SelfAveraging/approachesAsClean``); one that fits data shown not to self-average at any size
/// is excluded. Conversely a class with temporal noise that fits data which self-average, or
/// approach it as a clean class does, is excluded: shared noise keeps the realisations apart.
/// A class whose ⟨ρ⟩ decays logarithmically is judged by ``LogarithmicDecay`` instead of exponents:
/// excluded when 1/⟨ρ⟩ is curved in ln l beyond the threshold (or does not grow), and untestable
/// when a power law fits the same window as well, since then the window cannot separate the forms.
///
/// The outcome names the class when exactly one fits and none is untestable. Several fitting
/// classes are *ambiguous* when they share the measured exponents (only another exponent can
/// separate them) and *undetermined* when they differ but the errors are too large to tell them
/// apart; a fitting class beside an untestable one, or no fitting class and an untestable one, is
/// undetermined too. When every class is excluded, "no class fits". Without a single usable
/// exponent the verdict is "insufficient data".
public struct Verdict: Sendable {
    public struct Distance: Sendable {
        public var universality: UniversalityClass
        /// The largest distance in standard errors, and the exponent where it occurs.
        public var sigmas: Double
        public var exponent: String
        public var chi2: Double
        /// Why the class is excluded or untestable other than by its exponents (nil: by them).
        public var reason: String? = nil
    }

    public enum Outcome: String, Sendable {
        case fits, ambiguous, undetermined
        case noClassFits = "no-class-fits"
        case insufficientData = "insufficient-data"
    }

    public var outcome: Outcome
    public var universality: UniversalityClass?
    public var compatible: [Distance]
    public var excluded: [Distance]
    /// Clean classes that fit the exponents of data that do not self-average at this size.
    public var untestable: [Distance]
    /// Classes nothing measured bears on (none of their exponents, or no logarithmic-decay test).
    public var notMeasured: [UniversalityClass] = []
    public var exponents: [String: MeasuredExponent]
    public var threshold: Double

    /// Relative difference below which two classes share an exponent (see ``Outcome/ambiguous``).
    public static let sharedExponentTolerance = 0.01

    /// The logarithmic-decay test of the run the exponents were read from, which judges the classes
    /// whose ⟨ρ⟩ decays logarithmically (nil: not measured, and those classes are not compared).
    public var logarithmicDecay: LogarithmicDecay?

    public init(exponents: [String: MeasuredExponent], classes: [UniversalityClass] = UniversalityClass.known,
                threshold: Double = 3, selfAveraging: SelfAveraging? = nil, logarithmicDecay: LogarithmicDecay? = nil) {
        self.logarithmicDecay = logarithmicDecay
        let usable = exponents.filter { $0.value.value.isFinite && $0.value.error.isFinite && $0.value.error > 0 }
        self.exponents = usable
        self.threshold = threshold
        var fitting: [Distance] = [], far: [Distance] = [], untested: [Distance] = [], unmeasured: [UniversalityClass] = []
        for u in classes {
            var worst = 0.0, at = "", chi2 = 0.0, used = 0
            var formReason: String? = nil
            if u.decay == .logarithmic {
                // Judged by its form, not by exponents (docs/analysis.md, "Infinite-noise criticality").
                guard let test = logarithmicDecay?.test(threshold: threshold) else { unmeasured.append(u); continue }
                worst = test.sigmas
                at = "log_decay"
                chi2 = test.sigmas.isFinite ? test.sigmas * test.sigmas : .infinity
                used = 1
                formReason = test.reason
            }
            for name in usable.keys.sorted() where u.decay == .powerLaw {
                guard let target = u.exponents[name], let m = usable[name] else { continue }
                let own = u.errors[name] ?? 0
                let d = abs(m.value - target) / (m.error * m.error + own * own).squareRoot()
                chi2 += d * d
                used += 1
                if d > worst || at.isEmpty { worst = d; at = name }
            }
            guard used > 0 else { unmeasured.append(u); continue }
            var distance = Distance(universality: u, sigmas: worst, exponent: at, chi2: chi2)
            if worst > threshold {
                distance.reason = formReason
                far.append(distance)
            } else if u.noise == .temporal, let s = selfAveraging, s.status == .selfAveraging || s.approachesAsClean {
                // Noise shared by the whole system keeps the realisations apart without bound.
                distance.reason = s.sentence
                far.append(distance)
            } else if u.noise == .clean, let s = selfAveraging, s.status != .selfAveraging, s.status != .unknown, !s.approachesAsClean {
                distance.reason = s.sentence
                if s.status == .notSelfAveraging { far.append(distance) } else { untested.append(distance) }
            } else if u.decay == .logarithmic, let g = logarithmicDecay, !(g.powerLawSigmas > threshold) {
                // Both forms describe the window: it is too short (or too noisy) to tell them apart.
                distance.reason = String(format: "a power law fits as well, curved by %.1f errors: the window cannot tell the forms apart",
                                         g.powerLawSigmas)
                untested.append(distance)
            } else {
                fitting.append(distance)
            }
        }
        compatible = fitting.sorted { $0.chi2 < $1.chi2 }
        excluded = far.sorted { ($0.reason == nil ? $0.sigmas : .infinity) < ($1.reason == nil ? $1.sigmas : .infinity) }
        untestable = untested.sorted { $0.chi2 < $1.chi2 }
        notMeasured = unmeasured
        if compatible.isEmpty && excluded.isEmpty && untestable.isEmpty {
            outcome = .insufficientData
        } else if compatible.count == 1 && untestable.isEmpty {
            outcome = .fits
        } else if compatible.isEmpty && untestable.isEmpty {
            outcome = .noClassFits
        } else if untestable.isEmpty && Self.shareExponents(compatible.map(\.universality), in: usable.keys) {
            outcome = .ambiguous
        } else {
            outcome = .undetermined
        }
        universality = outcome == .fits ? compatible.first?.universality : nil
    }

    /// Whether all of `classes` have the same value, within ``sharedExponentTolerance``, of every
    /// exponent in `names` that they specify.
    static func shareExponents(_ classes: [UniversalityClass], in names: Dictionary<String, MeasuredExponent>.Keys) -> Bool {
        // A logarithmic decay and a power law differ in form, which the errors could not separate.
        if Set(classes.map(\.decay)).count > 1 { return false }
        for name in names {
            let values = classes.compactMap { $0.exponents[name] }
            guard let lo = values.min(), let hi = values.max() else { continue }
            if hi - lo > sharedExponentTolerance * max(abs(hi), abs(lo), 0.1) { return false }
        }
        return true
    }

    /// Every compared class with its distance and its part in the verdict (`verdict`, `compatible`,
    /// `untestable` or `excluded`): the fitting classes by χ², the untestable ones, then the
    /// excluded ones by distance.
    public var ranking: [(distance: Distance, status: String)] {
        compatible.map { ($0, $0.universality == universality ? "verdict" : "compatible") }
            + untestable.map { ($0, "untestable") } + excluded.map { ($0, "excluded") }
    }

    /// One sentence: the verdict as a person would say it.
    public var summary: String {
        func list(_ d: [Distance]) -> String {
            d.map { $0.universality.decay == .logarithmic && $0.sigmas > threshold
                ? "\($0.universality.name) (\($0.reason ?? "not logarithmic"))"
                : $0.reason == nil || $0.sigmas > threshold
                ? "\($0.universality.name) by \(String(format: "%.1f", $0.sigmas)) σ in \($0.exponent)"
                : "\($0.universality.name) (\($0.universality.noise == .temporal ? "self-averaging" : "not self-averaging"))" }
                .joined(separator: ", ")
        }
        var tail = ""
        if !untestable.isEmpty {
            let clean = untestable.filter { $0.universality.decay == .powerLaw }
            var parts = clean.isEmpty ? [] : ["\(clean.map(\.universality.name).joined(separator: ", ")) (fits the exponents, but the realisations do not self-average at this size)"]
            parts += untestable.filter { $0.universality.decay == .logarithmic }.map { "\($0.universality.name) (\($0.reason ?? "untestable"))" }
            tail += "; untestable at this size: " + parts.joined(separator: ", ")
        }
        if !excluded.isEmpty { tail += "; excluded \(list(excluded))" }
        switch outcome {
        case .insufficientData:
            return "insufficient data: no exponent with a finite error to compare"
        case .noClassFits:
            return "no class fits" + (excluded.isEmpty ? "" : ": excluded \(list(excluded))")
        case .fits:
            return "\(universality!.name)" + tail
        case .ambiguous:
            return "ambiguous: compatible with \(list(compatible)), which share the measured exponents" + tail
        case .undetermined:
            let fitting = compatible.isEmpty ? "" : "compatible with \(list(compatible))"
            return "undetermined" + (fitting.isEmpty ? "" : ": " + fitting) + tail
        }
    }
}
