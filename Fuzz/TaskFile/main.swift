import Campaign
import Foundation
import FuzzDriver
import Scaling

// The campaign store's task-file reader: the input is written as a task file of a small store,
// which is then read as `sweep status`, `sweep export` and the analysis commands read it.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("criticality-fuzz-\(getpid())").path
let schema = SweepSchema(models: ["dp": ["p": .number, "depth": .integer, "samples": .integer, "size": .integer]],
                         required: ["depth", "samples"])
let store = CampaignStore(path: folder, schema: schema)
let spec = try! SweepSpecification(text: "name = \"fuzz\"\nmodel = \"dp\"\np = 0.6\nsize = 64\ndepth = 10\nsamples = 2\n", schema: schema)
try! store.prepare(for: spec, tool: "criticality", version: "fuzz")
let task = spec.tasks[0]

runFuzzer { data, size in
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    try? bytes.write(to: URL(fileURLWithPath: store.taskFile(task.id)))
    _ = store.state(of: task)
    if let export = try? store.exportWithBlocks(), !export.csv.isEmpty {
        _ = try? TidyTable(parsing: export.csv)
        for text in export.blocks.values { _ = try? TidyTable(parsing: text) }
    }
    _ = store.removeLeftovers()
    return 0
}
