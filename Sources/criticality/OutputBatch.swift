import CriticalityCore
import Foundation

/// The output files of one command, written together: each file is staged (written to a
/// temporary file beside its destination and flushed) as the command produces it, and only when
/// the command has succeeded are all of them renamed into place. A command that fails part-way
/// (say, the figure cannot be written after the CSV was) therefore leaves no new output behind,
/// only its one-line error. Devices and FIFOs (`-o /dev/null`) cannot be staged; they are written
/// through at the commit, after the regular files.
final class OutputBatch: @unchecked Sendable {
    /// The batch of the running command (`Criticality.main` commits or discards it).
    static let shared = OutputBatch()

    private let lock = NSLock()
    private var staged: [(temporary: String, target: String)] = []
    private var special: [(text: String, target: String)] = []

    /// Stages `text` for `path` (see ``writeAtomically(_:to:)`` for how each kind of path is treated).
    func write(_ text: String, to path: String) throws {
        switch outputTarget(path) {
        case .directory:
            throw OutputError.cannotWrite(path: path, reason: "it is a folder")
        case .special:
            lock.withLock { special.append((text, path)) }
        case .regularFile:
            let target = resolvedLinkTarget(path)
            let temporary = try stageRegularFile(text, at: target)
            lock.withLock { staged.append((temporary, target)) }
        }
    }

    /// Renames every staged file into place, in the order written, then writes the devices.
    func commit() throws {
        let (files, devices) = lock.withLock { defer { staged = []; special = [] }; return (staged, special) }
        for (k, file) in files.enumerated() {
            do { try commitStaged(file.temporary, to: file.target) } catch {
                for rest in files[(k + 1)...] { try? FileManager.default.removeItem(atPath: rest.temporary) }
                throw error
            }
        }
        for device in devices { try writeThrough(device.text, to: device.target) }
    }

    /// Removes every staged file: nothing of a failed command reaches its destination.
    func discard() {
        let files = lock.withLock { defer { staged = []; special = [] }; return staged }
        for file in files { try? FileManager.default.removeItem(atPath: file.temporary) }
    }
}

/// Writes one output of the running command through ``OutputBatch/shared``.
func writeOutput(_ text: String, to path: String) throws {
    try OutputBatch.shared.write(text, to: path)
}
