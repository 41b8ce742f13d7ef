import Foundation
import Testing
@testable import CriticalityCore

/// The IDX reader on small files the test writes (MNIST's format: images 0x00000803, labels 0x00000801).
@Suite struct IDXFileTests {
    static func idx(type: UInt8, shape: [Int], payload: [UInt8]) -> Data {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for s in shape { bytes += [UInt8(s >> 24 & 0xff), UInt8(s >> 16 & 0xff), UInt8(s >> 8 & 0xff), UInt8(s & 0xff)] }
        return Data(bytes + payload)
    }

    @Test("images and labels: shapes, values, rows; float and signed types; gzip by content")
    func readsIDX() throws {
        let images = Self.idx(type: 0x08, shape: [3, 2, 2], payload: Array(0..<12).map(UInt8.init))
        let file = try IDXFile(data: images)
        #expect(file.shape == [3, 2, 2])
        #expect(file.rows == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
        let labels = try IDXFile(data: Self.idx(type: 0x08, shape: [3], payload: [7, 0, 255]))
        #expect(labels.rows == [[7], [0], [255]])
        let signed = try IDXFile(data: Self.idx(type: 0x09, shape: [2], payload: [0xff, 0x02]))
        #expect(signed.values == [-1, 2])
        let floats = try IDXFile(data: Self.idx(type: 0x0D, shape: [1], payload: [0x3f, 0xc0, 0, 0]))
        #expect(floats.values == [1.5])
        // Written gzipped, read by content whatever the name.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("train-images-idx3-ubyte")
        try images.write(to: plain)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(try IDXFile(contentsOf: plain.path + ".gz").rows == file.rows)
        #expect(try IDXFile(contentsOf: plain.path).rows == file.rows)
    }

    @Test("damaged IDX data is an error, never a trap", arguments: [
        Data([1, 0, 8, 1, 0, 0, 0, 1, 5]),                          // bad magic
        Data([0, 0, 0x42, 1, 0, 0, 0, 1, 5]),                       // unknown type
        Data([0, 0, 8, 3, 0, 0, 0, 2]),                             // header cut short
        Data([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]),                       // sizes need more data
        Data([0, 0, 8, 4, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]),  // absurd sizes
        Data([0, 0, 8, 0]),                                         // no dimensions
        Data([0, 0, 8, 2, 255, 255, 255, 255, 0, 0, 0, 0]),         // 2³² − 1 rows of nothing (found by fuzzing)
    ])
    func damaged(data: Data) {
        #expect(throws: InputError.self) { try IDXFile(data: data) }
    }
}
