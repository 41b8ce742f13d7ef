import ArgumentParser
import CriticalityCore
import Foundation
import Propagation

/// `criticality simulate noisy-map`: the calibration model of temporal noise in mean field.
struct SimulateNoisyMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noisy-map",
        abstract: "Calibration of temporal noise: rho' = min(1, exp(mu + noise xi) rho (1 - rho/2)), one shared growth rate per layer.",
        discussion: """
            Zero-dimensional: each realisation is one density whose growth rate fluctuates from layer to \
            layer. mu = 0 is critical: with --noise 0 the map is clean mean field (delta = 1), with --noise > 0 \
            it is in the temporal-noise mean-field class (delta = 1/2, <ln rho> ~ -sqrt(l), psi = 1/2). \
            Columns: \(noisyMapColumns.joined(separator: ", ")); log_rho is <ln rho> over realisations, \
            log_rho_sd its spread. Repeat --mu for a scan. classify reads the output with its dimension, 0.
            """
    )

    @Option(parsing: .unconditionalSingleValue, help: "Mean log growth rate per layer (critical at 0); repeat for a scan.")
    var mu: [Double] = [0]

    @Option(parsing: .unconditional, help: "Standard deviation of the log growth rate.")
    var noise: Double = 0.5

    @Option(parsing: .unconditional, help: "Number of layers L.")
    var depth: Int = 4096

    @Option(parsing: .unconditional, help: "Realisations per value of mu.")
    var samples: Int = 4096

    @Option(parsing: .unconditional, help: "Seed.")
    var seed: UInt64 = 1

    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions

    func configurations() throws -> [NoisyMapConfiguration] {
        let all = mu.map { NoisyMapConfiguration(mu: $0, noise: noise, depth: depth) }
        for c in all { try c.validate() }
        return all
    }

    func validate() throws {
        do { _ = try configurations() } catch let PropagationError.invalidParameter(m) { throw ValidationError(m) }
        guard samples >= 2, samples <= 100_000_000 else { throw ValidationError("--samples must be in 2...100000000, got \(samples)") }
        // Memory: one accumulator per layer and block (64 blocks) of three moments.
        guard depth.multipliedReportingOverflow(by: 64 * 3 * 24).partialValue < 8 << 30 else {
            throw ValidationError("--depth \(depth) needs more than 8 GB of accumulators; use at most \(8 << 30 / (64 * 3 * 24)) layers")
        }
    }

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        var table = Table(columns: noisyMapColumns)
        for c in try configurations() {
            let s = NoisyMap.run(c, samples: samples, seed: seed, threads: threads.threads)
            for l in 1...c.depth {
                table.append([.text("noisy-map"), .number(c.mu), .number(c.noise), .integer(l),
                              .number(s.rho[l - 1].value), .number(s.rho[l - 1].standardError),
                              .number(s.logRho[l - 1].value), .number(s.logRho[l - 1].standardError),
                              .number(s.logRho[l - 1].variance.squareRoot()), .integer(samples), .unsigned(seed)])
            }
        }
        let seconds = (clock.now - start) / .seconds(1)
        let metadata = runMetadata(command: "simulate noisy-map", seconds: seconds, threads: threads.threads) + [
            JSONValue.Field("model", .string("noisy-map")), JSONValue.Field("mu", .array(mu.map { .number($0) })),
            JSONValue.Field("noise", .number(noise)), JSONValue.Field("depth", .integer(depth)),
            JSONValue.Field("samples", .integer(samples)), JSONValue.Field("seed", .unsigned(seed)), JSONValue.Field("dim", .integer(0)),
        ]
        try emitRun(table, metadata: metadata, output: output)
    }
}

let noisyMapColumns = ["model", "mu", "noise", "depth", "rho", "rho_err", "log_rho", "log_rho_err", "log_rho_sd", "samples", "seed"]
