import ArgumentParser
import CriticalityCore
import Foundation
import MeanField

/// `criticality bench`: performance measurements, machine-relative where possible.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks: median wall time over repeats, and the ratio to a NumPy reference run side by side.",
        discussion: "Build with `swift run -c release criticality bench …` for meaningful figures.",
        subcommands: [BenchMeanField.self, BenchMLP.self, BenchCNN.self, BenchNTK.self, BenchTrain.self],
        defaultSubcommand: BenchMeanField.self
    )
}

/// `criticality bench meanfield` (the default): the critical line.
struct BenchMeanField: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meanfield",
        abstract: "Time the mean-field critical line of tanh at 100 values of sigma_b, against NumPy/SciPy.",
        discussion: """
            critical-line: sigma_w,c of tanh at 100 values of sigma_b in [0, 1], on 1 thread and on all threads;
            the NumPy/SciPy reference (benchmarks/critical_line.py, same algorithm: Gauss-Hermite
            quadrature, bracketing scan, Brent) is run by python3 when it is available.
            Build with `swift run -c release criticality bench` for meaningful figures.
            """
    )

    @Option(parsing: .unconditional, help: "Timed repeats per measurement (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Path of the NumPy reference script; empty to skip it.")
    var reference = "benchmarks/critical_line.py"

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    func run() throws {
        noteOnStderr(machineDescription())
        let sigmaB = ParameterGrid(from: 0, to: 1, steps: 100).values
        var table = Table(columns: ["benchmark", "implementation", "threads", "points", "median_s", "min_s", "max_s", "points_per_s", "ratio_to_numpy"])
        var rows: [(String, Int, [Double])] = []
        for threads in Set([1, defaultThreadCount]).sorted() {
            let times = try (0..<repeats).map { _ in
                try time { _ = try criticalLines(activations: [.tanh], sigmaB: sigmaB, threads: threads) }
            }
            rows.append(("swift", threads, times))
        }
        if !reference.isEmpty, let times = numpyReference(points: sigmaB.count) {
            rows.append(("numpy", 1, times))
        }
        let numpyMedian = rows.first { $0.0 == "numpy" }.map { median($0.2) }
        for (implementation, threads, times) in rows {
            let m = median(times)
            table.append([.text("critical-line"), .text(implementation), .integer(threads), .integer(sigmaB.count),
                          .number(m), .number(times.min()!), .number(times.max()!), .number(Double(sigmaB.count) / m),
                          .optional(numpyMedian.map { $0 / m })])
        }
        try output.emit(table)
    }

    private func numpyReference(points: Int) -> [Double]? {
        runPythonReference(reference, ["--points", String(points), "--repeats", String(repeats)])?["seconds"] as? [Double]
    }
}

/// Wall time of `body` in seconds.
func time(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    return (clock.now - start) / .seconds(1)
}

/// Times `simulator` and `reference` in alternation for `repeats` rounds, so that both see the same
/// state of the machine, whose speed drifts by 10–30% within minutes. Each round runs the simulator
/// once untimed and once timed, then the reference once (`reference` returns its own timing, or nil
/// when it cannot run, after which only the simulator is timed). The untimed run is there because
/// right after NumPy's long single-core run this machine ran the next short two-core run 3–12%
/// slower; the reference's own timed part likewise follows its imports and input generation.
/// Returns the times; the per-round ratios exist when both lists have `repeats` entries.
func alternate(
    repeats: Int, simulator: () throws -> Void, reference: () -> Double?
) rethrows -> (simulator: [Double], reference: [Double]) {
    var simulatorTimes: [Double] = [], referenceTimes: [Double] = []
    var referenceRuns = true
    for _ in 0..<repeats {
        try simulator()
        simulatorTimes.append(try time(simulator))
        guard referenceRuns else { continue }
        if let seconds = reference() { referenceTimes.append(seconds) } else { referenceRuns = false }
    }
    return (simulatorTimes, referenceTimes)
}

/// The median over rounds of `numerator[i] / denominator[i]`, or nil unless both lists are complete
/// rounds of ``alternate(repeats:simulator:reference:)`` (same length).
func pairedRatio(_ numerator: [Double], _ denominator: [Double]) -> Double? {
    guard !numerator.isEmpty, numerator.count == denominator.count else { return nil }
    return median(zip(numerator, denominator).map { $0 / $1 })
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}

/// Runs a NumPy reference script that prints one JSON object; `nil` (with a note on stderr) when
/// the script, python3 or NumPy is missing.
func runPythonReference(_ script: String, _ arguments: [String], python: String = "python3",
                        environment: [String: String] = [:]) -> [String: Any]? {
    switch runPythonScript(script, arguments, python: python, environment: environment) {
    case .success(let object): return object
    case .failure(.skipped): return nil
    case .failure(.missingScript):
        noteOnStderr("note: \(script) not found; NumPy reference skipped")
        return nil
    case .failure(let failure):
        noteOnStderr("note: NumPy reference \(script) could not run (\(failure)); skipped")
        return nil
    }
}

/// Why a reference script gave no answer.
enum PythonReferenceFailure: Error, CustomStringConvertible {
    /// The script's path is empty (`--reference ''`).
    case skipped
    case missingScript
    /// The interpreter could not be started.
    case launch(String)
    /// The script exited with this status (its own message went to stderr).
    case status(Int32)
    /// It exited with 0 but printed no JSON object.
    case output

    var description: String {
        switch self {
        case .skipped: "skipped"
        case .missingScript: "script not found"
        case .launch(let why): why
        case .status(let status): "exit status \(status)"
        case .output: "no JSON object on stdout"
        }
    }
}

/// Runs `python script arguments…` (through /usr/bin/env, so `python` may be a name on PATH or a
/// path, e.g. a virtual environment's interpreter), with `environment` added to this process's,
/// and parses the one JSON object it prints. The script's stderr passes through to ours.
func runPythonScript(_ script: String, _ arguments: [String], python: String = "python3",
                     environment: [String: String] = [:]) -> Result<[String: Any], PythonReferenceFailure> {
    guard !script.isEmpty else { return .failure(.skipped) }
    guard FileManager.default.fileExists(atPath: script) else { return .failure(.missingScript) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, script] + arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    do {
        try process.run()
    } catch {
        return .failure(.launch("\(error)"))
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return .failure(.status(process.terminationStatus)) }
    guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return .failure(.output) }
    return .success(object)
}

/// Peak resident memory of this process in MiB (getrusage: KiB on Linux, bytes on macOS).
func peakMemoryMiB() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / (1024 * 1024)
    #endif
}
