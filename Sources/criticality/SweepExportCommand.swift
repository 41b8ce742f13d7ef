import ArgumentParser
import Campaign
import CriticalityCore
import Foundation

/// `sweep export DIR`: one tidy CSV of every stored task.
struct SweepExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one tidy CSV of all finished tasks (a task column, then the simulate columns).",
        discussion: """
            Tasks appear in plan order. When some tasks are missing or corrupt, nothing is written and the \
            command exits with status 1, naming how many; --allow-partial writes the finished ones (with a \
            note on stderr) and exits 0.
            """
    )

    @Argument(help: ArgumentHelp("The campaign store.", valueName: "DIR"))
    var store: String
    @Option(name: [.customShort("o"), .customLong("output")], help: "Write to FILE instead of standard output.")
    var output: String?
    @Flag(name: .customLong("allow-partial"), help: "Export the finished tasks even when others are missing or corrupt.")
    var allowPartial = false

    func run() throws {
        let campaign = ModelRegistry.store(store)
        let (text, missing, tasks) = try campaign.export()
        if missing > 0 {
            guard allowPartial else {
                throw SweepIncomplete(name: (try? campaign.loadSpecification().name) ?? store, total: tasks,
                                      undone: [], summary: "\(missing) of \(tasks) tasks are missing or corrupt, so nothing was exported (sweep status lists them; --allow-partial exports the rest)")
            }
            noteOnStderr("sweep export: \(missing) of \(tasks) tasks are not done and were left out")
        }
        if let output { try writeOutput(text, to: output) } else { try writeToStandardOutput(text) }
    }
}

