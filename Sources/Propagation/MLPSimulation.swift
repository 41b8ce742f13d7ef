import CriticalityCore
import MeanField

/// Per-depth statistics of a finite-width MLP over independent realisations.
public struct MLPSeries: Sendable {
    public let configuration: MLPConfiguration
    public let samples: Int
    public let seed: UInt64
    /// ρ^l over realisations, l = 1…L.
    public let rho: [RunningMoments]
    /// q^l = |h_a^l|²/n over realisations.
    public let q: [RunningMoments]
    /// ln(|v^l|/|v^{l−1}|) of the tangent vector over realisations (empty counts without a tangent).
    public let growth: [RunningMoments]
    /// Number of realisations whose two signals have been bitwise identical at some layer ≤ l.
    public let absorbed: [Int]
    /// ρ^l per block of ``MLPSimulation/blockSize`` consecutive realisations (in order): what
    /// resampling over blocks (bootstrap) needs.
    public let rhoBlocks: [[RunningMoments]]
    /// Per-realisation Lyapunov estimates λ_r = mean of ln(|v^l|/|v^{l−1}|) over burnIn < l ≤ L
    /// (empty unless a tangent was propagated with a burn-in).
    public let lyapunov: RunningMoments

    /// The fraction of realisations absorbed by layer l (1-based).
    public func absorbedFraction(_ l: Int) -> Double { Double(absorbed[l - 1]) / Double(samples) }
}

/// Runs realisations of a finite-width MLP in parallel, reproducibly.
///
/// Realisation r uses the random streams of `StreamKey(seed, task, r)` only, and realisations are
/// reduced in fixed blocks of ``blockSize`` merged in order, so the result is bitwise identical
/// whatever the thread count.
public enum MLPSimulation {
    public static let blockSize = 8

    /// Simulates `samples` realisations.
    ///
    /// - Complexity: O(samples · L · n k) for the exact method, O(samples · L · n²) for the explicit one.
    public static func run(
        _ config: MLPConfiguration, inputs: InputPairs, samples: Int, seed: UInt64, task: UInt64 = 0,
        threads: Int = defaultThreadCount, lyapunovBurnIn: Int? = nil
    ) throws -> MLPSeries {
        try config.validate()
        guard samples >= 1 else { throw PropagationError.invalidParameter("samples must be at least 1, got \(samples)") }
        if let burnIn = lyapunovBurnIn {
            guard config.tangent, burnIn >= 1, burnIn < config.depth else {
                throw PropagationError.invalidParameter("the Lyapunov burn-in must lie in 1..<depth with a tangent vector, got \(burnIn)")
            }
        }
        let depth = config.depth
        let blocks = (samples + blockSize - 1) / blockSize
        // Blocks run in parallel and are merged in order: the same numbers on any thread count.
        let statistics = parallelMap(blocks, threads: threads) { b in
            var stats = BlockStatistics(depth: depth)
            let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: 3 * depth)
            let flags = UnsafeMutableBufferPointer<Bool>.allocate(capacity: depth)
            defer { storage.deallocate(); flags.deallocate() }
            storage.initialize(repeating: .nan)
            flags.initialize(repeating: false)
            var trace = RealisationTrace(
                rho: UnsafeMutableBufferPointer(rebasing: storage[0..<depth]),
                q: UnsafeMutableBufferPointer(rebasing: storage[depth..<2 * depth]),
                growth: UnsafeMutableBufferPointer(rebasing: storage[2 * depth..<3 * depth]),
                absorbed: flags)
            for r in b * blockSize..<min(samples, (b + 1) * blockSize) {
                let key = StreamKey(seed: seed, task: task, realisation: UInt64(r))
                runRealisation(config, inputs: inputs, key: key, into: &trace)
                stats.add(trace)
                if let burnIn = lyapunovBurnIn {
                    var sum = 0.0
                    for l in burnIn..<depth { sum += trace.growth[l] }
                    stats.lyapunov.add(sum / Double(depth - burnIn))
                }
            }
            return stats
        }
        var total = BlockStatistics(depth: depth)
        for b in 0..<blocks { total.merge(statistics[b]) }
        return MLPSeries(configuration: config, samples: samples, seed: seed, rho: total.rho, q: total.q,
                         growth: total.growth, absorbed: total.absorbed,
                         rhoBlocks: statistics.map(\.rho), lyapunov: total.lyapunov)
    }

    /// One realisation with the activation's fastest kernel.
    public static func runRealisation(
        _ config: MLPConfiguration, inputs: InputPairs, key: StreamKey, into trace: inout RealisationTrace
    ) {
        switch config.activation {
        case .tanh: run(config, inputs, key, TanhKernel(), &trace)
        case .linear: run(config, inputs, key, LinearKernel(), &trace)
        case .relu: run(config, inputs, key, ReLUKernel(), &trace)
        default: run(config, inputs, key, ScalarKernel(config.activation), &trace)
        }
    }

    static func run<K: PairActivationKernel>(
        _ config: MLPConfiguration, _ inputs: InputPairs, _ key: StreamKey, _ kernel: K, _ trace: inout RealisationTrace
    ) {
        switch (config.method, config.tangent) {
        case (.exact, true):
            runExactRealisation(config, inputs: inputs, key: key, kernel: kernel, tangent: WithTangent.self, into: &trace)
        case (.exact, false):
            runExactRealisation(config, inputs: inputs, key: key, kernel: kernel, tangent: WithoutTangent.self, into: &trace)
        case (.explicit, _):
            runExplicitRealisation(config, inputs: inputs, key: key, kernel: kernel, into: &trace)
        }
    }
}

/// Per-layer accumulators of one block of realisations.
struct BlockStatistics: Sendable {
    var rho: [RunningMoments]
    var q: [RunningMoments]
    var growth: [RunningMoments]
    var absorbed: [Int]
    var lyapunov = RunningMoments()

    init(depth: Int) {
        rho = Array(repeating: RunningMoments(), count: depth)
        q = rho
        growth = rho
        absorbed = Array(repeating: 0, count: depth)
    }

    mutating func add(_ trace: RealisationTrace) {
        for l in rho.indices {
            rho[l].add(trace.rho[l]); q[l].add(trace.q[l]); growth[l].add(trace.growth[l])
            if trace.absorbed[l] { absorbed[l] += 1 }
        }
    }

    mutating func merge(_ other: BlockStatistics) {
        for l in rho.indices {
            rho[l].merge(other.rho[l]); q[l].merge(other.q[l]); growth[l].merge(other.growth[l])
            absorbed[l] += other.absorbed[l]
        }
        lyapunov.merge(other.lyapunov)
    }
}
