import CriticalityCore
import Foundation

/// A campaign's results on disk: one directory, `campaign.json` (the specification's text, name and
/// model) and one file per finished task, `tasks/ID.json`, written atomically (a temporary file,
/// flushed to disk, then renamed), so that a run killed at any moment leaves only whole files.
///
/// While a task runs, `tasks/ID.lock` claims it, so that two runs on one store never compute the
/// same task (see ``claim(_:)``).
///
/// A task file is a JSON object: `task` (the id), `index`, `parameters`, `seed`, `tool`,
/// `version`, `seconds`, `csv` (the task's per-depth table, exactly as `simulate` writes it),
/// `blocks_csv` (per block of consecutive realisations, at most 32 blocks: `block, realisations,
/// depth, rho` and for lattice models `active, survival`; the means that bootstrap errors resample)
/// and `checksum` (FNV-1a of `csv`, a newline and `blocks_csv`, 16 hexadecimal digits). A file that does not parse, names another
/// task or fails its checksum is reported as corrupt and recomputed.
public struct CampaignStore: Sendable {
    public let path: String
    /// The models whose specifications the store's campaign.json may hold.
    public let schema: SweepSchema

    public init(path: String, schema: SweepSchema) {
        self.path = path
        self.schema = schema
    }

    public var tasksFolder: String { (path as NSString).appendingPathComponent("tasks") }
    public var specificationFile: String { (path as NSString).appendingPathComponent("campaign.json") }

    public func taskFile(_ id: String) -> String { (tasksFolder as NSString).appendingPathComponent("\(id).json") }

    /// The lock that claims a running task: `tasks/ID.lock`, built from the folder and the id alone
    /// (never by editing the task file's path, which may contain `.json` anywhere).
    public func lockFile(_ id: String) -> String { (tasksFolder as NSString).appendingPathComponent("\(id).lock") }

    /// Creates the store for `spec`, or checks that an existing one holds the same campaign.
    public func prepare(for spec: SweepSpecification, tool: String, version: String) throws {
        if let existing = try? loadSpecification() {
            guard existing.name == spec.name, existing.model == spec.model else {
                throw CampaignError.invalidStore("\(path) holds campaign '\(existing.name)' (\(existing.model)), not '\(spec.name)' (\(spec.model))")
            }
        }
        try FileManager.default.createDirectory(atPath: tasksFolder, withIntermediateDirectories: true)
        let object = JSONValue.object([
            JSONValue.Field("name", .string(spec.name)), JSONValue.Field("model", .string(spec.model)),
            JSONValue.Field("tool", .string(tool)), JSONValue.Field("version", .string(version)),
            JSONValue.Field("tasks", .integer(spec.tasks.count)), JSONValue.Field("specification", .string(spec.text)),
        ])
        try writeAtomically(object.rendered() + "\n", to: specificationFile)
    }

    /// The specification the store was created with.
    public func loadSpecification() throws -> SweepSpecification {
        guard let data = FileManager.default.contents(atPath: specificationFile),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let text = object["specification"] as? String else {
            throw CampaignError.invalidStore("\(path) is not a campaign store (no readable campaign.json)")
        }
        return try SweepSpecification(text: text, schema: schema)
    }

    /// What the store holds for a task.
    public enum TaskState: Equatable, Sendable {
        case missing
        case corrupt(String)
        case done(csv: String, blocks: String, seconds: Double)
    }

    public func state(of task: SweepTask) -> TaskState {
        let file = taskFile(task.id)
        guard let data = FileManager.default.contents(atPath: file) else { return .missing }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .corrupt("\(file) is not valid JSON")
        }
        guard object["task"] as? String == task.id else { return .corrupt("\(file) names another task") }
        guard let csv = object["csv"] as? String, let blocks = object["blocks_csv"] as? String,
              let checksum = object["checksum"] as? String,
              checksum == Self.checksum(csv + "\n" + blocks) else { return .corrupt("\(file) fails its checksum") }
        return .done(csv: csv, blocks: blocks, seconds: object["seconds"] as? Double ?? .nan)
    }

    /// Writes a finished task atomically.
    public func store(_ task: SweepTask, seed: UInt64, csv: String, blocks: String, seconds: Double,
                      tool: String, version: String) throws {
        let parameters = JSONValue.object(task.parameters.map { p in
            switch p.value {
            case .number(let x): JSONValue.Field(p.name, .number(x))
            case .integer(let i): JSONValue.Field(p.name, .integer(i))
            case .text(let s): JSONValue.Field(p.name, .string(s))
            }
        })
        let object = JSONValue.object([
            JSONValue.Field("task", .string(task.id)), JSONValue.Field("index", .integer(task.index)),
            JSONValue.Field("parameters", parameters), JSONValue.Field("seed", .unsigned(seed)),
            JSONValue.Field("tool", .string(tool)), JSONValue.Field("version", .string(version)),
            JSONValue.Field("seconds", .number(seconds)), JSONValue.Field("csv", .string(csv)),
            JSONValue.Field("blocks_csv", .string(blocks)),
            JSONValue.Field("checksum", .string(Self.checksum(csv + "\n" + blocks))),
        ])
        try writeAtomically(object.rendered() + "\n", to: taskFile(task.id))
    }

    /// One tidy CSV of every finished task, in plan order: a `task` column, then the columns of the
    /// tasks' own tables; also the number of tasks left out (missing or corrupt) and of all tasks.
    /// This is what `sweep export` prints, and what commands that read results take from a store.
    public func export() throws -> (csv: String, missing: Int, tasks: Int) {
        let e = try exportWithBlocks()
        return (e.csv, e.missing, e.tasks)
    }

    /// ``export()`` and, by task id, each finished task's blocks table (CSV), from one read of the store.
    public func exportWithBlocks() throws -> (csv: String, missing: Int, tasks: Int, blocks: [String: String]) {
        let spec = try loadSpecification()
        var text = "", missing = 0
        var blocks: [String: String] = [:]
        for task in spec.tasks {
            guard case .done(let csv, let taskBlocks, _) = state(of: task) else { missing += 1; continue }
            blocks[task.id] = taskBlocks
            var lines = csv.split(separator: "\n", omittingEmptySubsequences: true)
            guard !lines.isEmpty else { continue }
            let header = lines.removeFirst()
            if text.isEmpty { text = "task," + header + "\n" }
            for line in lines { text += task.id + "," + line + "\n" }
        }
        return (text, missing, spec.tasks.count, blocks)
    }

    static func checksum(_ text: String) -> String {
        let hex = String(fnv1a(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
