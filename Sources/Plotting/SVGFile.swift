import Foundation

/// Errors from ``writeSVG(_:to:)``.
public enum SVGWriteError: Error, Sendable {
    /// Renaming the temporary file onto the destination failed with this `errno`.
    case renameFailed(path: String, errno: Int32)
}

/// Writes `svg` to `url` atomically: the text goes to a temporary file in the same folder, which is then renamed.
public func writeSVG(_ svg: String, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    try Data(svg.utf8).write(to: temporary)
    if rename(temporary.path, url.path) != 0 {
        let code = errno
        try? FileManager.default.removeItem(at: temporary)
        throw SVGWriteError.renameFailed(path: url.path, errno: code)
    }
}
