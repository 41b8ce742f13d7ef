import ArgumentParser
import Campaign
import CriticalityCore
import Foundation

/// `sweep status DIR`: which tasks are stored.
struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say which tasks of a campaign store are done, missing or corrupt.",
        discussion: "Columns: task, index, state (done, missing, corrupt), seconds. A summary line goes to stderr."
    )

    @Argument(help: ArgumentHelp("The campaign store.", valueName: "DIR"))
    var store: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let campaign = ModelRegistry.store(store)
        let spec = try campaign.loadSpecification()
        var table = Table(columns: ["task", "index", "state", "seconds"])
        var done = 0
        for task in spec.tasks {
            switch campaign.state(of: task) {
            case .done(_, _, let seconds):
                done += 1
                table.append([.text(task.id), .integer(task.index), .text("done"), .number(seconds)])
            case .missing: table.append([.text(task.id), .integer(task.index), .text("missing"), .missing])
            case .corrupt: table.append([.text(task.id), .integer(task.index), .text("corrupt"), .missing])
            }
        }
        try output.emit(table)
        noteOnStderr("sweep \(spec.name): \(done)/\(spec.tasks.count) tasks done")
    }
}

