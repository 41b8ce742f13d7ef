import ArgumentParser
import CriticalityCore
import Foundation
import Scaling

/// `criticality classify`: the universality class of a data set.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Universality verdict: which class (DP, mean field, temporal-noise mean field, ...) the exponents fit.",
        discussion: """
            Measures every exponent the data support on their largest size: delta from rho (homogeneous \
            runs) or from P(t), theta from N(t) and z from R^2(t) (spreading runs). A scan of at least \
            three control values is read at its critical point; a single run is taken as critical. \
            Each error combines the bootstrap error, the window drift and a relative systematic allowance \
            (--systematic, default 3%) for corrections to scaling. A class fits when every \
            exponent lies within --threshold errors of it. Beside the average rho, the typical decay \
            exp<ln rho> (log_rho, or --typical-column) and the spread sd(ln rho) (log_rho_sd, or \
            --spread-column) give psi (sd ~ l^psi) and whether the realisations self-average; a clean \
            class that fits data that do not self-average at their size is untestable there. Outcomes: \
            fits, ambiguous (the fitting classes share the measured exponents), undetermined (the \
            errors or the diagnostics cannot decide), no-class-fits, insufficient-data. Classes of \
            another dimension than the data's (--dimension for foreign data, 0 without space) are not \
            compared. JSON keys: class, verdict, outcome, compatible, untestable, excluded, exponents, \
            typical, self_averaging, dimension. --plot draws the average and typical decay, their \
            running exponents, sd(ln rho) against depth and Var(ln rho) against the lattice size.
            """
    )

    @OptionGroup var input: AnalysisInputOptions

    @Option(parsing: .unconditional, help: "Read the exponents at the run nearest this control value instead of the scan's critical point.")
    var control: Double?

    @Option(parsing: .unconditional, help: "Distance in standard errors beyond which a class is excluded.")
    var threshold: Double = 3

    @Option(parsing: .unconditional, help: "Relative systematic error added to every exponent for corrections to scaling.")
    var systematic: Double = 0.03

    @Option(name: .customLong("add-class"),
            help: ArgumentHelp("A further class to compare with, e.g. 'compact DP:delta=0.5,theta=0' (repeatable).", valueName: "NAME:EXPONENT=VALUE,..."))
    var extraClasses: [String] = []

    @Option(parsing: .unconditional,
            help: "Spatial dimension of foreign data (0 for systems without space); classes of another dimension are not compared. The tool's own runs carry theirs.")
    var dimension: Int?

    @OptionGroup var plot: PlotOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let dimension, !(0...3).contains(dimension) { throw ValidationError("--dimension must be 0, 1, 2 or 3, got \(dimension)") }
        guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be positive, got \(threshold)") }
        guard systematic >= 0, systematic < 1 else { throw ValidationError("--systematic must be in [0, 1), got \(systematic)") }
        _ = try classes()
    }

    /// The known classes and those added with --add-class.
    func classes() throws -> [UniversalityClass] {
        let names = ["delta", "theta", "z", "beta", "nu_perp", "nu_par"]
        var all = UniversalityClass.known
        for text in extraClasses {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            var exponents: [String: Double] = [:]
            if parts.count == 2 {
                for item in parts[1].split(separator: ",") {
                    let kv = item.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard kv.count == 2, names.contains(kv[0]), let v = Double(kv[1]), v.isFinite else { exponents = [:]; break }
                    exponents[kv[0]] = v
                }
            }
            guard parts.count == 2, !parts[0].isEmpty, !exponents.isEmpty else {
                throw ValidationError("--add-class expects NAME:EXPONENT=VALUE,... with exponents among \(names.joined(separator: ", ")), got '\(text)'")
            }
            let id = parts[0].lowercased().replacingOccurrences(of: " ", with: "-")
            // A name that exists already would make a verdict name one class twice.
            if let clash = all.first(where: { $0.id == id || $0.name.lowercased() == parts[0].lowercased() }) {
                throw ValidationError("--add-class '\(parts[0])' clashes with the class '\(clash.name)' (\(clash.id)); give the added class another name")
            }
            all.append(UniversalityClass(id: id, name: parts[0], exponents: exponents))
        }
        return all
    }

    func run() throws {
        let data = try input.load()
        let all = try classes()
        if let given = dimension, let own = dataDimension(data), given != own {
            throw ValidationError("--dimension \(given) contradicts the data, whose runs have dimension \(own)")
        }
        let c = try classify(data, input: input, control: control, threshold: threshold, systematic: systematic, classes: all,
                             dimension: dimension)
        for s in c.skipped { noteOnStderr("criticality: skipped \(s)") }
        for m in c.exponents.measurements {
            let e = c.verdict.exponents[m.observable.exponent]?.error ?? m.exponent.error
            noteOnStderr("\(m.observable.exponent) = \(formatEstimate(m.exponent.value, e)) from \(m.observable.rawValue) (\(m.source), t = \(formatShort(m.window.lowerBound))…\(formatShort(m.window.upperBound)))")
        }
        if let t = c.typical { noteOnStderr(t.sentence) }
        if c.selfAveraging.status != .unknown { noteOnStderr(c.selfAveraging.sentence) }
        if !c.notCompared.isEmpty {
            let d = c.dimension.map { $0 == 0 ? "zero-dimensional (no space)" : "on a \($0)-dimensional lattice" } ?? ""
            noteOnStderr("the runs are \(d): \(c.notCompared.map(\.name).joined(separator: ", ")) (other dimensions) not compared")
        }
        noteOnStderr("verdict: \(c.verdict.summary)")
        if let precision = precisionSentence(c.verdict) { noteOnStderr(precision) }
        // The spread itself (JSON realisation_spread); its sentence when self-averaging was not assessed.
        let spread = realisationSpread(data, c.exponents, control: control)
        if let spread, c.selfAveraging.status == .unknown { noteOnStderr(spread.sentence) }
        if let path = plot.plot {
            guard let figure = disorderFigure(c, title: "Typical decay and self-averaging at the critical point") else {
                throw InputError.invalid("--plot: no homogeneous decay of rho to draw (the figure shows the typical decay and self-averaging of rho runs)")
            }
            try writeFigure(figure.svg(), to: path)
        }
        switch output.format {
        case .json: try output.emit(text: verdictJSON(c, spread: spread).rendered() + "\n")
        case .csv: try output.emit(verdictTable(c.verdict, notCompared: c.notCompared))
        }
    }
}

func verdictJSON(_ c: Classification, spread: RealisationSpread? = nil) -> JSONValue {
    let v = c.verdict, e = c.exponents, notCompared = c.notCompared
    func distances(_ d: [Verdict.Distance]) -> JSONValue {
        .array(d.map { .object(["class": .string($0.universality.id), "name": .string($0.universality.name),
                                "sigmas": .number($0.sigmas), "exponent": .string($0.exponent), "chi2": .number($0.chi2),
                                "reason": $0.reason.map { .string($0) } ?? .null]) })
    }
    var exps: [JSONValue.Field] = []
    var critical: JSONValue = .null
    for m in e.measurements {
        exps.append(JSONValue.Field(m.observable.exponent, .object([
            "value": .number(m.exponent.value), "error": .number(m.exponent.error), "stat_err": .number(m.statisticalError),
            "drift": .number(m.drift), "verdict_error": .number(v.exponents[m.observable.exponent]?.error ?? .nan), "observable": .string(m.observable.rawValue), "at": .string(m.source),
            "window": .array([.number(m.window.lowerBound), .number(m.window.upperBound)]),
            "size": m.size.map { .number($0) } ?? .null])))
        if critical == .null, let cp = m.criticalPoint {
            critical = .object(["value": .number(cp.control), "error": .number(cp.error), "observable": .string(m.observable.rawValue)])
        }
    }
    typealias F = JSONValue.Field
    let fields: [F] = [
        F("class", v.universality.map { .string($0.id) } ?? .null),
        F("class_name", v.universality.map { .string($0.name) } ?? .null),
        F("outcome", .string(v.outcome.rawValue)), F("verdict", .string(v.summary)), F("threshold_sigmas", .number(v.threshold)),
        F("compatible", distances(v.compatible)), F("excluded", distances(v.excluded)), F("untestable", distances(v.untestable)),
        F("exponents", .object(exps)), F("critical_point", critical),
        F("precision", precisionSentence(v).map { .string($0) } ?? .null),
        F("realisation_spread", spread?.json ?? .null),
        F("not_compared", .array(notCompared.map { .string($0.id) })),
        F("not_measured", .array(v.notMeasured.map { .string($0.id) })),
        F("dimension", c.dimension.map { .number(Double($0)) } ?? .null),
        F("self_averaging", selfAveragingJSON(c.selfAveraging)),
        F("typical", c.typical.map(typicalJSON) ?? .null),
        F("logarithmic_decay", c.logarithmic.map(logarithmicJSON) ?? .null),
    ]
    return .object(fields)
}

func logarithmicJSON(_ g: LogarithmicDecay) -> JSONValue {
    .object(["a": .number(g.intercept), "b": .number(g.slope), "b_error": .number(g.slopeError),
             "curvature_sigmas": .number(g.sigmas), "power_law_curvature_sigmas": .number(g.powerLawSigmas),
             "window": .array([.number(g.window.lowerBound), .number(g.window.upperBound)])])
}

func selfAveragingJSON(_ s: SelfAveraging) -> JSONValue {
    guard s.status != .unknown else { return .null }
    return .object(["status": .string(s.status.rawValue), "var_log_rho": .number(s.variance), "depth": .number(s.depth),
                    "size": s.size.map { .number($0) } ?? .null, "size_exponent": s.sizeExponent.map { .number($0) } ?? .null,
                    "from": .string(s.source), "sentence": .string(s.sentence)])
}

func typicalJSON(_ t: TypicalDecay) -> JSONValue {
    func fit(_ s: SlopeEstimate?, negate: Bool = false) -> JSONValue {
        guard let s else { return .null }
        return .object(["value": .number(negate ? -s.slope : s.slope), "error": .number(s.totalError)])
    }
    return .object(["delta_typ": fit(t.deltaTypical, negate: true), "typical_growth": fit(t.typicalGrowth), "psi": fit(t.psi),
                    "log_gap": t.gap.map { .number($0) } ?? .null,
                    "window": .array([.number(t.window.lowerBound), .number(t.window.upperBound)])])
}

/// The realisation spread at the point and window where `exponents` were read (the first
/// measurement of ρ; nil for spreading runs and data without `log_rho_sd`).
func realisationSpread(_ data: AnalysisData, _ exponents: CriticalExponents, control: Double?) -> RealisationSpread? {
    guard let m = exponents.measurements.first(where: { $0.observable == .rho }) else { return nil }
    return RealisationSpread.measure(data, near: m.criticalPoint?.control ?? control, upTo: m.window.upperBound)
}

/// One row per class: fits or excluded, and by how much; classes of another lattice dimension
/// (`notCompared`) last, with status other-dimension.
func verdictTable(_ v: Verdict, notCompared: [UniversalityClass] = []) -> Table {
    var t = Table(columns: ["class", "name", "status", "sigmas", "worst_exponent", "chi2", "verdict"])
    for (d, status) in v.ranking {
        t.append([.text(d.universality.id), .text(d.universality.name), .text(status), .number(d.sigmas), .text(d.exponent),
                  .number(d.chi2), .text(v.summary)])
    }
    for (u, status) in v.notMeasured.map({ ($0, "not-measured") }) + notCompared.map({ ($0, "other-dimension") }) {
        t.append([.text(u.id), .text(u.name), .text(status), .optional(nil), .text(""), .optional(nil), .text(v.summary)])
    }
    return t
}
