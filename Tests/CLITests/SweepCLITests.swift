import Foundation
import Testing

@Suite(.serialized) struct SweepCLITests {
    static let specification = """
        name = "mlp-width-scaling"
        model = "mlp"
        activation = "tanh"
        sigma_b = 0.3
        sigma_w = "critical"
        width = [16, 24, 32, 48]
        depth = 40
        samples = 24
        """

    func write(_ text: String, in folder: URL, name: String = "spec.toml") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("sweep plan: one row per task, stable ids, grids as lists and ranges")
    func plan() throws {
        let folder = try temporaryFolder()
        let spec = try write(Self.specification, in: folder)
        let a = try runCLI(["sweep", "plan", spec]), b = try runCLI(["sweep", "plan", spec])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout == b.stdout)
        let csv = parseCSV(a.stdout)
        #expect(csv.header.prefix(2) == ["task", "index"] && csv.header.suffix(2) == ["cost", "est_seconds"])
        #expect(csv.rows.count == 4 && Set(csv.rows.map { $0[0] }).count == 4)
        // Adding a width keeps the ids of the tasks that were there.
        let grown = try write(Self.specification.replacingOccurrences(of: "[16, 24, 32, 48]", with: "[16, 24, 32, 48, 64]"),
                              in: folder, name: "grown.toml")
        let more = parseCSV(try runCLI(["sweep", "plan", grown]).stdout)
        #expect(Set(csv.rows.map { $0[0] }).isSubset(of: Set(more.rows.map { $0[0] })))
        let range = try write("""
            name = "dp"
            model = "dp"
            p = { from = 0.6, to = 0.7, steps = 3 }
            size = [64, 128]
            depth = 10
            samples = 2
            """, in: folder, name: "range.toml")
        let untied = try write("name = \"u\"\nmodel = \"cnn\"\nsigma_w = 1.6\nuntied = [false, true]\ndepth = 5\nsamples = 2",
                               in: folder, name: "untied.toml")
        #expect(parseCSV(try runCLI(["sweep", "plan", untied]).stdout).rows.map { $0[$0.count - 3] } == ["false", "true"])
        let r = parseCSV(try runCLI(["sweep", "plan", range]).stdout)
        #expect(r.rows.count == 6 && Set(r.rows.map { $0[r.header.firstIndex(of: "p")!] }) == ["0.6", "0.65", "0.7"])
    }

    @Test("sweep run, status and export; a rerun computes nothing; a truncated task file is recomputed")
    func runAndResume() throws {
        let folder = try temporaryFolder()
        let spec = try write(Self.specification, in: folder)
        let store = folder.appendingPathComponent("store").path
        let first = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("4/4 tasks done (4 computed"))
        let export = try runCLI(["sweep", "export", store])
        let csv = parseCSV(export.stdout)
        #expect(csv.header.first == "task" && csv.header.contains("rho"))
        #expect(csv.rows.count == 4 * 40)
        // Each task file carries its blocks of realisations; their weighted means give back rho.
        let tasksFolder = folder.appendingPathComponent("store/tasks")
        let some = try #require(try FileManager.default.contentsOfDirectory(atPath: tasksFolder.path).first { $0.hasSuffix(".json") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: tasksFolder.appendingPathComponent(some))) as? [String: Any])
        let blocks = parseCSV(try #require(object["blocks_csv"] as? String))
        #expect(blocks.header == ["block", "realisations", "depth", "rho"])
        let atTen = blocks.rows.filter { $0[2] == "10" }
        #expect(atTen.count == 3 && atTen.map { Int($0[1])! }.reduce(0, +) == 24)
        let weighted = atTen.reduce(0.0) { $0 + Double($1[1])! * Double($1[3])! } / 24
        let table = parseCSV(try #require(object["csv"] as? String))
        let rho = try #require(Double(table.rows[9][table.header.firstIndex(of: "rho")!]))
        #expect(abs(weighted - rho) < 1e-12 * rho)
        let again = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(again.stderr.contains("(0 computed, 0 of them recomputed, 4 already stored)"))
        // Truncate one task file: detected, reported, recomputed, and the export is unchanged.
        let tasks = folder.appendingPathComponent("store/tasks")
        let victim = try #require(try FileManager.default.contentsOfDirectory(atPath: tasks.path).sorted().first)
        let path = tasks.appendingPathComponent(victim).path
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        let status = try runCLI(["sweep", "status", store])
        #expect(status.stdout.contains("corrupt") && status.stderr.contains("3/4 tasks done"))
        let repair = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(repair.stderr.contains("recomputing") && repair.stderr.contains("(1 computed, 1 of them recomputed"))
        #expect(try runCLI(["sweep", "export", store]).stdout == export.stdout)
    }

    @Test("a sweep killed with SIGKILL part-way (some tasks stored, some not) and run again exports exactly what an uninterrupted run does")
    func killAndResume() throws {
        let folder = try temporaryFolder()
        let text = Self.specification.replacingOccurrences(of: "[16, 24, 32, 48]", with: "[64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 256]")
            .replacingOccurrences(of: "depth = 40", with: "depth = 400").replacingOccurrences(of: "samples = 24", with: "samples = 64")
        let spec = try write(text, in: folder)
        let reference = folder.appendingPathComponent("reference").path
        let interrupted = folder.appendingPathComponent("interrupted").path
        #expect(try runCLI(["sweep", "run", spec, "--store", reference, "--threads", "1"]).status == 0)
        let process = Process()
        process.executableURL = criticalityExecutable
        process.arguments = ["sweep", "run", spec, "--store", interrupted, "--threads", "2"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once the first task is stored, a random moment later: part-way, never before or after.
        let tasks = interrupted + "/tasks"
        func stored() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).filter { $0.hasSuffix(".json") }.count }
        let deadline = Date().addingTimeInterval(60)
        while stored() == 0 && process.isRunning && Date() < deadline { usleep(2_000) }
        usleep(UInt32.random(in: 0...20_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it was killed")
        let before = stored()
        #expect(before >= 1 && before < 12, "\(before) of 12 tasks stored when killed")
        let resumed = try runCLI(["sweep", "run", spec, "--store", interrupted])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = try runCLI(["sweep", "export", reference]).stdout, b = try runCLI(["sweep", "export", interrupted]).stdout
        #expect(!a.isEmpty && a == b)
    }

    @Test("two runs on one store at the same time compute every task once, and export what one run does")
    func concurrentRuns() throws {
        let folder = try temporaryFolder()
        let text = Self.specification.replacingOccurrences(of: "[16, 24, 32, 48]", with: "[64, 80, 96, 112, 128, 144, 160, 176]")
            .replacingOccurrences(of: "depth = 40", with: "depth = 200").replacingOccurrences(of: "samples = 24", with: "samples = 32")
        let spec = try write(text, in: folder)
        let shared = folder.appendingPathComponent("shared").path, alone = folder.appendingPathComponent("alone").path
        nonisolated(unsafe) var results: [CLIResult?] = [nil, nil]
        let threads = (0..<2).map { k in
            Thread { results[k] = try? runCLI(["sweep", "run", spec, "--store", shared, "--threads", "1"]) }
        }
        threads.forEach { $0.start() }
        while threads.contains(where: { !$0.isFinished }) { usleep(10_000) }
        var computed = 0
        for r in results {
            let result = try #require(r)
            #expect(result.status == 0, "\(result.stderr)")
            let text = result.stderr
            let range = try #require(text.range(of: #"\((\d+) computed"#, options: .regularExpression))
            computed += Int(text[range].dropFirst().split(separator: " ")[0]) ?? -100
        }
        #expect(computed == 8)
        _ = try runCLI(["sweep", "run", spec, "--store", alone])
        #expect(try runCLI(["sweep", "export", shared]).stdout == runCLI(["sweep", "export", alone]).stdout)
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared + "/tasks").allSatisfy { $0.hasSuffix(".json") })
    }

    @Test("shards 1/2 and 2/2 into one store export the same as one run")
    func shards() throws {
        let folder = try temporaryFolder()
        let spec = try write(Self.specification, in: folder)
        let whole = folder.appendingPathComponent("whole").path, split = folder.appendingPathComponent("split").path
        _ = try runCLI(["sweep", "run", spec, "--store", whole])
        let one = try runCLI(["sweep", "run", spec, "--store", split, "--shard", "1/2"])
        #expect(one.stderr.contains("2/2 tasks done"))
        _ = try runCLI(["sweep", "run", spec, "--store", split, "--shard", "2/2"])
        #expect(try runCLI(["sweep", "export", whole]).stdout == runCLI(["sweep", "export", split]).stdout)
    }

    @Test("bad sweep input: one line on stderr, exit status 2")
    func badInput() throws {
        let folder = try temporaryFolder()
        let cases = [
            "name = \"x\"\nmodel = \"mlp\"\nwidth = 64\ndepth = 10\nsamples = 2\ncolour = 3",
            "name = \"x\"\nmodel = \"mlp\"\nwidth = 64.5\ndepth = 10\nsamples = 2",
            "name = \"x\"\nmodel = \"rnn\"\ndepth = 10\nsamples = 2",
            "name = \"x\"\nmodel = \"mlp\"\nsamples = 2",
            "name = \"x\"\nmodel = \"mlp\"\nwidth = [\ndepth = 1",
            "name = \"x\"\nmodel = \"dp\"\np = { from = 0.1, to = 0.2 }\ndepth = 10\nsamples = 2",
        ]
        for (k, text) in cases.enumerated() {
            let spec = try write(text, in: folder, name: "bad\(k).toml")
            let r = try runCLI(["sweep", "plan", spec])
            #expect(r.status == 2, "\(text)")
            #expect(r.stderrLines.count == 1, "\(r.stderr)")
        }
        #expect(try runCLI(["sweep", "plan", "/no/such/spec.toml"]).status == 2)
        #expect(try runCLI(["sweep", "status", folder.path]).status == 2)
        let spec = try write(Self.specification, in: folder)
        #expect(try runCLI(["sweep", "run", spec, "--store", folder.appendingPathComponent("s").path, "--shard", "3/2"]).status == 2)
    }
}

/// The quality pass's reproductions (issue 16): each failed on version 0.2.0.
@Suite(.serialized) struct SweepDefectTests {
    func write(_ text: String, in folder: URL, name: String = "spec.toml") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let small = """
        name = "small"
        model = "dp"
        p = [0.6, 0.7]
        size = 64
        depth = 20
        samples = 2
        """

    @Test("a store whose path contains .json runs and stores its tasks (0.2.0: 'another process', exit 0, nothing stored)")
    func storePathWithJSON() throws {
        let folder = try temporaryFolder()
        let spec = try write(Self.small, in: folder)
        let store = folder.appendingPathComponent("runs.json/res.json").path
        let r = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("2/2 tasks done (2 computed"), "\(r.stderr)")
        #expect(parseCSV(try runCLI(["sweep", "export", store]).stdout).rows.count == 2 * 20)
    }

    @Test("grids with repeated values (integer rounding, lists) and steps = 1 with from != to are rejected in one line")
    func repeatedGridValues() throws {
        let folder = try temporaryFolder()
        let cases = [
            ("size = { from = 64, to = 65, steps = 4 }", "twice"),
            ("size = { from = 64, to = 128, steps = 1 }", "steps = 1"),
            ("p = [0.64, 0.64]", "twice"),
            ("size = [64, 64]", "twice"),
        ]
        for (k, (line, word)) in cases.enumerated() {
            let text = "name = \"g\"\nmodel = \"dp\"\ndepth = 10\nsamples = 2\n" + line
            let spec = try write(text, in: folder, name: "g\(k).toml")
            for command in [["sweep", "plan", spec], ["sweep", "run", spec, "--store", folder.appendingPathComponent("s\(k)").path]] {
                let r = try runCLI(command)
                #expect(r.status == 2, "\(line): \(r.stderr)")
                #expect(r.stderrLines.count == 1 && r.stderr.contains(word), "\(r.stderr)")
            }
        }
    }

    @Test("a sweep that ends with a task held by another host exits 1 and names it; other tasks are done")
    func foreignLock() throws {
        let folder = try temporaryFolder()
        let spec = try write(Self.small, in: folder)
        let store = folder.appendingPathComponent("store").path
        let ids = parseCSV(try runCLI(["sweep", "plan", spec]).stdout).rows.map { $0[0] }
        try FileManager.default.createDirectory(atPath: store + "/tasks", withIntermediateDirectories: true)
        try "some-other-host.example 4242\n".write(toFile: "\(store)/tasks/\(ids[0]).lock", atomically: true, encoding: .utf8)
        let r = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(ids[0]) && r.stderr.contains("another host"), "\(r.stderr)")
        #expect(r.stderr.contains("1/2 tasks done"))
        // Once the foreign run is gone (its lock removed), the same command completes the sweep.
        try FileManager.default.removeItem(atPath: "\(store)/tasks/\(ids[0]).lock")
        #expect(try runCLI(["sweep", "run", spec, "--store", store]).status == 0)
    }

    @Test("locks with garbage, or naming a live process that is not a sweep run, are taken over, not trusted")
    func untrustedLocks() throws {
        let folder = try temporaryFolder()
        let spec = try write(Self.small, in: folder)
        let store = folder.appendingPathComponent("store").path
        let ids = parseCSV(try runCLI(["sweep", "plan", spec]).stdout).rows.map { $0[0] }
        try FileManager.default.createDirectory(atPath: store + "/tasks", withIntermediateDirectories: true)
        try "\u{0}\u{1}garbage".write(toFile: "\(store)/tasks/\(ids[0]).lock", atomically: true, encoding: .utf8)
        // This test process is alive but is not `criticality`: its id in a lock is a reused id.
        try "\(ProcessInfo.processInfo.hostName) \(getpid())\n".write(toFile: "\(store)/tasks/\(ids[1]).lock", atomically: true, encoding: .utf8)
        let r = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("2/2 tasks done (2 computed") && r.stderr.contains("taking it over"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store + "/tasks").allSatisfy { $0.hasSuffix(".json") })
    }
}

/// Sweep specifications are validated by the same model descriptions as the command line.
@Suite(.serialized) struct SweepValidationTests {
    @Test("values the command line rejects are rejected by sweep plan and sweep run before any task runs", arguments: [
        ("dp", "p = 1.5", ["simulate", "dp", "--p", "1.5"]),
        ("dp", "dim = 3", ["simulate", "dp", "--dim", "3"]),
        ("mlp", "sigma_w = -1", ["simulate", "mlp", "--sigma-w", "-1"]),
        ("mlp", "sigma_w = 1.4\nc0 = 1.5", ["simulate", "mlp", "--sigma-w", "1.4", "--c0", "1.5"]),
        ("cnn", "sigma_w = 1.6\nkernel = 4", ["simulate", "cnn", "--sigma-w", "1.6", "--kernel", "4"]),
        ("cnn", "sigma_w = \"chaotic\"", ["simulate", "cnn", "--sigma-w", "chaotic"]),
        ("mlp", "sigma_w = 1.4\nactivation = \"relux\"", ["simulate", "mlp", "--sigma-w", "1.4", "--activation", "relux"]),
        ("dp", "seed = -1", ["simulate", "dp", "--seed", "-1"]),
        ("mlp", "sigma_w = 1.4\nwidth = 100000000000", ["simulate", "mlp", "--sigma-w", "1.4", "--width", "100000000000"]),
        ("dp", "size = [64, 100000000000]", ["simulate", "dp", "--size", "100000000000"]),
    ])
    func sameValidation(model: String, line: String, flags: [String]) throws {
        let folder = try temporaryFolder()
        // A valid first value, so that a run that validated lazily would store a task before failing.
        let good: String = model == "dp" ? "size = [64]\n" : "sigma_b = [0.3]\n"
        let text = "name = \"v\"\nmodel = \"\(model)\"\ndepth = 5\nsamples = 2\n" + good + line + "\n"
        let spec = folder.appendingPathComponent("v.toml").path
        try text.write(toFile: spec, atomically: true, encoding: .utf8)
        let plan = try runCLI(["sweep", "plan", spec])
        #expect(plan.status == 2 && plan.stderrLines.count == 1, "\(line): \(plan.stderr)")
        let store = folder.appendingPathComponent("store").path
        let run = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(run.status == 2, "\(line): \(run.stderr)")
        let stored = (try? FileManager.default.contentsOfDirectory(atPath: store + "/tasks")) ?? []
        #expect(stored.filter { $0.hasSuffix(".json") }.isEmpty, "a task ran before the specification was rejected")
        let cli = try runCLI(flags + ["--depth", "5", "--samples", "2"])
        #expect(cli.status == 2, "\(flags): \(cli.stderr)")
    }
}

@Suite(.serialized) struct SweepExportTests {
    @Test("sweep export of a store with missing tasks writes nothing and exits 1, unless --allow-partial")
    func partialExport() throws {
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("spec.toml").path
        try "name = \"e\"\nmodel = \"dp\"\np = [0.6, 0.7]\nsize = 64\ndepth = 10\nsamples = 2\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        #expect(try runCLI(["sweep", "run", spec, "--store", store]).status == 0)
        let tasks = store + "/tasks"
        let victim = try #require(try FileManager.default.contentsOfDirectory(atPath: tasks).first { $0.hasSuffix(".json") })
        try FileManager.default.removeItem(atPath: tasks + "/" + victim)
        let out = folder.appendingPathComponent("out.csv").path
        let r = try runCLI(["sweep", "export", store, "-o", out])
        #expect(r.status == 1 && r.stderrLines.count == 1 && r.stderr.contains("1 of 2 tasks"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let partial = try runCLI(["sweep", "export", store, "-o", out, "--allow-partial"])
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(parseCSV(try String(contentsOfFile: out, encoding: .utf8)).rows.count == 10)
        // Nothing done at all: still no file, exit 1 (0.2.0 wrote a 0-byte file and exited 0).
        try FileManager.default.removeItem(atPath: tasks)
        try FileManager.default.removeItem(atPath: out)
        #expect(try runCLI(["sweep", "export", store, "-o", out]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

@Suite(.serialized) struct SweepLeftoverTests {
    @Test("leftovers of an interrupted run (unfinished writes, stale locks, lock drafts) are removed and reported")
    func leftovers() throws {
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("spec.toml").path
        try "name = \"l\"\nmodel = \"dp\"\np = [0.6, 0.7]\nsize = 64\ndepth = 10\nsamples = 2\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        #expect(try runCLI(["sweep", "run", spec, "--store", store]).status == 0)
        // A process that has ended: its id names no live run.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let pid = gone.processIdentifier
        let tasks = store + "/tasks"
        let ids = try FileManager.default.contentsOfDirectory(atPath: tasks).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        try "partial".write(toFile: "\(tasks)/.\(ids[0]).json.\(pid).tmp", atomically: false, encoding: .utf8)
        try "\(ProcessInfo.processInfo.hostName) \(pid)\n".write(toFile: "\(tasks)/\(ids[1]).lock", atomically: false, encoding: .utf8)
        try "draft".write(toFile: "\(tasks)/\(ids[1]).lock.\(pid).claim", atomically: false, encoding: .utf8)
        let r = try runCLI(["sweep", "run", spec, "--store", store])
        #expect(r.status == 0 && r.stderr.contains("removed 3 leftover"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tasks).allSatisfy { $0.hasSuffix(".json") && !$0.hasPrefix(".") })
    }
}

@Suite struct SweepSizeTests {
    @Test("a grid of ten million tasks is refused at once, in little memory (0.2.0: 5.8 GB and over a minute)")
    func hugeGrid() throws {
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("big.toml").path
        try "name = \"big\"\nmodel = \"dp\"\np = { from = 0.1, to = 0.9, steps = 10000 }\nsize = { from = 10, to = 100000, steps = 1000 }\ndepth = 10\nsamples = 2\n"
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let start = Date()
        let r = try runCLI(["sweep", "plan", spec])
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("10000000 tasks"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 10)
        let store = folder.appendingPathComponent("store").path
        #expect(try runCLI(["sweep", "run", spec, "--store", store]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: store), "nothing, not even a lock, is left behind")
    }
}
