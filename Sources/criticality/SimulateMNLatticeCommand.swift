import ArgumentParser
import CriticalityCore
import Foundation
import Propagation
import Scaling

/// `criticality simulate mn-lattice`: the calibration model of the multiplicative-noise class in 1+1 dimensions.
struct SimulateMNLatticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mn-lattice",
        abstract: "Calibration of multiplicative noise in 1+1 d: w' = min(1, exp(mu + noise xi_x) [(1 - eps) w_x + eps/2 (w_x-1 + w_x+1)]).",
        discussion: """
            A ring of S sites, each a small difference between two replicas that grows or shrinks by an \
            independent random factor per site and layer and is shared with its neighbours; w = 1 is the \
            saturation. Run in h = -ln w, so no difference is ever rounded to zero unless --cutoff asks for it \
            (a site below the cutoff is set to exactly 0 until a neighbour feeds it again; all sites 0 is absorbing). The rho-critical mu_c is the \
            zero of the transverse Lyapunov exponent, mu_c = -lambda0 (lyapunov mn-lattice). \
            Columns: \(mnLatticeColumns.joined(separator: ", ")); log_rho is <ln rho> over realisations, \
            log_rho_sd its spread. Repeat --mu for a scan, --size for sizes. classify reads the output with its dimension, 1.
            """
    )

    @Option(parsing: .unconditionalSingleValue, help: "Mean log multiplier per layer (the control); repeat for a scan.")
    var mu: [Double] = []

    @Option(parsing: .unconditional, help: "Standard deviation of the log multiplier.")
    var noise: Double = 1

    @Option(parsing: .unconditional, help: "Nearest-neighbour coupling eps in (0, 1].")
    var coupling: Double = 0.5

    @Option(parsing: .unconditionalSingleValue, help: "Sites S on the ring; repeat for several sizes.")
    var size: [Int] = []

    @Option(parsing: .unconditional, help: "Set a site's w to exactly 0 when it falls below this (0: never), a true local absorbing state.")
    var cutoff: Double = 0

    @Option(parsing: .unconditional, help: "Number of layers L.")
    var depth: Int = 1024

    @Option(parsing: .unconditional, help: "Realisations per (mu, size).")
    var samples: Int = 64

    @Option(parsing: .unconditional, help: "Seed.")
    var seed: UInt64 = 1

    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions

    var sizes: [Int] { size.isEmpty ? [1024] : size }

    func configurations() throws -> [MultiplicativeNoiseLatticeConfiguration] {
        guard !mu.isEmpty else { throw PropagationError.invalidParameter("give --mu X (repeatable); mu_c is -lambda0 from lyapunov mn-lattice") }
        let all = sizes.flatMap { s in mu.map { MultiplicativeNoiseLatticeConfiguration(mu: $0, noise: noise, coupling: coupling, size: s, depth: depth,
                                                                                            cutoff: cutoff) } }
        for c in all { try c.validate() }
        return all
    }

    func validate() throws {
        do { _ = try configurations() } catch let PropagationError.invalidParameter(m) { throw ValidationError(m) }
        guard samples >= 2, samples <= 10_000_000 else { throw ValidationError("--samples must be in 2...10000000, got \(samples)") }
        guard depth.multipliedReportingOverflow(by: 64 * 3 * 24).partialValue < 8 << 30 else {
            throw ValidationError("--depth \(depth) needs more than 8 GB of accumulators; use at most \(8 << 30 / (64 * 3 * 24)) layers")
        }
        let cost = Double(mu.count * sizes.count) * Double(samples) * Double(depth) * Double(sizes.max() ?? 0)
        guard cost < 1e13 else { throw ValidationError("the run would take weeks (\(formatShort(cost)) site updates); reduce --samples, --depth or --size") }
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        var table = Table(columns: mnLatticeColumns)
        for c in try configurations() {
            let s = MultiplicativeNoiseLattice.run(c, samples: samples, seed: seed, threads: threads.threads)
            for l in 1...c.depth {
                table.append([.text("mn-lattice"), .integer(1), .number(c.mu), .number(c.noise), .number(c.coupling), .number(c.cutoff),
                              .integer(c.size), .integer(l), .number(s.rho[l - 1].value), .number(s.rho[l - 1].standardError),
                              .number(s.logRho[l - 1].value), .number(s.logRho[l - 1].standardError),
                              .number(s.logRho[l - 1].variance.squareRoot()), .integer(samples), .unsigned(seed)])
            }
        }
        let seconds = (clock.now - start) / .seconds(1)
        let metadata = runMetadata(command: "simulate mn-lattice", seconds: seconds, threads: threads.threads) + [
            JSONValue.Field("model", .string("mn-lattice")), JSONValue.Field("mu", .array(mu.map { .number($0) })),
            JSONValue.Field("noise", .number(noise)), JSONValue.Field("coupling", .number(coupling)),
            JSONValue.Field("cutoff", .number(cutoff)), JSONValue.Field("size", .array(sizes.map { .integer($0) })), JSONValue.Field("depth", .integer(depth)),
            JSONValue.Field("samples", .integer(samples)), JSONValue.Field("seed", .unsigned(seed)), JSONValue.Field("dim", .integer(1)),
        ]
        try emitRun(table, metadata: metadata, output: output)
    }
}

let mnLatticeColumns = ["model", "dim", "mu", "noise", "coupling", "cutoff", "size", "depth", "rho", "rho_err", "log_rho", "log_rho_err", "log_rho_sd",
                        "samples", "seed"]

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

    @Option(parsing: .unconditional, help: "Standard deviation of the log multiplier.") var noise: Double = 1
    @Option(parsing: .unconditional, help: "Nearest-neighbour coupling eps in (0, 1].") var coupling: Double = 0.5
    @Option(parsing: .unconditionalSingleValue, help: "Sites S on the ring; repeat for several sizes.") var size: [Int] = []
    @Option(parsing: .unconditional, help: "Number of layers.") var depth: Int = 4096
    @Option(name: .customLong("burn-in"), parsing: .unconditional, help: "Layers discarded before measuring the growth.")
    var burnIn: Int = 512
    @Option(parsing: .unconditional, help: "Realisations per size.") var samples: Int = 32
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 1
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions

    var sizes: [Int] { size.isEmpty ? [1024] : size }

    func validate() throws {
        for s in sizes {
            do {
                try MultiplicativeNoiseLatticeConfiguration(mu: 0, noise: noise, coupling: coupling, size: s, depth: depth).validate()
            } catch let PropagationError.invalidParameter(m) { throw ValidationError(m) }
        }
        guard burnIn >= 0, depth > burnIn else { throw ValidationError("--burn-in must be at least 0 and below --depth (got \(burnIn) and \(depth))") }
        guard samples >= 2, samples <= 10_000_000 else { throw ValidationError("--samples must be in 2...10000000, got \(samples)") }
        let cost = Double(sizes.reduce(0, +)) * Double(samples) * Double(depth)
        guard cost < 1e13 else { throw ValidationError("the run would take weeks (\(formatShort(cost)) site updates); reduce --samples, --depth or --size") }
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        var table = Table(columns: ["model", "noise", "coupling", "size", "depth", "burn_in", "lambda0", "lambda0_err", "mu_zero", "samples", "seed"])
        for s in sizes {
            let r = MultiplicativeNoiseLattice.lyapunov(noise: noise, coupling: coupling, size: s, depth: depth, burnIn: burnIn,
                                                        samples: samples, seed: seed, threads: threads.threads)
            noteOnStderr("S = \(s): lambda0 = \(formatEstimate(r.lambda0, r.error)) per layer, so lambda = 0 at mu = \(formatEstimate(-r.lambda0, r.error))")
            table.append([.text("mn-lattice"), .number(noise), .number(coupling), .integer(s), .integer(depth), .integer(burnIn),
                          .number(r.lambda0), .number(r.error), .number(-r.lambda0), .integer(samples), .unsigned(seed)])
        }
        let seconds = (clock.now - start) / .seconds(1)
        let metadata = runMetadata(command: "lyapunov mn-lattice", seconds: seconds, threads: threads.threads) + [
            JSONValue.Field("model", .string("mn-lattice")),
        ]
        try emitRun(table, metadata: metadata, output: output)
    }
}
