import ArgumentParser
import CriticalityCore
import Foundation
import MeanField
import Propagation
import Scaling

/// `criticality lyapunov cnn`: the replica Lyapunov exponent of a finite-channel CNN against σ_w.
struct LyapunovCNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "Replica Lyapunov exponent of a finite-channel CNN: lambda = 0 at a multiplicative-noise transition, not at a DP one.",
        discussion: """
            An infinitesimal difference v between two inputs is propagated with the realisation's weights, \
            v' = W * (phi'(h) v), and renormalised every layer; lambda is its mean log growth per layer after the \
            burn-in, averaged over realisations (error: standard error over realisations). The weights are drawn \
            as simulate cnn draws them at the same seed, so lambda belongs to the same networks as rho. Compare \
            lambda at the rho-critical sigma_w,c (find-critical cnn, classify): 0 there means the synchronisation \
            of the two signals is of the multiplicative-noise kind, nonzero the directed-percolation kind (negative \
            where finite differences spread by the nonlinearity, positive with a --cutoff) \
            (docs/models.md, "Replica Lyapunov exponent"). With a scan the zero of lambda is interpolated between \
            the bracketing values (error: lambda's error over the slope). Columns: model, activation, sigma_w, \
            sigma_b, dim, size, channels, kernel, untied, depth, burn_in, lambda, lambda_err, samples, seed.
            """
    )

    @Option(help: "Activation: \(Activation.allValueStrings.joined(separator: ", ")).")
    var activation: Activation = .tanh
    @Option(name: .customLong("sigma-w"), parsing: .unconditionalSingleValue, help: "A sigma_w (repeatable).")
    var sigmaW: [Double] = []
    @Option(help: ArgumentHelp("Scan sigma_w over FROM:TO:STEPS.", valueName: "FROM:TO:STEPS"), transform: parseGrid)
    var scan: ParameterGrid?
    @Option(name: .customLong("sigma-b"), parsing: .unconditional, help: "Bias standard deviation sigma_b.")
    var sigmaB: Double = 0.3
    @Option(parsing: .unconditional, help: "Spatial dimension d: 1 or 2.") var dim: Int = 1
    @Option(parsing: .unconditional, help: "Linear lattice size S.") var size: Int = 128
    @Option(parsing: .unconditional, help: "Channels C.") var channels: Int = 8
    @Option(parsing: .unconditional, help: "Odd kernel width K.") var kernel: Int = 3
    @Option(parsing: .unconditional, help: "Number of layers L.") var depth: Int = 500
    @Option(name: .customLong("burn-in"), parsing: .unconditional, help: "Layers discarded before averaging the growth.")
    var burnIn: Int = 50
    @Option(parsing: .unconditional, help: "Realisations per sigma_w.") var samples: Int = 32
    @Option(parsing: .unconditional, help: "Seed (the same networks as simulate cnn at this seed).") var seed: UInt64 = 1
    @Flag(help: "Untied weights (the locally connected control).") var untied = false
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions

    var values: [Double] { sigmaW + (scan?.values ?? []) }

    func configuration(_ w: Double) -> CNNConfiguration {
        var c = CNNConfiguration(activation: activation, sigmaW: w, sigmaB: sigmaB, dim: dim, size: size, channels: channels,
                                 kernel: kernel, depth: depth, start: .homogeneous)
        c.untied = untied
        return c
    }

    func validate() throws {
        guard !values.isEmpty else { throw ValidationError("give --sigma-w X (repeatable) or --scan FROM:TO:STEPS") }
        if let scan { try validateGrid("--scan", scan) }
        for w in values {
            do { try configuration(w).validate() } catch let PropagationError.invalidParameter(m) { throw ValidationError(m) }
        }
        guard burnIn >= 0, depth > burnIn else { throw ValidationError("--burn-in must be at least 0 and below --depth (got \(burnIn) and \(depth))") }
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2, got \(samples)") }
        let cost = Double(values.count) * Double(samples) * Double(depth) * Double(configuration(values[0]).sites) * Double(channels * channels)
        guard cost < 1e15 else { throw ValidationError("the run would take years (\(formatShort(cost)) multiply-adds); reduce --samples, --depth or --size") }
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        var table = Table(columns: ["model", "activation", "sigma_w", "sigma_b", "dim", "size", "channels", "kernel", "untied", "depth",
                                    "burn_in", "lambda", "lambda_err", "samples", "seed"])
        let (points, root) = CNNLyapunov.scan(configuration(values[0]), sigmaW: values, samples: samples, seed: seed, burnIn: burnIn,
                                              threads: threads.threads)
        for p in points {
            noteOnStderr("sigma_w = \(formatShort(p.sigmaW)): lambda = \(formatEstimate(p.lambda, p.error)) per layer")
            table.append([.text(untied ? "cnn-untied" : "cnn"), .text(activation.rawValue), .number(p.sigmaW), .number(sigmaB), .integer(dim),
                          .integer(size), .integer(channels), .integer(kernel), .text(untied ? "true" : "false"), .integer(depth),
                          .integer(burnIn), .number(p.lambda), .number(p.error), .integer(samples), .unsigned(seed)])
        }
        var zero: JSONValue = .null
        if let root {
            noteOnStderr("lambda = 0 at sigma_w = \(formatEstimate(root.sigmaW, root.error)) (interpolated)")
            zero = .object(["sigma_w": .number(root.sigmaW), "sigma_w_err": .number(root.error)])
        } else if points.count > 1 {
            noteOnStderr("lambda does not change sign from negative to positive along the values given")
        }
        let seconds = (clock.now - start) / .seconds(1)
        let metadata = runMetadata(command: "lyapunov cnn", seconds: seconds, threads: threads.threads) + [
            JSONValue.Field("model", .string(untied ? "cnn-untied" : "cnn")), JSONValue.Field("zero", zero),
        ]
        try emitRun(table, metadata: metadata, output: output)
    }
}
