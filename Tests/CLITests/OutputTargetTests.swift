import Foundation
import Testing

/// `-o` never replaces anything but a regular file (issue 17: as root, `-o /dev/full` replaced the
/// system's /dev/full by a regular file).
@Suite(.serialized) struct OutputTargetTests {
    static let command = ["meanfield", "point", "--activation", "tanh", "--sigma-w", "1.5"]

    func fileType(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    @Test("a character device (made with mknod) is written through and stays a device")
    func characterDevice() throws {
        let folder = try temporaryFolder()
        let null = folder.appendingPathComponent("null").path
        let full = folder.appendingPathComponent("full").path
        // The same devices as /dev/null (1, 3) and /dev/full (1, 7). Making them needs root, as
        // the tool's sessions and CI run; elsewhere the test says so and checks nothing.
        // glibc's makedev(1, m) is (1 << 8) | m for small numbers.
        guard mknod(null, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0, mknod(full, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 else {
            print("mknod not permitted here; device test skipped")
            return
        }
        let r = try runCLI(Self.command + ["-o", null])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(fileType(null) == S_IFCHR)
        #expect(!FileManager.default.fileExists(atPath: null + ".json"), "no sidecar beside a device")
        let f = try runCLI(Self.command + ["-o", full])
        #expect(f.status == 2 && f.stderrLines.count == 1 && f.stderr.contains("No space left"), "\(f.stderr)")
        #expect(fileType(full) == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["full", "null"])
    }

    @Test("a FIFO is written through to its reader and stays a FIFO")
    func fifo() throws {
        let folder = try temporaryFolder()
        let pipe = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(pipe, 0o644) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread { received = FileHandle(forReadingAtPath: pipe)?.readDataToEndOfFile() ?? Data() }
        reader.start()
        let r = try runCLI(Self.command + ["-o", pipe])
        while !reader.isFinished { usleep(1000) }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("activation,sigma_w"))
        #expect(fileType(pipe) == S_IFIFO)
    }

    @Test("a symbolic link is followed: its target is replaced, the link stays a link")
    func symlink() throws {
        let folder = try temporaryFolder()
        let target = folder.appendingPathComponent("target.csv").path
        let link = folder.appendingPathComponent("link.csv").path
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.csv")
        let r = try runCLI(Self.command + ["-o", link])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(fileType(link) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("activation,sigma_w"))
    }

    @Test("a folder is refused with one line")
    func folder() throws {
        let folder = try temporaryFolder()
        let r = try runCLI(Self.command + ["-o", folder.path])
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("folder"), "\(r.stderr)")
    }

    @Test("standard output on a full disk: one line and exit status 2, no crash")
    func fullStandardOutput() throws {
        let process = Process()
        process.executableURL = criticalityExecutable
        process.arguments = Self.command
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2 && process.terminationReason == .exit, "\(message)")
        #expect(message.contains("cannot write standard output"), "\(message)")
    }
}

@Suite(.serialized) struct FailedCommandOutputTests {
    @Test("a command whose figure cannot be written leaves neither its CSV nor its sidecar behind (0.2.0 left both, exit 2)")
    func noPartialOutputs() throws {
        let folder = try temporaryFolder()
        let blocker = folder.appendingPathComponent("blocker")
        try Data("not a folder".utf8).write(to: blocker)
        let csv = folder.appendingPathComponent("out.csv").path
        let figure = blocker.appendingPathComponent("figure.svg").path
        for command in [["simulate", "dp", "--size", "64", "--depth", "10", "--samples", "2"],
                        ["simulate", "mlp", "--critical", "--width", "16", "--depth", "10", "--samples", "4"],
                        ["meanfield", "trajectory", "--activation", "tanh", "--critical", "--depth", "20"]] {
            let r = try runCLI(command + ["-o", csv, "--plot", figure])
            #expect(r.status == 2 && r.stderrLines.count == 1, "\(command): \(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["blocker"], "\(command)")
        }
        // An existing output is left as it was.
        try "previous\n".write(toFile: csv, atomically: true, encoding: .utf8)
        _ = try runCLI(["simulate", "dp", "--size", "64", "--depth", "10", "-o", csv, "--plot", figure])
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "previous\n")
    }
}
