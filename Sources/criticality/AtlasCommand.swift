import ArgumentParser
import CriticalityCore
import Foundation
import Scaling

/// `criticality atlas`: the universality table of the tool's networks, filled by one resumable command.
struct AtlasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas",
        abstract: "Fill the universality table: MLPs, CNNs (1D/2D, shared and untied, several C and activations) and the DP lattices.",
        discussion: """
            For each row of the preset: sigma_w,c (p_c for DP) by find-critical's refining scans, then classify on \
            those runs (delta, the typical delta_typ, psi, the realisations' spread and self-averaging, the verdict), \
            nu_par from the off-critical collapse in depth, the replica Lyapunov exponent lambda at sigma_w,c, and theta \
            and z from a spreading run at the critical point where the preset asks for one. Everything lives in \
            --folder: the campaign stores of each row (FOLDER/ROW/round-K), the finished rows (FOLDER/rows/ROW.csv, \
            reused while their settings are unchanged), the figures (FOLDER/figures), and atlas.csv, atlas.json, \
            atlas.md and atlas.html. Run the same command again to resume. On a cluster, --shard K/N (or --shard \
            mpi under mpirun or srun) measures every N-th row; a last run without --shard gathers them. The table goes \
            to standard output (or -o). Presets (see --list): smoke (a minute, checks the pipeline), quick (about 5 \
            minutes on 2 cores), default (about an hour), cluster (about 1000 core-hours). docs/atlas.md explains the rows, the columns and their precision.
            """
    )

    @Option(help: "Preset: quick, default or cluster.")
    var preset: AtlasPreset = .default
    @Flag(help: "The quick preset (same as --preset quick).")
    var quick = false
    @Option(help: "Folder of the stores, rows, figures and tables.")
    var folder = "atlas"
    @Option(help: ArgumentHelp("Only rows whose name contains TEXT (repeatable; names as --list shows them).", valueName: "TEXT"))
    var rows: [String] = []
    @Option(help: ArgumentHelp("Measure only rows K, K+N, K+2N, ... (0 <= K < N), or 'mpi' for the rank of mpirun/srun.", valueName: "K/N"))
    var shard: String?
    @Flag(help: "List the preset's rows and their work, and exit.")
    var list = false
    @Flag(help: "No progress lines on stderr.")
    var quiet = false
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions

    var chosenPreset: AtlasPreset { quick ? .quick : preset }

    func validate() throws {
        if quick && preset != .default && preset != .quick { throw ValidationError("--quick contradicts --preset \(preset.rawValue)") }
        _ = try shardIndex()
        guard !selectedRows().isEmpty else {
            throw ValidationError("no row of the \(chosenPreset.rawValue) preset matches --rows \(rows.joined(separator: ", ")) (see --list)")
        }
        guard !folder.isEmpty else { throw ValidationError("--folder must not be empty") }
    }

    func selectedRows() -> [AtlasRow] {
        chosenPreset.rows.filter { row in rows.isEmpty || rows.contains { row.id.contains($0) } }
    }

    /// (K, N) of --shard; nil without it.
    func shardIndex() throws -> (Int, Int)? {
        guard let shard else { return nil }
        if shard == "mpi" {
            let env = ProcessInfo.processInfo.environment
            for (r, s) in [("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMI_RANK", "PMI_SIZE"), ("SLURM_PROCID", "SLURM_NTASKS")] {
                if let k = env[r].flatMap({ Int($0) }), let n = env[s].flatMap({ Int($0) }), n >= 1, (0..<n).contains(k) { return (k, n) }
            }
            throw ValidationError("--shard mpi: no rank found (OMPI_COMM_WORLD_RANK, PMI_RANK or SLURM_PROCID); give --shard K/N")
        }
        let parts = shard.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, (0..<n).contains(k) else {
            throw ValidationError("--shard expects K/N with 0 <= K < N, or mpi, got '\(shard)'")
        }
        return (k, n)
    }

    func run() throws {
        let all = selectedRows()
        if list {
            var t = Table(columns: ["row", "label", "size", "depth", "samples", "steps", "rounds", "lyapunov_samples", "spreading_samples", "work"])
            for r in all {
                t.append([.text(r.id), .text(r.label), .integer(r.size), .integer(r.depth), .integer(r.samples), .integer(r.steps),
                          .integer(r.rounds), .integer(r.lyapunovSamples), .integer(r.spreadingSamples), .number(r.work)])
            }
            return try output.emit(t)
        }
        let sharding = try shardIndex()
        for sub in ["rows", "figures"] {
            try FileManager.default.createDirectory(atPath: (folder as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let clock = ContinuousClock(), start = clock.now
        var entries: [AtlasEntry] = []
        for (k, row) in all.enumerated() {
            if let (i, n) = sharding, k % n != i { continue }
            if let stored = AtlasTable.stored(row, folder: folder) {
                entries.append(stored)
                if !quiet { noteOnStderr("atlas: [\(k + 1)/\(all.count)] \(row.label): stored (\(stored.text("verdict") ?? "—"))") }
                continue
            }
            if !quiet { noteOnStderr("atlas: [\(k + 1)/\(all.count)] \(row.label) …") }
            let entry = try AtlasMeasurement.measure(row, folder: folder, threads: threads.threads, quiet: true)
            try AtlasTable.store(entry, folder: folder)
            // A finished row reaches the disk now, so an interrupted atlas keeps it.
            try OutputBatch.shared.commit()
            entries.append(entry)
            if !quiet { noteOnStderr("atlas: [\(k + 1)/\(all.count)] \(row.label): \(summary(entry))") }
        }
        let seconds = entries.compactMap { $0.number("seconds") }.reduce(0, +)
        let table = AtlasTable.table(entries)
        if sharding == nil {
            let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
            try writeOutput(table.csv(), to: path("atlas.csv"))
            try writeOutput(table.json().rendered() + "\n", to: path("atlas.json"))
            try writeOutput(AtlasPage.markdown(entries), to: path("atlas.md"))
            try writeOutput(AtlasPage.html(entries, preset: chosenPreset, seconds: seconds, folder: folder), to: path("atlas.html"))
        }
        if !quiet {
            let wall = (clock.now - start) / .seconds(1)
            noteOnStderr("atlas: \(entries.count) rows in \(folder) (\(String(format: "%.1f", wall / 60)) minutes this run, "
                + "\(String(format: "%.1f", seconds / 60)) minutes of measurement in all)"
                + (sharding == nil ? "; atlas.html, atlas.csv, atlas.json, atlas.md written" : "; run again without --shard to gather the table"))
        }
        try output.emit(table)
    }

    func summary(_ e: AtlasEntry) -> String {
        var parts: [String] = []
        if let x = e.number("critical") { parts.append("\(e.row.kind == .dp ? "p" : "sigma_w")_c = \(formatEstimate(x, e.number("critical_err") ?? .nan))") }
        if let d = e.number("delta") { parts.append("delta = \(formatEstimate(d, e.number("delta_err") ?? .nan))") }
        if let l = e.number("lambda") { parts.append("lambda = \(formatEstimate(l, e.number("lambda_err") ?? .nan))") }
        let time = String(format: "%.0f s", e.number("seconds") ?? 0)
        let verdict = (e.text("verdict") ?? "—") + " (\(time))"
        return parts.isEmpty ? verdict : parts.joined(separator: ", ") + ": " + verdict
    }
}
