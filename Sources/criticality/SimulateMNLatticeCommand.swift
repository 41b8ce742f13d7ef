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
            (a site below the cutoff is set to exactly 0 until a neighbour feeds it again; all sites 0 is \
            absorbing). The rho-critical mu_c is the zero of the transverse Lyapunov exponent, mu_c = -lambda0 \
            (lyapunov mn-lattice). \
            Columns: \(mnLatticeColumns.joined(separator: ", ")); log_rho is <ln rho> over realisations, \
            log_rho_sd its spread. Repeat --mu for a scan, --size for sizes. classify reads the output with its dimension, 1.
            """
    )

    @Option(parsing: .unconditionalSingleValue, help: "Mean log multiplier per layer (the control); repeat for a scan.")
    var mu: [Double] = []

    @OptionGroup var chain: MNLatticeOptions

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

    func configurations() throws -> [MultiplicativeNoiseLatticeConfiguration] {
        guard !mu.isEmpty else { throw PropagationError.invalidParameter("give --mu X (repeatable); mu_c is -lambda0 from lyapunov mn-lattice") }
        let all = chain.sizes.flatMap { s in
            mu.map { MultiplicativeNoiseLatticeConfiguration(mu: $0, noise: chain.noise, coupling: chain.coupling, size: s, depth: depth,
                                                             cutoff: cutoff) }
        }
        for c in all { try c.validate() }
        return all
    }

    func validate() throws {
        do { _ = try configurations() } catch let PropagationError.invalidParameter(m) { throw ValidationError(m) }
        guard samples >= 2, samples <= 10_000_000 else { throw ValidationError("--samples must be in 2...10000000, got \(samples)") }
        guard depth.multipliedReportingOverflow(by: 64 * 3 * 24).partialValue < 8 << 30 else {
            throw ValidationError("--depth \(depth) needs more than 8 GB of accumulators; use at most \(8 << 30 / (64 * 3 * 24)) layers")
        }
        let cost = Double(mu.count * chain.sizes.count) * Double(samples) * Double(depth) * Double(chain.sizes.max() ?? 0)
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
            JSONValue.Field("noise", .number(chain.noise)), JSONValue.Field("coupling", .number(chain.coupling)),
            JSONValue.Field("cutoff", .number(cutoff)), JSONValue.Field("size", .array(chain.sizes.map { .integer($0) })), JSONValue.Field("depth", .integer(depth)),
            JSONValue.Field("samples", .integer(samples)), JSONValue.Field("seed", .unsigned(seed)), JSONValue.Field("dim", .integer(1)),
        ]
        try emitRun(table, metadata: metadata, output: output)
    }
}

let mnLatticeColumns = ["model", "dim", "mu", "noise", "coupling", "cutoff", "size", "depth", "rho", "rho_err", "log_rho", "log_rho_err", "log_rho_sd",
                        "samples", "seed"]

/// The chain's options that `simulate mn-lattice` and `lyapunov mn-lattice` share.
struct MNLatticeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Standard deviation of the log multiplier.")
    var noise: Double = 1

    @Option(parsing: .unconditional, help: "Nearest-neighbour coupling eps in (0, 1].")
    var coupling: Double = 0.5

    @Option(parsing: .unconditionalSingleValue, help: "Sites S on the ring; repeat for several sizes (default 1024).")
    var size: [Int] = []

    var sizes: [Int] { size.isEmpty ? [1024] : size }
}
