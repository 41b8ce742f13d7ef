import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import MeanField
import Scaling

/// `criticality find-critical`: scan, refine and report the critical point of a model.
struct FindCriticalGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find-critical",
        abstract: "Locate sigma_w,c (or p_c) by scans that refine themselves, through a resumable campaign store.",
        discussion: """
            Round 1 scans --steps values from --from to --to; each later round scans around the estimate \
            (or moves the scan when every curve bends the same way). Each round is a campaign store \
            STORE/round-K, so an interrupted search resumes where it stopped when the same command is \
            run again. The estimate uses the runs of all rounds (analyze critical-point explains the method).
            """,
        subcommands: [FindCriticalMLP.self, FindCriticalCNN.self, FindCriticalDP.self]
    )
}

/// Options shared by the three searches.
struct FindCriticalOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Start of the first scan (default: model-specific).")
    var from: Double?
    @Option(parsing: .unconditional, help: "End of the first scan (default: model-specific).")
    var to: Double?
    @Option(parsing: .unconditional, help: "Control values per round.")
    var steps: Int = 7
    @Option(parsing: .unconditional, help: "Rounds of scanning and refining.")
    var rounds: Int = 3
    @Option(help: "Folder of the campaign stores (one per round).")
    var store: String?
    @Option(help: ArgumentHelp("Fitting window in depth, FROM:TO.", valueName: "FROM:TO"))
    var window: String?
    @Option(parsing: .unconditional, help: "Bootstrap replicates for the errors.")
    var replicates: Int = 200
    @Flag(help: "Independent random numbers for each control value (lattice models; default: common random numbers, the same realisations at every control value).")
    var independentStreams = false
    @Flag(help: "No progress or summary lines on stderr.")
    var quiet = false
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    func validate() throws {
        guard steps >= 4 else { throw ValidationError("--steps must be at least 4, got \(steps)") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, got \(rounds)") }
        if let from, let to, !(from < to) { throw ValidationError("--from must be below --to") }
        for (name, v) in [("--from", from), ("--to", to)] { if let v { try validateParameter(name, v, strict: true) } }
        _ = try fittingWindow()
    }

    func fittingWindow() throws -> ClosedRange<Double>? { try parseWindow(window) }

    /// The search's settings, its stores in `folder`.
    func settings(folder: String) throws -> SearchSettings {
        SearchSettings(from: from, to: to, steps: steps, rounds: rounds, folder: folder, window: try fittingWindow(),
                       replicates: replicates, independentStreams: independentStreams, quiet: quiet, threads: threads.threads)
    }
}

/// Runs the rounds of a search and reports the estimate.
func runCriticalSearch(_ search: CriticalSearch, options o: FindCriticalOptions) throws {
    let folder = o.store ?? "find-critical-\(search.model)"
    let result = try searchCriticalPoint(search, settings: try o.settings(folder: folder))
    let cp = result.estimate
    let exponent = search.observable.exponent(at: cp).exponent
    let spread = search.observable == .rho
        ? RealisationSpread.measure(result.spreads, near: cp.control, upTo: cp.window.upperBound) : nil
    var table = Table(columns: ["model", "control", "critical", "critical_err", "exponent_name", "exponent", "exponent_err",
                                "observable", "runs", "rounds", "store", "log_rho_sd", "log_rho_sd_depth"])
    table.append([.text(search.model), .text(search.control), .number(cp.control), .number(cp.error), .text(search.observable.exponent),
                  .number(exponent.value), .number(exponent.error), .text(search.observable.rawValue), .integer(cp.bends.count),
                  .integer(o.rounds), .text(folder), spread.map { .number($0.sd) } ?? .missing,
                  spread.map { .number($0.depth) } ?? .missing])
    noteOnStderr("\(search.control)_c = \(formatEstimate(cp.control, cp.error)) (\(cp.bends.count) runs); \(search.observable.exponent) there = \(formatEstimate(exponent.value, exponent.error))")
    if let spread { noteOnStderr(spread.sentence) }
    if !o.quiet, let note = costNote(cp, search: search, seconds: result.seconds) { noteOnStderr(note) }
    try o.output.emit(record: table)
    if let path = o.plot.plot {
        try writeFigure(criticalPointFigure(result.curves, [(result.curves.first?.size, cp)], controlName: search.control,
                                            observable: search.observable, dimension: result.dimension).svg(), to: path)
    }
}

struct FindCriticalMLP: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mlp", abstract: "sigma_w,c of a finite-width MLP (default scan: 0.9 to 1.1 times the mean-field value).")
    @Option(help: "Activation function.") var activation: Activation = .tanh
    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation.") var sigmaB: Double = 0.3
    @Option(parsing: .unconditional, help: "Width n.") var width: Int = 4096
    @Option(parsing: .unconditional, help: "Depth L.") var depth: Int = 1024
    @Option(parsing: .unconditional, help: "Realisations per control value.") var samples: Int = 128
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 1
    @OptionGroup var options: FindCriticalOptions

    func run() throws {
        try runCriticalSearch(.mlp(activation: activation, sigmaB: sigmaB, width: width, depth: depth, samples: samples, seed: seed),
                              options: options)
    }
}

struct FindCriticalCNN: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cnn", abstract: "sigma_w,c of a CNN with few channels (default scan: 1 to 1.5 times the mean-field value).")
    @Option(parsing: .unconditional, help: "Spatial dimension (1 or 2).") var dim: Int = 1
    @Option(parsing: .unconditional, help: "Linear lattice size S.") var size: Int = 512
    @Option(parsing: .unconditional, help: "Channels C.") var channels: Int = 8
    @Option(parsing: .unconditional, help: "Kernel width K.") var kernel: Int = 3
    @Option(help: "Protocol: homogeneous or spreading.") var `protocol`: String = "homogeneous"
    @Option(help: "Activation function.") var activation: Activation = .tanh
    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation.") var sigmaB: Double = 0.3
    @Option(parsing: .unconditional, help: "Depth L.") var depth: Int = 1000
    @Option(parsing: .unconditional, help: "Realisations per control value.") var samples: Int = 256
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 1
    @Flag(help: "Untied (locally connected) weights.") var untied = false
    @OptionGroup var options: FindCriticalOptions

    func validate() throws {
        guard ["homogeneous", "spreading"].contains(`protocol`) else { throw ValidationError("--protocol must be homogeneous or spreading") }
    }

    func run() throws {
        try runCriticalSearch(.cnn(activation: activation, sigmaB: sigmaB, dim: dim, size: size, channels: channels, kernel: kernel,
                                   protocol: `protocol`, depth: depth, samples: samples, seed: seed, untied: untied),
                              options: options)
    }
}

struct FindCriticalDP: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dp", abstract: "p_c of bond directed percolation (default scan: 0.62 to 0.67 in 1+1, 0.27 to 0.30 in 2+1).")
    @Option(parsing: .unconditional, help: "Spatial dimension (1 or 2).") var dim: Int = 1
    @Option(parsing: .unconditional, help: "Linear lattice size S.") var size: Int = 4096
    @Option(help: "Protocol: homogeneous or spreading.") var `protocol`: String = "spreading"
    @Option(parsing: .unconditional, help: "Depth (time) T.") var depth: Int = 2000
    @Option(parsing: .unconditional, help: "Realisations per control value.") var samples: Int = 4000
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 1
    @OptionGroup var options: FindCriticalOptions

    func validate() throws {
        guard ["homogeneous", "spreading"].contains(`protocol`) else { throw ValidationError("--protocol must be homogeneous or spreading") }
        guard dim == 1 || dim == 2 else { throw ValidationError("--dim must be 1 or 2, got \(dim)") }
    }

    func run() throws {
        try runCriticalSearch(.dp(dim: dim, size: size, protocol: `protocol`, depth: depth, samples: samples, seed: seed),
                              options: options)
    }
}
