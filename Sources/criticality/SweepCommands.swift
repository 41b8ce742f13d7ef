import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import MeanField
import Propagation

/// `criticality sweep …`: campaigns of many runs, stored so that no finished work is lost.
struct SweepGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Campaigns: plan, run (resumably), inspect and export sweeps described in TOML.",
        discussion: """
            A specification names the model (mlp, cnn or dp), fixed parameters and grids (lists or \
            { from = X, to = Y, steps = N }) over any parameter of that model's simulate command \
            (snake_case: sigma_w, sigma_b, width, channels, size, kernel, dim, p, protocol, q0, c0, epsilon, \
            untied (true or false), method, activation), with depth, samples and seed; sigma_w = "critical" takes \
            the mean-field value.
            """,
        subcommands: [SweepPlanCommand.self, SweepRunCommand.self, SweepStatusCommand.self, SweepExportCommand.self]
    )
}

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
        let spec = try SweepSpecification(contentsOf: specification)
        let names = spec.axes.map(\.name)
        var table = Table(columns: ["task", "index"] + names + ["cost", "est_seconds"])
        for task in spec.tasks {
            let cost = task.cost(model: spec.model)
            table.append([.text(task.id), .integer(task.index)] + names.map { cell(task[$0]) }
                         + [.number(cost), .number(cost / nominalThroughput(spec.model))])
        }
        try output.emit(table)
    }
}

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
        let spec = try SweepSpecification(contentsOf: specification)
        let campaign = CampaignStore(path: store)
        try campaign.prepare(for: spec, tool: "criticality", version: Criticality.version)
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

/// Runs one task into the store unless it is stored already or claimed by another run.
func runStoredTask(_ task: SweepTask, model: String, campaign: CampaignStore, threads: Int) throws -> TaskOutcome {
    var corrupt: String?
    switch campaign.state(of: task) {
    case .done: return .stored
    case .corrupt(let reason): corrupt = reason
    case .missing: break
    }
    switch campaign.claim(task, note: { noteOnStderr("sweep: \($0)") }) {
    case .claimed: break
    case .held(let holder, let sameHost): return .elsewhere(holder: holder, sameHost: sameHost)
    case .failed(let reason): return .failed(reason)
    }
    defer { campaign.release(task) }
    // Another run may have finished it between the check and the claim.
    if case .done = campaign.state(of: task) { return .stored }
    if let corrupt { noteOnStderr("sweep: task \(task.id): \(corrupt); recomputing") }
    let (csv, blocks, seconds, seed) = try runSweepTask(task, model: model, threads: threads)
    try campaign.store(task, seed: seed, csv: csv, blocks: blocks, seconds: seconds, tool: "criticality",
                       version: Criticality.version)
    return corrupt == nil ? .computed : .recomputed
}

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
        let campaign = CampaignStore(path: store)
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
        let (text, missing, tasks) = try CampaignStore(path: store).export()
        if missing > 0 { noteOnStderr("sweep export: \(missing) of \(tasks) tasks are not done and were left out") }
        if let output { try writeAtomically(text, to: output) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
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

/// Rough throughput of this tool per model, in the units of ``SweepTask/cost(model:)``, for plans.
func nominalThroughput(_ model: String) -> Double {
    switch model {
    case "mlp": 1e8
    case "cnn": 3e10
    default: 1e9
    }
}

/// At most this many blocks of consecutive realisations are stored per task.
let storedBlocks = 32

/// Merges consecutive fine blocks into at most ``storedBlocks`` groups, in order.
func groupBlocks(_ count: Int) -> [Range<Int>] {
    let per = (count + storedBlocks - 1) / storedBlocks
    return stride(from: 0, to: count, by: max(per, 1)).map { $0..<min(count, $0 + per) }
}

/// The blocks table of an MLP run: block, realisations, depth, rho.
func mlpBlocks(_ series: MLPSeries) -> Table {
    var t = Table(columns: ["block", "realisations", "depth", "rho"])
    for (g, range) in groupBlocks(series.rhoBlocks.count).enumerated() {
        for l in 0..<series.configuration.depth {
            var m = RunningMoments()
            for b in range { m.merge(series.rhoBlocks[b][l]) }
            t.append([.integer(g), .integer(m.count), .integer(l + 1), .number(m.value)])
        }
    }
    return t
}

/// The blocks table of a lattice run: block, realisations, depth, rho, active, survival.
func latticeBlocks(_ series: LatticeSeries) -> Table {
    var t = Table(columns: ["block", "realisations", "depth", "rho", "active", "survival"])
    for (g, range) in groupBlocks(series.blocks.count).enumerated() {
        let n = range.reduce(0) { $0 + series.blocks[$1].realisations }
        for l in 0..<series.depth {
            var rho = RunningMoments(), active = RunningMoments()
            var survivors = 0
            for b in range {
                rho.merge(series.blocks[b].rho[l]); active.merge(series.blocks[b].active[l])
                survivors += series.blocks[b].survivors[l]
            }
            t.append([.integer(g), .integer(n), .integer(l + 1), .number(rho.value), .number(active.value),
                      .number(Double(survivors) / Double(max(n, 1)))])
        }
    }
    return t
}

/// Runs one task and returns its per-depth table and its blocks table as CSV, the time it took,
/// and its seed.
func runSweepTask(_ task: SweepTask, model: String, threads: Int) throws -> (csv: String, blocks: String, seconds: Double, seed: UInt64) {
    func number(_ name: String, _ fallback: Double) throws -> Double {
        guard let v = task[name] else { return fallback }
        guard let x = v.double else { throw CampaignError.invalidSpecification("\(name) must be a number, got \(v)") }
        return x
    }
    func integer(_ name: String, _ fallback: Int) -> Int {
        if case .integer(let i)? = task[name] { return i }
        return fallback
    }
    func word(_ name: String, _ fallback: String) -> String {
        if case .text(let s)? = task[name] { return s }
        return fallback
    }
    func activation() throws -> Activation {
        let name = word("activation", "tanh")
        guard let a = Activation(name: name) else { throw CampaignError.invalidSpecification("unknown activation '\(name)'") }
        return a
    }
    func start() throws -> LatticeProtocol {
        let name = word("protocol", "homogeneous")
        guard let p = LatticeProtocol(rawValue: name) else { throw CampaignError.invalidSpecification("unknown protocol '\(name)'") }
        return p
    }
    func sigmaW(_ activation: Activation, _ sigmaB: Double, _ q0: Double) throws -> Double {
        switch task["sigma_w"] {
        case .text("critical"): return try CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB, q0: q0)
        case .text(let s): throw CampaignError.invalidSpecification("sigma_w must be a number or \"critical\", got '\(s)'")
        case nil: throw CampaignError.invalidSpecification("the sweep needs sigma_w (a number, a grid or \"critical\")")
        case let v?: return v.double!
        }
    }
    let depth = integer("depth", 1), samples = integer("samples", 1)
    let seed = UInt64(max(0, integer("seed", 1)))
    let clock = ContinuousClock()
    let begin = clock.now
    let csv: String, blocks: String
    switch model {
    case "mlp":
        let a = try activation(), sigmaB = try number("sigma_b", 0.3), q0 = try number("q0", 1), c0 = try number("c0", 0)
        guard let method = PropagationMethod(rawValue: word("method", "exact")) else {
            throw CampaignError.invalidSpecification("method must be exact or explicit")
        }
        let config = MLPConfiguration(activation: a, sigmaW: try sigmaW(a, sigmaB, q0), sigmaB: sigmaB,
                                      width: integer("width", 256), depth: depth, method: method)
        let inputs = InputPairs.synthetic(dimension: config.width, q0: q0, rho0: 1 - c0)
        let series = try MLPSimulation.run(config, inputs: inputs, samples: samples, seed: seed, task: task.hash, threads: threads)
        csv = mlpTable(series, reference: try? MeanFieldReference(config: config, inputs: inputs)).csv()
        blocks = mlpBlocks(series).csv()
    case "cnn":
        let a = try activation(), sigmaB = try number("sigma_b", 0.3), q0 = try number("q0", 1)
        var config = CNNConfiguration(activation: a, sigmaW: try sigmaW(a, sigmaB, q0), sigmaB: sigmaB, dim: integer("dim", 1),
                                      size: integer("size", 256), channels: integer("channels", 8), kernel: integer("kernel", 3),
                                      depth: depth, start: try start(), q0: q0, c0: try number("c0", 0))
        config.epsilon = try number("epsilon", 0)
        config.untied = word("untied", "false") == "true"
        try config.validate()
        guard samples >= 1 else { throw CampaignError.invalidSpecification("samples must be at least 1") }
        let fixed = config
        let series = LatticeSimulation.run(depth: depth, samples: samples, seed: seed, task: task.hash, blockSize: 1,
                                           threads: threads, recordField: false) { key, _ in
            runCNNRealisation(fixed, key: key, recordField: false)
        }
        csv = latticeTable(series, label: LatticeRunLabel(model: config.untied ? "cnn-untied" : "cnn", start: config.start, activation: a.rawValue,
                                                          sigmaW: config.sigmaW, sigmaB: sigmaB, channels: config.channels,
                                                          kernel: config.kernel, dim: config.dim, size: config.size)).csv()
        blocks = latticeBlocks(series).csv()
    default:
        let dim = integer("dim", 1)
        let config = DirectedPercolationConfiguration(dim: dim, size: integer("size", dim == 2 ? 256 : 4096),
                                                      p: try number("p", DirectedPercolationConfiguration.critical(dim: dim)),
                                                      depth: depth, start: try start())
        try config.validate()
        guard samples >= 1 else { throw CampaignError.invalidSpecification("samples must be at least 1") }
        let series = LatticeSimulation.run(depth: depth, samples: samples, seed: seed, task: task.hash, blockSize: 16,
                                           threads: threads, recordField: false) { key, _ in
            runDirectedPercolation(config, key: key, recordField: false)
        }
        csv = latticeTable(series, label: LatticeRunLabel(model: "dp", start: config.start, p: config.p, dim: dim,
                                                          size: config.size)).csv()
        blocks = latticeBlocks(series).csv()
    }
    return (csv, blocks, (clock.now - begin) / .seconds(1), seed)
}
