import CriticalityCore
import Foundation
import Scaling

/// How far the realisations of a lattice run drift apart: the standard deviation of ln ρ across
/// them (`log_rho_sd`) at the end of a fitting window, read at the run nearest a control value.
///
/// In a CNN the weights are shared by all sites, so every layer multiplies the whole lattice's ρ
/// by a common random factor: ln ρ performs a random walk from realisation to realisation, whatever
/// the lattice size (docs/models.md, "Typical decay and its spread"). Once its spread exceeds
/// about 1, the mean ρ(l) is carried by the few realisations that stay active while the others die
/// out together, and exponents read from the mean are those of this walk, not of local (DP)
/// fluctuations.
struct RealisationSpread {
    /// Above this spread the note warns that the mean is carried by few realisations.
    static let threshold = 1.0

    var control: Double?
    var depth: Double
    var sd: Double

    /// The `log_rho_sd` curves of `data` (one per run, selected by `columns` as the observable's
    /// curves are, so that labels match), or nil when the data have no such column (older files,
    /// MLP runs).
    static func curves(_ data: AnalysisData, column: String = "log_rho_sd", columns: CurveSelection = CurveSelection()) -> [Curve]? {
        guard data.table.hasNumbers(in: column) else { return nil }
        var selection = columns
        selection.value = column
        selection.error = nil
        return try? data.curves(selection, widthLimit: false, blocks: false)
    }

    /// The spread at the largest depth ≤ `depth` (all depths when nil) of the run nearest `control`
    /// (the first run when nil), among the runs of the largest size; nil without `log_rho_sd`.
    static func measure(_ data: AnalysisData, near control: Double?, upTo depth: Double?) -> RealisationSpread? {
        curves(data).flatMap { measure($0, near: control, upTo: depth) }
    }

    /// The same among `curves`, the `log_rho_sd` curves of the runs.
    static func measure(_ curves: [Curve], near control: Double?, upTo depth: Double?) -> RealisationSpread? {
        var curves = curves
        if let largest = curves.compactMap(\.size).max() { curves = curves.filter { $0.size == nil || $0.size == largest } }
        guard let curve = control.flatMap({ x in curves.min { abs(($0.control ?? .infinity) - x) < abs(($1.control ?? .infinity) - x) } })
            ?? curves.first else { return nil }
        guard let k = curve.t.indices.last(where: { curve.t[$0] <= (depth ?? .infinity) && curve.y[$0].isFinite }) else { return nil }
        return RealisationSpread(control: curve.control, depth: curve.t[k], sd: curve.y[k])
    }

    /// Whether the spread says that the mean is carried by few realisations.
    var dominates: Bool { sd > Self.threshold }

    /// One sentence for a summary.
    var sentence: String {
        let at = control.map { " (run at \(formatShort($0)))" } ?? ""
        var s = "realisation spread of ln rho at l = \(formatShort(depth)): \(String(format: "%.2f", sd))\(at)"
        if dominates {
            s += "; above \(formatShort(Self.threshold)) the mean rho is carried by the few realisations that stay active "
                + "(shared weights: common noise; a lattice small for the depth: finite-size fluctuations), so exponents "
                + "read from it can drift with depth and sigma_w (docs/models.md, \"Typical decay and its spread\")"
        }
        return s
    }

    var json: JSONValue {
        .object(["depth": .number(depth), "sd": .number(sd), "control": control.map { .number($0) } ?? .null,
                 "dominates": .bool(dominates)])
    }
}

/// The precision of a verdict in words: each exponent's relative error, and whether the verdict
/// rests on one exponent only.
func precisionSentence(_ verdict: Verdict) -> String? {
    guard !verdict.exponents.isEmpty else { return nil }
    let parts = verdict.exponents.keys.sorted().map { name -> String in
        let m = verdict.exponents[name]!
        let relative = m.value != 0 ? String(format: " (%.0f%%)", 100 * m.error / abs(m.value)) : ""
        return "\(name) to ±\(String(format: "%.2g", m.error))\(relative)"
    }
    var s = "precision: " + parts.joined(separator: ", ")
    // ψ bears only on the classes with temporal noise; the others are judged on the rest.
    let decisive = verdict.exponents.keys.filter { $0 != "psi" }
    if decisive.count == 1, let name = decisive.first {
        s += "; the verdict rests on \(name) alone" + (verdict.exponents["psi"] != nil ? " (psi bears only on classes with temporal noise)" : "")
    }
    return s
}
