import ArgumentParser
import Campaign
import CriticalityCore
import Foundation

/// `sweep export DIR`: one tidy CSV of every stored task.
struct SweepExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one tidy CSV of all finished tasks (a task column, then the simulate columns).",
        discussion: "Tasks appear in plan order; missing or corrupt ones are left out, with a note on stderr."
    )

    @Argument(help: ArgumentHelp("The campaign store.", valueName: "DIR"))
    var store: String
    @Option(name: [.customShort("o"), .customLong("output")], help: "Write to FILE instead of standard output.")
    var output: String?

    func run() throws {
        let (text, missing, tasks) = try ModelRegistry.store(store).export()
        if missing > 0 { noteOnStderr("sweep export: \(missing) of \(tasks) tasks are not done and were left out") }
        if let output { try writeAtomically(text, to: output) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}

