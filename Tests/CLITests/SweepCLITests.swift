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

    @Test("a sweep killed with SIGKILL and run again exports exactly what an uninterrupted run does")
    func killAndResume() throws {
        let folder = try temporaryFolder()
        let text = Self.specification.replacingOccurrences(of: "[16, 24, 32, 48]", with: "[64, 96, 128, 160, 192, 256]")
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
        usleep(UInt32.random(in: 50_000...400_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
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
