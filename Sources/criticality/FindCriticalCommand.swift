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
}

/// What a model contributes to the search: its fixed sweep parameters, control name and range.
struct CriticalSearch {
    var model: String
    var control: String
    var fixed: [(String, String)]
    var range: ClosedRange<Double>
    var upperLimit: Double
    var observable: Observable
    /// Whether the model can draw every control value from the same streams (lattice models).
    var commonStreams = false
}

/// Runs the rounds of a search and reports the estimate.
func runCriticalSearch(_ search: CriticalSearch, options o: FindCriticalOptions) throws {
    let folder = o.store ?? "find-critical-\(search.model)"
    var lo = o.from ?? search.range.lowerBound, hi = o.to ?? search.range.upperBound
    var all: [Double: Curve] = [:]
    // The runs' log_rho_sd curves (lattice models), for the realisation spread at the estimate.
    var spreads: [Double: Curve] = [:]
    var estimate: CriticalPoint? = nil
    var dimension: Int? = nil
    var lastError: Error? = nil
    let window = try o.fittingWindow()
    // After a round that found the sign change, the next one scans the inside of the bracket
    // between the nearest runs on either side (endpoints already run), so the bracket shrinks by
    // a factor steps + 1 every round (docs/analysis.md, "Find-critical").
    var inside = false
    let clock = ContinuousClock(), begin = clock.now
    for round in 1...o.rounds {
        let values = (0..<o.steps).map { k in
            let f = inside ? Double(k + 1) / Double(o.steps + 1) : Double(k) / Double(o.steps - 1)
            return Double(String(format: "%.6g", lo + (hi - lo) * f))!
        }
        var text = "name = \"find-critical-\(search.model)-round-\(round)\"\nmodel = \"\(search.model)\"\n"
        for (key, value) in search.fixed { text += "\(key) = \(value)\n" }
        if search.commonStreams && !o.independentStreams { text += "common_streams = true\n" }
        text += "\(search.control) = [\(values.map { formatNumber($0) }.joined(separator: ", "))]\n"
        let spec = try ModelRegistry.specification(text: text)
        let campaign = ModelRegistry.store((folder as NSString).appendingPathComponent("round-\(round)"))
        try campaign.prepare(for: spec, tool: "criticality", version: Criticality.version)
        if !o.quiet { noteOnStderr("find-critical: round \(round): \(search.control) = \(values.map { formatNumber($0) }.joined(separator: ", "))") }
        try runSweep(spec, tasks: spec.tasks, campaign: campaign, threads: o.threads.threads, quiet: o.quiet)
        let data = try AnalysisData.load([campaign.path])
        dimension = latticeDimension(data)
        let curves = try data.curves(CurveSelection(value: search.observable.rawValue, control: search.control),
                                     widthLimit: true, blocks: true)
        for c in curves { if let x = c.control { all[x] = c } }
        for c in RealisationSpread.curves(data, columns: CurveSelection(control: search.control)) ?? [] { if let x = c.control { spreads[x] = c } }
        do {
            let cp = try CriticalPoint.locate(all.values.sorted { $0.control! < $1.control! }, window: window,
                                              replicates: o.replicates, seed: 1)
            estimate = cp
            let controls = all.keys.sorted()
            lo = controls.last { $0 < cp.control } ?? cp.control - (hi - lo) / 6
            hi = controls.first { $0 > cp.control } ?? cp.control + (hi - lo) / 6
            inside = true
            if !o.quiet { noteOnStderr("find-critical: round \(round): \(search.control)_c = \(formatEstimate(cp.control, cp.error))") }
        } catch let error as ScalingError {
            // Every curve bends the same way: move the scan towards the side they point to.
            guard case .oneSidedScan(_, let active) = error else { throw error }
            lastError = error
            let span = hi - lo
            if active { hi = lo; lo = max(lo - span, 1e-6) } else { lo = hi; hi = min(hi + span, search.upperLimit) }
            inside = false
            if !o.quiet { noteOnStderr("find-critical: round \(round): \(error); next scan \(formatShort(lo))…\(formatShort(hi))") }
        }
    }
    guard let cp = estimate else {
        throw lastError ?? ScalingError.insufficientData("no critical point found")
    }
    let exponent = search.observable.exponent(at: cp).exponent
    let spread = search.observable == .rho
        ? RealisationSpread.measure(Array(spreads.values), near: cp.control, upTo: cp.window.upperBound) : nil
    var table = Table(columns: ["model", "control", "critical", "critical_err", "exponent_name", "exponent", "exponent_err",
                                "observable", "runs", "rounds", "store", "log_rho_sd", "log_rho_sd_depth"])
    table.append([.text(search.model), .text(search.control), .number(cp.control), .number(cp.error), .text(search.observable.exponent),
                  .number(exponent.value), .number(exponent.error), .text(search.observable.rawValue), .integer(cp.bends.count),
                  .integer(o.rounds), .text(folder), spread.map { .number($0.sd) } ?? .missing,
                  spread.map { .number($0.depth) } ?? .missing])
    noteOnStderr("\(search.control)_c = \(formatEstimate(cp.control, cp.error)) (\(cp.bends.count) runs); \(search.observable.exponent) there = \(formatEstimate(exponent.value, exponent.error))")
    if let spread { noteOnStderr(spread.sentence) }
    if !o.quiet, let note = costNote(cp, search: search, seconds: (clock.now - begin) / .seconds(1)) { noteOnStderr(note) }
    try o.output.emit(record: table)
    if let path = o.plot.plot {
        try writeFigure(criticalPointFigure(Array(all.values), [(all.values.first?.size, cp)], controlName: search.control,
                                            observable: search.observable, dimension: dimension).svg(), to: path)
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
        let mf = try CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB)
        try runCriticalSearch(CriticalSearch(model: "mlp", control: "sigma_w", fixed: [
            ("activation", "\"\(activation.rawValue)\""), ("sigma_b", formatNumber(sigmaB)), ("width", "\(width)"),
            ("depth", "\(depth)"), ("samples", "\(samples)"), ("seed", "\(seed)")],
            range: 0.9 * mf...1.1 * mf, upperLimit: 100, observable: .rho), options: options)
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
        let mf = try CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB)
        var fixed = [("activation", "\"\(activation.rawValue)\""), ("sigma_b", formatNumber(sigmaB)), ("dim", "\(dim)"),
                     ("size", "\(size)"), ("channels", "\(channels)"), ("kernel", "\(kernel)"), ("protocol", "\"\(`protocol`)\""),
                     ("depth", "\(depth)"), ("samples", "\(samples)"), ("seed", "\(seed)")]
        if untied { fixed.append(("untied", "true")) }
        try runCriticalSearch(CriticalSearch(model: "cnn", control: "sigma_w", fixed: fixed, range: mf...1.5 * mf, upperLimit: 100,
                                             observable: `protocol` == "spreading" ? .survival : .rho, commonStreams: true),
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
        try runCriticalSearch(CriticalSearch(model: "dp", control: "p", fixed: [
            ("dim", "\(dim)"), ("size", "\(size)"), ("protocol", "\"\(`protocol`)\""), ("depth", "\(depth)"),
            ("samples", "\(samples)"), ("seed", "\(seed)")],
            range: dim == 1 ? 0.62...0.67 : 0.27...0.30, upperLimit: 1, observable: `protocol` == "spreading" ? .survival : .rho,
            commonStreams: true), options: options)
    }
}

/// What a 1% critical point would cost when the search did not reach it: the bootstrap error falls
/// as 1/√samples, so the realisations per value (and the time of this search) grow by
/// (error / 1%)².
func costNote(_ cp: CriticalPoint, search: CriticalSearch, seconds: Double) -> String? {
    let relative = cp.error / abs(cp.control)
    guard relative.isFinite, relative > 0.01,
          let samples = search.fixed.first(where: { $0.0 == "samples" }).flatMap({ Double($0.1) }) else { return nil }
    let factor = (relative / 0.01) * (relative / 0.01)
    return "\(search.control)_c is known to \(String(format: "%.1f", 100 * relative))%; the error falls as 1/sqrt(samples), "
        + "so 1% needs about \(formatShort((samples * factor).rounded(.up))) samples per value "
        + "(about \(String(format: "%.1f", seconds * factor / 3600)) hours for the same search on this machine's \(ProcessInfo.processInfo.activeProcessorCount) cores)"
}
