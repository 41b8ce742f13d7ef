import ArgumentParser
import CriticalityCore
import Foundation
import Scaling

/// `criticality classify`: the universality class of a data set.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Universality verdict: which class (DP 1+1, DP 2+1, DP 3+1, mean field) the exponents fit.",
        discussion: """
            Measures every exponent the data support on their largest size: delta from rho (homogeneous \
            runs) or from P(t), theta from N(t) and z from R^2(t) (spreading runs). A scan of at least \
            three control values is read at its critical point; a single run is taken as critical. \
            Each error combines the bootstrap error, the window drift and a relative systematic allowance \
            (--systematic, default 3%) for corrections to scaling. A class fits when every \
            exponent lies within --threshold errors of it. JSON keys: class, verdict, outcome, \
            compatible, excluded, exponents.
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

    @OptionGroup var output: OutputOptions

    func validate() throws {
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
        let (verdict, exponents, skipped) = try classify(data, input: input, control: control, threshold: threshold,
                                                         systematic: systematic, classes: all)
        for s in skipped { noteOnStderr("criticality: skipped \(s)") }
        for m in exponents.measurements {
            let e = verdict.exponents[m.observable.exponent]?.error ?? m.exponent.error
            noteOnStderr("\(m.observable.exponent) = \(formatEstimate(m.exponent.value, e)) from \(m.observable.rawValue) (\(m.source), t = \(formatShort(m.window.lowerBound))…\(formatShort(m.window.upperBound)))")
        }
        let notCompared = otherDimensionClasses(all, data)
        if let d = latticeDimension(data), !notCompared.isEmpty {
            noteOnStderr("the runs are on a \(d)-dimensional lattice: \(notCompared.map(\.name).joined(separator: " and ")) (other dimensions) not compared")
        }
        noteOnStderr("verdict: \(verdict.summary)")
        if let precision = precisionSentence(verdict) { noteOnStderr(precision) }
        let spread = realisationSpread(data, exponents, control: control)
        if let spread { noteOnStderr(spread.sentence) }
        switch output.format {
        case .json: try output.emit(text: verdictJSON(verdict, exponents, spread: spread, notCompared: notCompared).rendered() + "\n")
        case .csv: try output.emit(verdictTable(verdict, notCompared: notCompared))
        }
    }
}

/// Measures the exponents of `data` and judges them.
func classify(_ data: AnalysisData, input: AnalysisInputOptions, control: Double?, threshold: Double, systematic: Double = 0.03,
              classes: [UniversalityClass] = UniversalityClass.known) throws
    -> (Verdict, CriticalExponents, skipped: [String]) {
    var observables: [Observable]
    if let o = input.observable { observables = [o] }
    else if input.valueColumn != nil { observables = [.rho] }
    else if data.isSpreading { observables = [.survival, .active, .r2].filter { data.table.hasNumbers(in: $0.rawValue) } }
    else { observables = [.rho] }
    var curves: [Observable: [Curve]] = [:]
    for o in observables { curves[o] = try input.curves(data, observable: o) }
    let (exponents, skipped) = CriticalExponents.measure(curves, window: try input.fittingWindow(), control: control,
                                                         replicates: input.replicates, seed: input.seed)
    let verdict = Verdict(exponents: exponents.exponents(systematic: systematic), classes: comparable(classes, data), threshold: threshold)
    if verdict.outcome == .insufficientData {
        throw ScalingError.insufficientData(skipped.isEmpty ? "no exponent could be measured" : skipped.joined(separator: "; "))
    }
    return (verdict, exponents, skipped)
}

/// The spatial dimension d of the tool's lattice runs (CNN, its untied control, DP), when all
/// rows share one; nil for MLPs and foreign tables.
func latticeDimension(_ data: AnalysisData) -> Int? {
    guard let m = data.table.index(of: "model"), let d = data.table.index(of: "dim"),
          data.table.rows.allSatisfy({ ["cnn", "cnn-untied", "dp"].contains($0[m]) }) else { return nil }
    let dims = Set(data.table.rows.map { $0[d] })
    return dims.count == 1 ? dims.first.flatMap { Int($0) } : nil
}

/// The dimension of a DP class (`dp-2+1` → 2), nil for others.
func classDimension(_ u: UniversalityClass) -> Int? {
    guard u.id.hasPrefix("dp-"), u.id.hasSuffix("+1") else { return nil }
    return Int(u.id.dropFirst(3).dropLast(2))
}

/// The classes a lattice run cannot belong to: directed percolation of another dimension (a 1D
/// lattice is not in DP 2+1, whatever δ it shows). Empty for MLPs and foreign tables.
func otherDimensionClasses(_ classes: [UniversalityClass], _ data: AnalysisData) -> [UniversalityClass] {
    guard let d = latticeDimension(data) else { return [] }
    return classes.filter { c in classDimension(c).map { $0 != d } ?? false }
}

/// The classes a run is compared with: all but those of ``otherDimensionClasses(_:_:)``.
func comparable(_ classes: [UniversalityClass], _ data: AnalysisData) -> [UniversalityClass] {
    let other = otherDimensionClasses(classes, data)
    return classes.filter { !other.contains($0) }
}

func verdictJSON(_ v: Verdict, _ e: CriticalExponents, spread: RealisationSpread? = nil, notCompared: [UniversalityClass] = []) -> JSONValue {
    func distances(_ d: [Verdict.Distance]) -> JSONValue {
        .array(d.map { .object(["class": .string($0.universality.id), "name": .string($0.universality.name),
                                "sigmas": .number($0.sigmas), "exponent": .string($0.exponent), "chi2": .number($0.chi2)]) })
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
    return .object([
        "class": v.universality.map { .string($0.id) } ?? .null,
        "class_name": v.universality.map { .string($0.name) } ?? .null,
        "outcome": .string(v.outcome.rawValue), "verdict": .string(v.summary), "threshold_sigmas": .number(v.threshold),
        "compatible": distances(v.compatible), "excluded": distances(v.excluded),
        "exponents": .object(exps), "critical_point": critical,
        "precision": precisionSentence(v).map { .string($0) } ?? .null,
        "realisation_spread": spread?.json ?? .null,
        "not_compared": .array(notCompared.map { .string($0.id) }),
    ])
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
    for u in notCompared {
        t.append([.text(u.id), .text(u.name), .text("other-dimension"), .optional(nil), .text(""), .optional(nil), .text(v.summary)])
    }
    return t
}
