import Foundation

/// What an output path names now.
public enum OutputTarget: Equatable, Sendable {
    /// Nothing yet, or a regular file: replaced atomically.
    case regularFile
    /// A character or block device, a FIFO or a socket: written through, never replaced.
    case special
    /// A folder: refused.
    case directory
}

/// What `path` names, following symbolic links (a link to a regular file is a regular file: its
/// target is what gets replaced, the link stays).
public func outputTarget(_ path: String) -> OutputTarget {
    var info = stat()
    guard stat(path, &info) == 0 else { return .regularFile }  // does not exist (or a dangling link)
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .regularFile
    case S_IFDIR: return .directory
    default: return .special
    }
}

/// Writes `text` to `path`, so that no reader ever sees a half-written file and nothing but a
/// regular file is ever replaced:
/// - a regular file (or a new one) is written to a temporary file in the same folder, flushed,
///   then renamed over the destination; missing folders are created;
/// - a symbolic link is followed deliberately: its target is replaced as above and the link stays
///   a link (a dangling link gets its target created);
/// - a device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`, a named pipe) is opened and
///   written through, never renamed over (as root, a rename would replace the system's
///   /dev/full by a regular file);
/// - a folder is refused.
///
/// - Throws: ``OutputError/cannotWrite(path:reason:)`` with the system's reason.
public func writeAtomically(_ text: String, to path: String) throws {
    switch outputTarget(path) {
    case .directory:
        throw OutputError.cannotWrite(path: path, reason: "it is a folder")
    case .special:
        try writeThrough(text, to: path)
    case .regularFile:
        let target = resolvedLinkTarget(path)
        try commitStaged(try stageRegularFile(text, at: target), to: target)
    }
}

/// The final target of a chain of symbolic links (relative targets resolved against the link's
/// folder), or `path` itself when it is not a link.
public func resolvedLinkTarget(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
        guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
        current = destination.hasPrefix("/") ? destination
            : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
    }
    return current
}

/// Opens `path` (a device or FIFO) for writing and writes every byte.
public func writeThrough(_ text: String, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var text = text
    try text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            offset += n
        }
    }
}

/// Writes `text` to a temporary file beside `path` (creating missing folders) and flushes it to
/// disk; returns the temporary file's path, for ``commitStaged(_:to:)`` or removal.
public func stageRegularFile(_ text: String, at path: String) throws -> String {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: temporary)
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.synchronize()
        try handle.close()
        return temporary.path
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw OutputError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
    }
}

/// Renames a staged temporary file over `path` (atomic on one file system).
public func commitStaged(_ temporary: String, to path: String) throws {
    if rename(temporary, path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: temporary)
        throw OutputError.cannotWrite(path: path, reason: reason)
    }
}
