import CriticalityCore
import Foundation
import Scaling

/// The atlas for readers: a Markdown table (`atlas.md`, the README's) and an HTML page with the
/// rows' figures (`atlas.html`).
enum AtlasPage {
    static let header = ["network", "σ_w,c or p_c", "δ", "δ_typ", "ψ", "θ", "z", "ν∥", "λ at σ_w,c", "sd ln ρ", "verdict", "time"]

    /// One row as text, estimates as `value ± error`, "—" where not measured.
    static func cells(_ e: AtlasEntry) -> [String] {
        func estimate(_ name: String) -> String {
            guard let v = e.number(name) else { return "—" }
            return formatEstimate(v, e.number(name + "_err") ?? .nan)
        }
        let spread = e.number("log_rho_sd").map { String(format: "%.2g", $0) } ?? "—"
        let seconds = e.number("seconds").map { $0 >= 120 ? String(format: "%.0f min", $0 / 60) : String(format: "%.0f s", $0) } ?? "—"
        var verdict = shortVerdict(e)
        if let note = e.text("note"), ["no-transition", "no-critical-point", "insufficient-data"].contains(e.text("outcome") ?? "") {
            // The reason, without the chain of contexts before it.
            let reason = note.range(of: ": ", options: .backwards).map { String(note[$0.upperBound...]) } ?? note
            verdict += " (\(reason))"
        }
        return [e.row.label, estimate("critical"), estimate("delta"), estimate("delta_typ"), estimate("psi"), estimate("theta"),
                estimate("z"), estimate("nu_par"), estimate("lambda"), spread, verdict, seconds]
    }

    /// The verdict without its list of excluded classes, and how far DP is when it is excluded.
    static func shortVerdict(_ e: AtlasEntry) -> String {
        var verdict = e.text("verdict") ?? "—"
        if let r = verdict.range(of: "; excluded ") ?? verdict.range(of: ": excluded ") { verdict = String(verdict[..<r.lowerBound]) }
        if e.text("dp_status") == "excluded", let s = e.number("dp_sigmas") {
            verdict += String(format: "; DP excluded by %.1f σ", s)
        }
        return verdict
    }

    static func markdown(_ entries: [AtlasEntry]) -> String {
        var s = "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
        for e in entries { s += "| " + cells(e).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return s
    }

    static func html(_ entries: [AtlasEntry], preset: AtlasPreset, seconds: Double, folder: String) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Universality atlas (\(preset.rawValue))</title>
            <style>
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1500px; color: #222; line-height: 1.45; padding: 0 1em; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: right; vertical-align: top; } th { background: #f3f3f3; }
            td:first-child, td:nth-last-child(2) { text-align: left; }
            .note { color: #666; font-size: 0.9em; } img { max-width: 49%; height: auto; border: 1px solid #eee; }
            </style></head><body>
            <h1>Universality atlas, preset \(preset.rawValue)</h1>
            <p class="note">criticality \(Criticality.version), \(ISO8601DateFormatter().string(from: Date())); \(entries.count) rows, \
            \(String(format: "%.1f", seconds / 60)) minutes of measurement on \(ProcessInfo.processInfo.activeProcessorCount) cores \
            (rows reused from earlier runs count their own time). σ_w,c (p_c for DP) and δ from find-critical's scans; δ_typ from \
            exp⟨ln ρ⟩, ψ from sd(ln ρ) ~ l^ψ; θ and z from a spreading run at the critical point; ν∥ from the off-critical \
            collapse in depth (stated only where its quality is at most 3); λ, the replica Lyapunov exponent at σ_w,c with the \
            error of σ_w,c carried through; sd ln ρ, the realisations' spread at the end of the fit. Verdicts as classify gives \
            them: a class is excluded beyond 3 standard errors; a clean class is untestable while the realisations do not \
            self-average. Method and columns: docs/atlas.md.</p>

            """
        page += htmlTable(header, entries.map(cells))
        for e in entries {
            page += "<h2 id=\"\(escape(e.row.id))\">\(escape(e.row.label))</h2>\n<p>Verdict: \(escape(e.text("verdict") ?? "—"))"
            if let note = e.text("note") { page += "<br><span class=\"note\">\(escape(note))</span>" }
            page += "</p>\n"
            for suffix in ["scan", "diagnostics"] {
                let path = AtlasMeasurement.figurePath(folder: folder, row: e.row, suffix: suffix)
                if FileManager.default.fileExists(atPath: path) {
                    page += "<a href=\"figures/\(e.row.id)-\(suffix).svg\"><img src=\"figures/\(e.row.id)-\(suffix).svg\" alt=\"\(escape(e.row.label)) \(suffix)\"></a>\n"
                }
            }
        }
        return page + "</body></html>\n"
    }
}
