import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Propagation

/// `criticality bench mlp`: neuron-layers per second of the finite-width MLP samplers.
struct BenchMLP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Neuron-layers per second (n x L x realisations / s) of the MLP samplers, against NumPy references.",
        discussion: """
            tanh at criticality (sigma_b = 0.3). The exact Gram sampler runs at --width/--depth/--samples on 1 thread
            and on all threads; the explicit-weight method (O(n^2) per layer) at the same width with
            --explicit-depth and --explicit-samples. benchmarks/mlp_reference.py is run by python3 with the
            same sizes: 'gram' (the exact sampler vectorised over realisations) and 'explicit'; both compute the \
            tool's per-layer observables (rho, q, the absorbed fraction) at every layer, as the Swift samplers do.
            ratio = this implementation's throughput relative to the Swift exact sampler on all threads. The exact \
            sampler on all threads and the NumPy Gram sampler are timed in alternation, one run of each per repeat \
            (the Swift run after an untimed one), so that both see the same state of the machine; numpy-gram's \
            ratio is the median of the per-repeat ratios.
            peak_mib: peak resident memory of the process that ran it (Swift: this process so far).
            """
    )

    @Option(parsing: .unconditional, help: "Width n.")
    var width: Int = 1024
    @Option(parsing: .unconditional, help: "Depth L.")
    var depth: Int = 1024
    @Option(parsing: .unconditional, help: "Realisations.")
    var samples: Int = 256
    @Option(name: .customLong("explicit-depth"), parsing: .unconditional, help: "Depth of the explicit-weight runs.")
    var explicitDepth: Int = 8
    @Option(name: .customLong("explicit-samples"), parsing: .unconditional, help: "Realisations of the explicit-weight runs.")
    var explicitSamples: Int = 2
    @Option(parsing: .unconditional, help: "Timed repeats per measurement (the median is reported).")
    var repeats: Int = 3
    @Option(help: "Path of the NumPy reference script; empty to skip it.")
    var reference = "benchmarks/mlp_reference.py"
    @OptionGroup var output: OutputOptions

    func validate() throws {
        for (name, v) in [("--width", width), ("--depth", depth), ("--samples", samples), ("--explicit-depth", explicitDepth),
                          ("--explicit-samples", explicitSamples), ("--repeats", repeats)] where v < 1 {
            throw ValidationError("\(name) must be at least 1, got \(v)")
        }
    }

    func run() throws {
        noteOnStderr(machineDescription())
        let sigmaW = try CriticalLine.sigmaWCritical(activation: .tanh, sigmaB: 0.3)
        struct Row { let implementation: String; let threads: Int; let depth: Int; let samples: Int; let times: [Double]; let peak: Double }
        var rows: [Row] = []
        func simulate(_ method: PropagationMethod, depth: Int, samples: Int, threads: Int) throws {
            let config = MLPConfiguration(activation: .tanh, sigmaW: sigmaW, sigmaB: 0.3, width: width, depth: depth, method: method)
            _ = try MLPSimulation.run(config, inputs: .synthetic(dimension: width, q0: 1, rho0: 1), samples: samples,
                                      seed: 1, threads: threads)
        }
        func measure(_ method: PropagationMethod, depth: Int, samples: Int, threads: Int) throws -> Row {
            let times = try (0..<repeats).map { _ in
                try time { try simulate(method, depth: depth, samples: samples, threads: threads) }
            }
            return Row(implementation: "swift-\(method.rawValue)", threads: threads, depth: depth, samples: samples,
                       times: times, peak: peakMemoryMiB())
        }
        var numpyPeak: [String: Double] = [:]
        func numpy(_ method: String, depth d: Int, samples r: Int, repeats: Int) -> [Double] {
            let args = ["--method", method, "--width", String(width), "--depth", String(d), "--samples", String(r),
                        "--sigma-w", String(sigmaW), "--repeats", String(repeats)]
            guard let object = runPythonReference(reference, args), let times = object["seconds"] as? [Double] else { return [] }
            numpyPeak[method] = max(numpyPeak[method] ?? 0, object["peak_rss_mib"] as? Double ?? .nan)
            return times
        }
        if defaultThreadCount > 1 { rows.append(try measure(.exact, depth: depth, samples: samples, threads: 1)) }
        // The exact sampler on all threads and NumPy's Gram sampler in alternation.
        let (swiftTimes, gramTimes) = try alternate(
            repeats: repeats,
            simulator: { try simulate(.exact, depth: depth, samples: samples, threads: defaultThreadCount) },
            reference: { reference.isEmpty ? nil : numpy("gram", depth: depth, samples: samples, repeats: 1).first })
        let gramRatio = pairedRatio(swiftTimes, gramTimes)
        rows.append(Row(implementation: "swift-exact", threads: defaultThreadCount, depth: depth, samples: samples,
                        times: swiftTimes, peak: peakMemoryMiB()))
        rows.append(try measure(.explicit, depth: explicitDepth, samples: explicitSamples, threads: defaultThreadCount))
        if !gramTimes.isEmpty {
            rows.append(Row(implementation: "numpy-gram", threads: 1, depth: depth, samples: samples, times: gramTimes,
                            peak: numpyPeak["gram"] ?? .nan))
        }
        let explicitTimes = numpy("explicit", depth: explicitDepth, samples: explicitSamples, repeats: repeats)
        if !explicitTimes.isEmpty {
            rows.append(Row(implementation: "numpy-explicit", threads: 1, depth: explicitDepth, samples: explicitSamples,
                            times: explicitTimes, peak: numpyPeak["explicit"] ?? .nan))
        }
        func throughput(_ row: Row) -> Double { Double(width * row.depth * row.samples) / median(row.times) }
        let best = rows.first { $0.implementation == "swift-exact" && $0.threads == defaultThreadCount }.map(throughput)
        var table = Table(columns: ["benchmark", "implementation", "threads", "width", "depth", "samples", "median_s",
                                    "min_s", "max_s", "neuron_layers_per_s", "peak_mib", "ratio"])
        for row in rows {
            let t = throughput(row)
            let ratio = (row.implementation == "numpy-gram" ? gramRatio : nil) ?? best.map { t / $0 }
            table.append([.text("mlp-tanh-critical"), .text(row.implementation), .integer(row.threads), .integer(width),
                          .integer(row.depth), .integer(row.samples), .number(median(row.times)), .number(row.times.min()!),
                          .number(row.times.max()!), .number(t), .number(row.peak), .optional(ratio)])
        }
        try output.emit(table)
    }
}
