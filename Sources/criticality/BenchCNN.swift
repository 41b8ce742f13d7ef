import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Propagation

/// `criticality bench cnn`: site-layers per second and GFLOP/s of the CNN simulator and its
/// convolution kernel, against the machine's matrix-multiply peak and a NumPy im2col reference.
struct BenchCNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "Site-layers per second and GFLOP/s of the CNN simulator, against the dgemm peak and NumPy.",
        discussion: """
            tanh CNN, d = 1, K = 3, sigma_w = 1.6, sigma_b = 0.3, for each --channels C. Rows: swift-cnn (the whole \
            simulator: convolutions of h_a and the difference, activations, observables; on 1 thread and on all \
            threads), swift-convolution (the blocked kernel alone, one independent lattice per thread), \
            numpy-dgemm (an n x n matrix product through NumPy's BLAS on all its threads: the peak) and \
            numpy-im2col (benchmarks/cnn_reference.py: the same network with im2col + matmul). \
            gflops counts 2 flops per multiply-add of the two convolutions a layer needs (2 P C^2 K^d), nothing else; \
            fraction_of_peak = gflops / numpy-dgemm gflops. \
            Each run propagates --samples-per-thread realisations per thread (the NumPy reference as many as the \
            Swift run on all threads). The all-threads simulator and the NumPy reference are timed in alternation, \
            one run of each per repeat (the simulator's after an untimed one), so that both see the same state of \
            the machine; their ratio is the median of \
            the per-repeat ratios. Other rows: ratio = site_layers_per_s / numpy-im2col's at the same C.
            """
    )

    @Option(parsing: .unconditional, help: "Sites P (d = 1).")
    var size: Int = 4096
    @Option(help: "Comma-separated channel counts.")
    var channels = "8,16,64"
    @Option(parsing: .unconditional, help: "Layers per run.")
    var depth: Int = 64
    @Option(parsing: .unconditional, help: "Timed repeats per measurement (the median is reported).")
    var repeats: Int = 3
    @Option(parsing: .unconditional, help: "Realisations per thread in each simulator run.")
    var samplesPerThread: Int = 4
    @Option(help: "Path of the NumPy reference script; empty to skip it.")
    var reference = "benchmarks/cnn_reference.py"
    @OptionGroup var output: OutputOptions

    var channelList: [Int] { channels.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        for (name, v) in [("--size", size), ("--depth", depth), ("--repeats", repeats), ("--samples-per-thread", samplesPerThread)] where v < 1 {
            throw ValidationError("\(name) must be at least 1, got \(v)")
        }
        guard size >= 3 else { throw ValidationError("--size must be at least the kernel width 3, got \(size)") }
        let list = channels.split(separator: ",")
        guard !list.isEmpty, list.count == channelList.count, channelList.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--channels expects a comma-separated list of positive integers, got '\(channels)'")
        }
    }

    struct Row {
        var implementation: String, threads: Int, channels: Int, depth: Int, samples: Int, times: [Double], peak: Double
        /// The median of the per-round throughput ratios to NumPy (the row timed in alternation with it).
        var pairedRatio: Double?
    }

    func run() throws {
        let threads = defaultThreadCount
        noteOnStderr(machineDescription())
        var rows: [Row] = []
        var peakGFlops: Double?
        if let object = runPythonReference(reference, ["--peak", "--repeats", String(max(repeats, 3))]),
           let g = object["gflops"] as? Double {
            peakGFlops = g
            rows.append(Row(implementation: "numpy-dgemm", threads: threads, channels: 0, depth: 0, samples: 0,
                            times: object["seconds"] as? [Double] ?? [], peak: object["peak_rss_mib"] as? Double ?? .nan))
        }
        for c in channelList {
            let config = CNNConfiguration(activation: .tanh, sigmaW: 1.6, sigmaB: 0.3, dim: 1, size: size, channels: c,
                                          kernel: 3, depth: depth, start: .homogeneous)
            try config.validate()
            func simulate(threads t: Int) {
                _ = LatticeSimulation.run(depth: depth, samples: samplesPerThread * t, seed: 1, blockSize: 1, threads: t,
                                          recordField: false) { key, _ in runCNNRealisation(config, key: key, recordField: false) }
            }
            if threads > 1 {
                let times = (0..<repeats).map { _ in time { simulate(threads: 1) } }
                rows.append(Row(implementation: "swift-cnn", threads: 1, channels: c, depth: depth, samples: samplesPerThread,
                                times: times, peak: peakMemoryMiB()))
            }
            // The simulator on all threads and the NumPy reference in alternation.
            let samples = samplesPerThread * threads
            let args = ["--dim", "1", "--size", String(size), "--channels", String(c), "--kernel", "3", "--depth", String(depth),
                        "--samples", String(samples), "--sigma-w", "1.6", "--sigma-b", "0.3", "--repeats", "1"]
            var numpyPeak = Double.nan
            let (swiftTimes, numpyTimes) = alternate(
                repeats: repeats, simulator: { simulate(threads: threads) },
                reference: {
                    guard !reference.isEmpty, let object = runPythonReference(reference, args),
                          let seconds = (object["seconds"] as? [Double])?.first else { return nil }
                    numpyPeak = max(numpyPeak.isNaN ? 0 : numpyPeak, object["peak_rss_mib"] as? Double ?? .nan)
                    return seconds
                })
            rows.append(Row(implementation: "swift-cnn", threads: threads, channels: c, depth: depth, samples: samples,
                            times: swiftTimes, peak: peakMemoryMiB(), pairedRatio: pairedRatio(numpyTimes, swiftTimes)))
            for t in Set([1, threads]).sorted() {
                let kernelTimes = (0..<repeats).map { _ in time { Self.convolutionLoad(size: size, channels: c, layers: depth, threads: t) } }
                rows.append(Row(implementation: "swift-convolution", threads: t, channels: c, depth: depth, samples: t,
                                times: kernelTimes, peak: peakMemoryMiB()))
            }
            if !numpyTimes.isEmpty {
                rows.append(Row(implementation: "numpy-im2col", threads: threads, channels: c, depth: depth, samples: samples,
                                times: numpyTimes, peak: numpyPeak))
            }
        }
        func siteLayers(_ r: Row) -> Double { Double(size * r.depth * r.samples) / median(r.times) }
        func gflops(_ r: Row) -> Double {
            if r.implementation == "numpy-dgemm" { return peakGFlops ?? .nan }
            return siteLayers(r) * 2 * Double(r.channels * r.channels * 3) * 2 / 1e9
        }
        var table = Table(columns: ["benchmark", "implementation", "threads", "dim", "sites", "channels", "kernel", "depth",
                                    "samples", "median_s", "min_s", "max_s", "site_layers_per_s", "gflops",
                                    "fraction_of_peak", "peak_mib", "ratio"])
        for r in rows where !r.times.isEmpty {
            let dgemm = r.implementation == "numpy-dgemm"
            let numpy = rows.first { $0.implementation == "numpy-im2col" && $0.channels == r.channels }
            let ratio: Double? = dgemm ? nil : r.pairedRatio ?? numpy.map { siteLayers(r) / siteLayers($0) }
            table.append([.text(dgemm ? "dgemm-peak" : "cnn-1d-tanh"), .text(r.implementation), .integer(r.threads),
                          dgemm ? .missing : .integer(1), dgemm ? .missing : .integer(size),
                          dgemm ? .missing : .integer(r.channels), dgemm ? .missing : .integer(3),
                          dgemm ? .missing : .integer(r.depth), dgemm ? .missing : .integer(r.samples),
                          .number(median(r.times)), .number(r.times.min()!), .number(r.times.max()!),
                          dgemm ? .missing : .number(siteLayers(r)), .number(gflops(r)),
                          .optional(peakGFlops.map { gflops(r) / $0 }), .number(r.peak), .optional(ratio)])
        }
        try output.emit(table)
    }

    /// The two convolutions of `layers` layers on `threads` independent lattices (one per thread),
    /// with fixed random weights and inputs: the kernel's own throughput.
    static func convolutionLoad(size: Int, channels c: Int, layers: Int, threads: Int) {
        let conv = PeriodicConvolution(dim: 1, size: size, inChannels: c, outChannels: c, kernel: 3)
        parallelFor(threads, threads: threads) { t in
            let input = UnsafeMutablePointer<Double>.allocate(capacity: c * conv.inputPlane)
            let output = UnsafeMutablePointer<Double>.allocate(capacity: conv.paddedOutChannels * conv.outputPlane)
            let weights = UnsafeMutablePointer<Double>.allocate(capacity: conv.weightCount)
            let bias = UnsafeMutablePointer<Double>.allocate(capacity: conv.paddedOutChannels)
            defer { input.deallocate(); output.deallocate(); weights.deallocate(); bias.deallocate() }
            var stream = GaussianStream(key: StreamKey(seed: 7, realisation: UInt64(t)))
            stream.fill(UnsafeMutableBufferPointer(start: input, count: c * conv.inputPlane))
            stream.fill(UnsafeMutableBufferPointer(start: weights, count: conv.weightCount))
            stream.fill(UnsafeMutableBufferPointer(start: bias, count: conv.paddedOutChannels))
            conv.fillHalo(input, planes: c)
            for _ in 0..<(2 * layers) { conv.apply(weights: weights, bias: bias, input: input, output: output) }
        }
    }
}
