import ArgumentParser
import Campaign
import CriticalityCore
import Foundation

/// `sweep run SPEC --store DIR`: runs the tasks that are not stored yet.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a sweep into a store; rerun the same command to resume after an interruption.",
        discussion: """
            Finished tasks are written atomically to DIR/tasks/ID.json and skipped on the next run; a truncated \
            or corrupt task file is reported and recomputed. Results do not depend on --threads, on --shard or on \
            interruptions. --shard I/N runs the tasks whose index is I - 1 modulo N (job arrays).
            """
    )

    @Argument(help: "The sweep specification (TOML).")
    var specification: String
    @Option(help: ArgumentHelp("The campaign store (a directory; created if missing).", valueName: "DIR"))
    var store: String
    @Option(help: ArgumentHelp("Run only shard I of N (1-based).", valueName: "I/N"))
    var shard: String?
    @Flag(help: "No progress lines (shown only when stderr is a terminal); only the final summary.")
    var quiet = false
    @OptionGroup var threads: ThreadOption
    #if MPI
    @Flag(help: "Distribute the tasks over MPI ranks (launch with mpirun): rank 0 hands out tasks as ranks ask for them.")
    var mpi = false
    #endif

    func parsedShard() throws -> (index: Int, count: Int) {
        guard let shard else { return (0, 1) }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, parts[0] >= 1, parts[0] <= parts[1] else {
            throw ValidationError("--shard expects I/N with 1 <= I <= N, got '\(shard)'")
        }
        return (parts[0] - 1, parts[1])
    }

    func validate() throws { _ = try parsedShard() }

    func run() throws {
        let spec = try ModelRegistry.specification(contentsOf: specification)
        let campaign = ModelRegistry.store(store)
        try campaign.prepare(for: spec, tool: "criticality", version: Criticality.version)
        let leftovers = campaign.removeLeftovers()
        if leftovers > 0 { noteOnStderr("sweep: removed \(leftovers) leftover file(s) of interrupted runs (unfinished writes, stale locks)") }
        let (shardIndex, shardCount) = try parsedShard()
        let mine = spec.tasks.filter { $0.index % shardCount == shardIndex }
        #if MPI
        if mpi {
            try runSweepOverMPI(spec: spec, tasks: mine, campaign: campaign, threads: threads.threads)
            return
        }
        #endif
        try runSweep(spec, tasks: mine, campaign: campaign, threads: threads.threads, quiet: quiet)
    }
}

