import CriticalityCore
import Foundation
import Scaling

/// The atlas as a table: its columns, the stored rows (`FOLDER/rows/ROW.csv`, reused while the
/// row's settings are the same) and the CSV/JSON forms (docs/file-formats.md, "Atlas").
enum AtlasTable {
    static let columns = [
        "row", "label", "model", "dim", "weights", "channels", "activation", "sigma_b", "size", "depth", "samples", "control",
        "critical", "critical_err", "delta", "delta_err", "delta_typ", "delta_typ_err", "psi", "psi_err", "theta", "theta_err",
        "z", "z_err", "nu_par", "nu_par_err", "lambda", "lambda_err", "log_rho_sd", "var_log_rho", "self_averaging", "dp_sigmas", "dp_status", "outcome",
        "class", "verdict", "seconds", "note",
    ]

    static func table(_ entries: [AtlasEntry]) -> Table {
        var t = Table(columns: columns)
        for e in entries { t.append(columns.map { e.cells[$0] ?? .missing }) }
        return t
    }

    static func storedPath(folder: String, row: AtlasRow) -> String {
        ((folder as NSString).appendingPathComponent("rows") as NSString).appendingPathComponent("\(row.id).csv")
    }

    /// Writes a measured row with its settings.
    static func store(_ entry: AtlasEntry, folder: String) throws {
        var t = Table(columns: columns + ["settings", "version"])
        t.append(columns.map { entry.cells[$0] ?? .missing } + [.text(entry.row.settings), .text(Criticality.version)])
        try writeOutput(t.csv(), to: storedPath(folder: folder, row: entry.row))
    }

    /// The stored row, when it was measured with the same settings; nil otherwise.
    static func stored(_ row: AtlasRow, folder: String) -> AtlasEntry? {
        let path = storedPath(folder: folder, row: row)
        guard FileManager.default.fileExists(atPath: path), let t = try? TidyTable(contentsOf: path), t.rows.count == 1,
              let s = t.index(of: "settings"), t.rows[0][s] == row.settings else { return nil }
        var cells: [String: Table.Cell] = [:]
        for (k, name) in t.columns.enumerated() where columns.contains(name) {
            let text = t.rows[0][k]
            if text.isEmpty { continue }
            if let n = Int(text), ["dim", "channels", "size", "depth", "samples"].contains(name) { cells[name] = .integer(n) }
            else if let x = TidyTable.number(text), !["row", "label", "verdict", "note", "class", "outcome", "dp_status"].contains(name) { cells[name] = .number(x) }
            else { cells[name] = .text(text) }
        }
        return AtlasEntry(row: row, cells: cells)
    }
}
