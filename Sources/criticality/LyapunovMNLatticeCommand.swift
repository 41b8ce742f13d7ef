import ArgumentParser
import CriticalityCore
import Foundation
import Propagation
import Scaling

/// `criticality lyapunov mn-lattice`: λ₀ of the multiplicative-noise lattice, whose zero is its critical point.
struct LyapunovMNLatticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mn-lattice",
        abstract: "Transverse Lyapunov exponent lambda0 of the multiplicative-noise lattice; lambda(mu) = mu + lambda0 vanishes at mu = -lambda0.",
        discussion: """
            The chain of simulate mn-lattice without its saturation, from w = 1: lambda0 is the growth of \
            ln sum_x w per layer at mu = 0 after the burn-in, averaged over realisations (error: standard error \
            over realisations). It depends on the size as a directed polymer's free energy does (about 1/S); \
            give several --size values to see it. Columns: model, noise, coupling, size, depth, burn_in, lambda0, \
            lambda0_err, mu_zero, samples, seed.
            """
    )

    @OptionGroup var chain: MNLatticeOptions
    @Option(parsing: .unconditional, help: "Number of layers.") var depth: Int = 4096
    @Option(name: .customLong("burn-in"), parsing: .unconditional, help: "Layers discarded before measuring the growth.")
    var burnIn: Int = 512
    @Option(parsing: .unconditional, help: "Realisations per size.") var samples: Int = 32
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 1
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions

    func validate() throws {
        for s in chain.sizes {
            do {
                try MultiplicativeNoiseLatticeConfiguration(mu: 0, noise: chain.noise, coupling: chain.coupling, size: s, depth: depth).validate()
            } catch let PropagationError.invalidParameter(m) { throw ValidationError(m) }
        }
        guard burnIn >= 0, depth > burnIn else { throw ValidationError("--burn-in must be at least 0 and below --depth (got \(burnIn) and \(depth))") }
        guard samples >= 2, samples <= 10_000_000 else { throw ValidationError("--samples must be in 2...10000000, got \(samples)") }
        let cost = Double(chain.sizes.reduce(0, +)) * Double(samples) * Double(depth)
        guard cost < 1e13 else { throw ValidationError("the run would take weeks (\(formatShort(cost)) site updates); reduce --samples, --depth or --size") }
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        var table = Table(columns: ["model", "noise", "coupling", "size", "depth", "burn_in", "lambda0", "lambda0_err", "mu_zero", "samples", "seed"])
        for s in chain.sizes {
            let r = MultiplicativeNoiseLattice.lyapunov(noise: chain.noise, coupling: chain.coupling, size: s, depth: depth, burnIn: burnIn,
                                                        samples: samples, seed: seed, threads: threads.threads)
            noteOnStderr("S = \(s): lambda0 = \(formatEstimate(r.lambda0, r.error)) per layer, so lambda = 0 at mu = \(formatEstimate(-r.lambda0, r.error))")
            table.append([.text("mn-lattice"), .number(chain.noise), .number(chain.coupling), .integer(s), .integer(depth), .integer(burnIn),
                          .number(r.lambda0), .number(r.error), .number(-r.lambda0), .integer(samples), .unsigned(seed)])
        }
        let seconds = (clock.now - start) / .seconds(1)
        let metadata = runMetadata(command: "lyapunov mn-lattice", seconds: seconds, threads: threads.threads) + [
            JSONValue.Field("model", .string("mn-lattice")),
        ]
        try emitRun(table, metadata: metadata, output: output)
    }
}
