import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import Scaling
import MeanField
import Propagation

/// The `criticality` command: absorbing phase transitions of randomly initialised deep networks.
@main
struct Criticality: ParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "criticality",
        abstract: "Show, measure and classify the absorbing phase transition of deep networks at the edge of chaos.",
        discussion: """
            Start with `criticality demo`, which writes CSV, JSON and SVG results into a folder.
            Every command takes --format csv|json and -o FILE; bad input exits with status 2.
            """,
        version: version,
        subcommands: [MeanFieldGroup.self, SimulateGroup.self, LyapunovGroup.self, KernelGroup.self, TrainGroup.self, SweepGroup.self, AnalyzeGroup.self, ClassifyCommand.self, FindCriticalGroup.self, AtlasCommand.self, ReportCommand.self, Demo.self, Bench.self]
    )

    /// Runs the command; any error becomes one line on stderr and exit status 2, except a sweep
    /// that ended with tasks undone or a demo with parts failed (exit status 1); help and --version exit 0 as usual.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            // Every output file of the command reaches its destination only now, together.
            try OutputBatch.shared.commit()
        } catch {
            OutputBatch.shared.discard()
            if exitCode(for: error) == .success { exit(withError: error) }
            // Every error type of the tool describes itself in one sentence (CustomStringConvertible),
            // which the argument parser's message uses; continuation lines are folded into one.
            var line = oneLine(message(for: error))
            if line.hasPrefix("Error: ") { line.removeFirst(7) }
            writeToStandardError("criticality: \(line)\n")
            // A sweep that ended with work undone is not bad input: exit status 1.
            let status: Int32 = error is SweepIncomplete || error is DemoIncomplete ? 1 : 2
            Foundation.exit(status)
        }
    }
}

/// Folds a multi-line parser message into one line: continuation lines (e.g. a bulleted list of
/// allowed values) are joined with commas.
func oneLine(_ text: String) -> String {
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard let first = lines.first else { return "error" }
    let rest = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    if rest.isEmpty { return first }
    let joined = rest.joined(separator: ", ")
    return first.hasSuffix(":") ? first + " " + joined : first + " " + joined
}

/// `criticality meanfield …`: the infinite-width theory.
struct MeanFieldGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meanfield",
        abstract: "Infinite-width (mean-field) theory: fixed points, the critical line, trajectories, phase diagrams.",
        subcommands: [MeanFieldPointCommand.self, MeanFieldCriticalCommand.self, MeanFieldBoundaryCommand.self,
                      MeanFieldTrajectoryCommand.self, MeanFieldPhaseCommand.self]
    )
}
