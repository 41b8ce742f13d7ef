import Foundation

/// Writes `text` to `path` atomically: a temporary file in the same folder, flushed, then renamed
/// over the destination, so a reader never sees a half-written file. Creates missing folders.
public func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try Data(text.utf8).write(to: temporary)
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.synchronize()
        try handle.close()
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError.cannotWrite(path: path, reason: reason)
        }
    } catch let error as OutputError {
        throw error
    } catch {
        throw OutputError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
    }
}
