import Foundation

/// The text of a file, plain UTF-8 or gzip-compressed. Compression is recognised by the gzip magic
/// bytes (1f 8b), not by the name, so a real `.gz` file and plain text named `.gz` both read; the
/// system's `gzip` decompresses.
///
/// - Throws: ``InputError/unreadable(path:reason:)`` for a missing file, a file that is not UTF-8
///   text, a damaged gzip stream, or no `gzip` to decompress with.
public func readTextFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        throw InputError.unreadable(path: path, reason: !exists ? "no such file" : isFolder.boolValue ? "it is a folder" : "not readable")
    }
    let bytes: Data
    if data.count >= 2, data[data.startIndex] == 0x1f, data[data.startIndex + 1] == 0x8b {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw InputError.unreadable(path: path, reason: "it is gzip-compressed and gzip is not available")
        }
        bytes = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InputError.unreadable(path: path, reason: "a damaged gzip file")
        }
    } else {
        bytes = data
    }
    guard let text = String(data: bytes, encoding: .utf8) else {
        throw InputError.unreadable(path: path, reason: "not UTF-8 text")
    }
    return text
}
