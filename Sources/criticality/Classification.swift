import CriticalityCore
import Foundation
import Scaling

/// A data set classified: its exponents, the typical decay and self-averaging beside them, and
/// the verdict (docs/analysis.md, "Verdicts" and "Typical decay and self-averaging").
struct Classification {
    var verdict: Verdict
    var exponents: CriticalExponents
    var skipped: [String]
    /// The typical decay of the run nearest the critical point, when the data give ⟨ln ρ⟩ or sd(ln ρ).
    var typical: TypicalDecay?
    /// The logarithmic form 1/⟨ρ⟩ = a + b ln l tested on the same run, on the window of δ.
    var logarithmic: LogarithmicDecay? { typical?.logarithmic }
    var selfAveraging: SelfAveraging
    /// The spatial dimension the classes were compared for (nil: unknown), and the classes of
    /// another dimension left out.
    var dimension: Int?
    var notCompared: [UniversalityClass]
    /// Per lattice size, the run nearest the critical point: ⟨ρ⟩, ⟨ln ρ⟩ and sd(ln ρ) where known
    /// (for the diagnostics figure), largest size last.
    var runs: [DiagnosticRun] = []
}

/// One run of a classification's diagnostics.
struct DiagnosticRun {
    var size: Double?
    var average: Curve
    var typical: Curve?
    var spread: Curve?
    /// Var(ln ρ) against depth: sd² of `spread`, else 2 ln(⟨ρ⟩/ρ_typ); nil with neither.
    var variance: Curve?
}

/// Measures the exponents of `data` and judges them. `dimension` overrides the dimension read
/// from the data (``dataDimension(_:)``).
func classify(_ data: AnalysisData, input: AnalysisInputOptions, control: Double?, threshold: Double, systematic: Double = 0.03,
              classes: [UniversalityClass] = UniversalityClass.known, dimension: Int? = nil) throws -> Classification {
    try input.checkDiagnosticColumns(data)
    var observables: [Observable]
    if let o = input.observable { observables = [o] }
    else if input.valueColumn != nil { observables = [.rho] }
    else if data.isSpreading { observables = [.survival, .active, .r2].filter { data.table.hasNumbers(in: $0.rawValue) } }
    else { observables = [.rho] }
    var curves: [Observable: [Curve]] = [:]
    for o in observables { curves[o] = try input.curves(data, observable: o) }
    let (exponents, skipped) = CriticalExponents.measure(curves, window: try input.fittingWindow(), control: control,
                                                         replicates: input.replicates, seed: input.seed)
    let d = dimension ?? dataDimension(data)
    var measured = exponents.exponents(systematic: systematic)
    var typical: TypicalDecay? = nil
    var selfAveraging = SelfAveraging.unknown
    var runs: [DiagnosticRun] = []
    if let m = exponents.measurements.first(where: { $0.observable == .rho }), let average = curves[.rho] {
        let at = m.criticalPoint?.control ?? control
        let typicalCurves = try input.typicalCurves(data)
        let spreadCurves = input.spreadCurves(data)
        func nearest(_ cs: [Curve]?, size: Double?) -> Curve? {
            let group = (cs ?? []).filter { $0.size == size }
            // Without a critical point or --control: the middle run, as CriticalExponents reads it.
            guard let x = at else { return group.isEmpty ? nil : group.sorted { ($0.control ?? 0) < ($1.control ?? 0) }[group.count / 2] }
            return group.min { abs(($0.control ?? .infinity) - x) < abs(($1.control ?? .infinity) - x) }
        }
        let run = nearest(average, size: m.size)
        let decay = TypicalDecay.measure(average: run, typical: nearest(typicalCurves, size: m.size),
                                         spread: nearest(spreadCurves, size: m.size), window: m.window,
                                         replicates: input.replicates, seed: input.seed)
        if decay.deltaTypical != nil || decay.psi != nil || decay.logarithmic != nil { typical = decay }
        if let psi = decay.psiExponent {
            let s = systematic * abs(psi.value)
            measured["psi"] = MeasuredExponent(value: psi.value, error: (psi.error * psi.error + s * s).squareRoot())
        }
        // Per size, the run nearest the critical point with its Var(ln ρ): sd² of the spread, else
        // 2 ln(⟨ρ⟩/ρ_typ).
        for size in Set(average.map(\.size)).sorted(by: { ($0 ?? 0) < ($1 ?? 0) }) {
            guard let a = nearest(average, size: size) else { continue }
            let t = nearest(typicalCurves, size: size), sd = nearest(spreadCurves, size: size)
            var variance: Curve? = nil
            if let sd {
                variance = sd
                variance!.y = sd.y.map { $0 * $0 }
            } else if let t {
                variance = t
                variance!.y = t.t.indices.map { j in a.t.firstIndex(of: t.t[j]).map { k in a.y[k] > 0 ? 2 * (log(a.y[k]) - t.y[j]) : .nan } ?? .nan }
            }
            variance?.error = nil
            runs.append(DiagnosticRun(size: size, average: a, typical: t, spread: sd, variance: variance))
        }
        let variances = runs.compactMap(\.variance)
        let source = runs.contains { $0.spread == nil && $0.variance != nil } ? "typical" : "spread"
        selfAveraging = SelfAveraging.assess(variances, upTo: m.window.upperBound, dimension: d, source: source)
    }
    let compared = classes.filter { $0.admits(dimension: d) }
    let verdict = Verdict(exponents: measured, classes: compared, threshold: threshold,
                          selfAveraging: selfAveraging.status == .unknown ? nil : selfAveraging, logarithmicDecay: typical?.logarithmic)
    if verdict.outcome == .insufficientData {
        throw ScalingError.insufficientData(skipped.isEmpty ? "no exponent could be measured" : skipped.joined(separator: "; "))
    }
    return Classification(verdict: verdict, exponents: exponents, skipped: skipped, typical: typical, selfAveraging: selfAveraging,
                          dimension: d, notCompared: classes.filter { !$0.admits(dimension: d) }, runs: runs)
}

/// The spatial dimension of the tool's own runs: the lattice's for CNNs, their untied control and
/// DP (when all rows share one), 0 for MLPs and the noisy map (no space); nil for foreign tables.
func dataDimension(_ data: AnalysisData) -> Int? {
    if data.isMLP { return 0 }
    if let m = data.table.index(of: "model"), data.table.rows.allSatisfy({ $0[m] == "noisy-map" }) { return 0 }
    return latticeDimension(data)
}

/// The spatial dimension d of the tool's lattice runs (CNN, its untied control, DP, the MN lattice), when all
/// rows share one; nil for MLPs and foreign tables.
func latticeDimension(_ data: AnalysisData) -> Int? {
    guard let m = data.table.index(of: "model"), let d = data.table.index(of: "dim"),
          data.table.rows.allSatisfy({ ["cnn", "cnn-untied", "dp", "mn-lattice"].contains($0[m]) }) else { return nil }
    let dims = Set(data.table.rows.map { $0[d] })
    return dims.count == 1 ? dims.first.flatMap { Int($0) } : nil
}
