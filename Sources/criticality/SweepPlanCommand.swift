import ArgumentParser
import Campaign
import CriticalityCore
import Foundation

/// `sweep plan SPEC`: the tasks, their ids and an estimate of their cost.
struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "List the tasks of a sweep with stable ids and an estimated cost.",
        discussion: "Columns: task, index, one column per parameter, cost (model work units), est_seconds (rough, from this machine's throughput)."
    )

    @Argument(help: "The sweep specification (TOML).")
    var specification: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let spec = try ModelRegistry.specification(contentsOf: specification)
        let model = try ModelRegistry.model(named: spec.model)
        let names = spec.axes.map(\.name)
        var table = Table(columns: ["task", "index"] + names + ["cost", "est_seconds"])
        for task in spec.tasks {
            let cost = model.cost(ModelRegistry.values(of: task, model: model))
            table.append([.text(task.id), .integer(task.index)] + names.map { cell(task[$0]) }
                         + [.number(cost), .number(cost / model.nominalThroughput)])
        }
        try output.emit(table)
    }
}

func cell(_ value: ParameterValue?) -> Table.Cell {
    switch value {
    case .number(let x): .number(x)
    case .integer(let i): .integer(i)
    case .text(let s): .text(s)
    case nil: .missing
    }
}

