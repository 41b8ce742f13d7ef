import Foundation
import Testing
@testable import CriticalityCore

/// `writeAtomically`, exercised: a reader that polls a file while it is rewritten over and over
/// only ever sees one whole version, and no temporary file is left behind.
@Suite struct FileOutputTests {
    @Test("a concurrent reader sees only whole versions of a file being replaced")
    func readersNeverSeeHalfAFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("nested/result.csv").path
        // Two versions of 4 MiB each: a torn read would mix them or come out short.
        let size = 1 << 22
        let versions = [String(repeating: "a", count: size), String(repeating: "b", count: size)]
        try writeAtomically(versions[0], to: path)  // creates the missing folder
        let done = LockedValue(false)
        nonisolated(unsafe) var reads = 0, torn = 0
        let reader = Thread {
            while !done.value {
                guard let data = FileManager.default.contents(atPath: path) else { torn += 1; continue }
                reads += 1
                if data.count != size || !(data.first == data.last && data.allSatisfy({ $0 == data.first })) { torn += 1 }
            }
        }
        reader.start()
        for k in 0..<40 { try writeAtomically(versions[k % 2], to: path) }
        done.withValue { $0 = true }
        while !reader.isFinished { usleep(1000) }
        #expect(reads > 0)
        #expect(torn == 0, "\(torn) of \(reads) reads saw a partial or missing file")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == versions[1])
        let left = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(left == ["result.csv"], "\(left)")
    }

    @Test("a write into a folder that cannot be created fails with one message and leaves nothing")
    func unwritableFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A regular file where a folder would have to be.
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        #expect(throws: OutputError.self) { try writeAtomically("data", to: blocker.appendingPathComponent("out.csv").path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["file"])
    }
}
