import CriticalityCore
import Foundation

/// Writes a simulation's per-depth table with its metadata (docs/file-formats.md, "JSON sidecars"): CSV plus a JSON sidecar
/// next to `-o FILE` (FILE with extension `.json`), or with `--format json` one object holding the
/// metadata and the rows.
func emitRun(_ table: Table, metadata: [JSONValue.Field], output: OutputOptions) throws {
    switch output.format {
    case .json:
        let document = JSONValue.object(metadata + [JSONValue.Field("rows", table.json())])
        try output.emit(text: document.rendered() + "\n")
    case .csv:
        try output.emit(text: table.csv())
        // A sidecar belongs beside a file: a device or FIFO output (-o /dev/null) gets none.
        if let path = output.output, outputTarget(path) == .regularFile {
            try writeOutput(JSONValue.object(metadata).rendered() + "\n", to: sidecarPath(for: path))
        }
    }
}

/// `results.csv` → `results.json`; a name without a `.csv` extension gets `.json` appended.
func sidecarPath(for path: String) -> String {
    path.lowercased().hasSuffix(".csv") ? String(path.dropLast(4)) + ".json" : path + ".json"
}

/// The common head of every sidecar: tool, version, command and the wall time.
func runMetadata(command: String, seconds: Double, threads: Int) -> [JSONValue.Field] {
    [JSONValue.Field("tool", .string("criticality")), JSONValue.Field("version", .string(Criticality.version)),
     JSONValue.Field("command", .string(command)), JSONValue.Field("seconds", .number(seconds)),
     JSONValue.Field("threads", .integer(threads))]
}

/// Prints a line on stderr (summaries and warnings; standard output carries only results).
func noteOnStderr(_ line: String) {
    writeToStandardError(line + "\n")
}

/// Writes `text` to standard output, throwing (instead of trapping, as `FileHandle.write(_:)` does)
/// when it cannot be written, e.g. to a full disk.
func writeToStandardOutput(_ text: String) throws {
    do {
        try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    } catch {
        throw OutputError.cannotWrite(path: "standard output", reason: (error as NSError).localizedDescription)
    }
}

/// Writes `text` to standard error with write(2), ignoring failures: `FileHandle.write(_:)` traps
/// when stderr cannot be written (a full disk), and a message that cannot be shown is no reason
/// to crash.
func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}
