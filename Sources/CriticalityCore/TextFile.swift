import Foundation

/// The text of a file, plain UTF-8 or gzip-compressed. Compression is recognised by the gzip magic
/// bytes (1f 8b), not by the name, so a real `.gz` file and plain text named `.gz` both read; the
/// system's `gzip` decompresses.
///
/// - Throws: ``InputError/unreadable(path:reason:)`` for a missing file, a file that is not UTF-8
///   text, a damaged gzip stream, or no `gzip` to decompress with.
public func readTextFile(_ path: String) throws -> String {
    guard let text = String(data: try readFileData(path), encoding: .utf8) else {
        throw InputError.unreadable(path: path, reason: "not UTF-8 text")
    }
    return text
}

/// The bytes of a file, decompressed when they are gzip (recognised by the magic bytes 1f 8b).
///
/// - Throws: ``InputError/unreadable(path:reason:)`` for a missing or unreadable file, a damaged
///   gzip stream, or no `gzip` to decompress with.
public func readFileData(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        throw InputError.unreadable(path: path, reason: !exists ? "no such file" : isFolder.boolValue ? "it is a folder" : "not readable")
    }
    guard data.count >= 2, data[data.startIndex] == 0x1f, data[data.startIndex + 1] == 0x8b else { return data }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-dc", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch {
        throw InputError.unreadable(path: path, reason: "it is gzip-compressed and gzip is not available")
    }
    let bytes = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw InputError.unreadable(path: path, reason: "a damaged gzip file") }
    return bytes
}
