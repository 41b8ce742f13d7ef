import ArgumentParser
import Campaign
import CriticalityCore
import Foundation
import Propagation

extension LatticeProtocol: ExpressibleByArgument {}

/// The parameters that the lattice models (CNN and DP) share: protocol, realisations and seed.
enum LatticeParameters {
    static let shared: [ModelParameter] = [
        ModelParameter("protocol", .word, default: .text(LatticeProtocol.homogeneous.rawValue),
                       .word(LatticeProtocol.allCases.map(\.rawValue))),
        ModelParameter("samples", .integer, default: .integer(16), .atLeast(1)),
        ModelParameter("seed", .integer, default: .integer(1), .atLeast(0)),
        ModelParameter("common_streams", .boolean, default: .text("false")),
    ]
}

/// A model simulated on a lattice (CNN, DP): a configuration built from the values, the CSV's run
/// columns, and a run of realisations; a campaign task is the same for all of them.
protocol LatticeModel: SimulationModel {
    associatedtype Configuration
    static func configuration(_ values: ModelValues) throws -> Configuration
    static func label(_ configuration: Configuration) -> LatticeRunLabel
    static func run(_ configuration: Configuration, samples: Int, seed: UInt64, task: UInt64, threads: Int,
                    recordField: Bool) -> LatticeSeries
}

extension LatticeModel {
    static func runTask(_ v: ModelValues, seed: UInt64, task: UInt64, threads: Int) throws -> (table: Table, blocks: Table) {
        let config = try configuration(v)
        // Common random numbers (docs/analysis.md, "Common random numbers"): every task draws
        // realisation r from the streams of `simulate … --seed s`, so the curves of a scan differ by
        // the control value only, not by their noise.
        let streams = v.flag("common_streams") ? 0 : task
        let series = run(config, samples: v.integer("samples"), seed: seed, task: streams, threads: threads, recordField: false)
        return (latticeTable(series, label: label(config)), latticeBlocks(series))
    }
}

/// Options shared by `simulate cnn` and `simulate dp`: protocol, sampling and the field output.
struct LatticeRunOptions: ParsableArguments {
    @Option(help: "homogeneous (every site starts active) or spreading (one active site in the middle).")
    var `protocol`: LatticeProtocol = .homogeneous

    @Option(parsing: .unconditional, help: "Independent realisations.")
    var samples: Int = 16

    @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same numbers on any thread count.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Also write the per-site field (depth, site, value) of the longest-lived of the first 16 realisations to FILE.csv.", valueName: "FILE.csv"))
    var field: String?

    /// The shared model values.
    var values: [String: ParameterValue] { ["protocol": .text(`protocol`.rawValue), "samples": .integer(samples)] }
}

/// The blocks table of a lattice run: block, realisations, depth, rho, active, survival.
func latticeBlocks(_ series: LatticeSeries) -> Table {
    var t = Table(columns: ["block", "realisations", "depth", "rho", "active", "survival"])
    for (g, range) in groupBlocks(series.blocks.count).enumerated() {
        let n = range.reduce(0) { $0 + series.blocks[$1].realisations }
        for l in 0..<series.depth {
            var rho = RunningMoments(), active = RunningMoments()
            var survivors = 0
            for b in range {
                rho.merge(series.blocks[b].rho[l]); active.merge(series.blocks[b].active[l])
                survivors += series.blocks[b].survivors[l]
            }
            t.append([.integer(g), .integer(n), .integer(l + 1), .number(rho.value), .number(active.value),
                      .number(Double(survivors) / Double(max(n, 1)))])
        }
    }
    return t
}

/// At most this many blocks of consecutive realisations are stored per task.
let storedBlocks = 32

/// At most this many blocks of consecutive realisations are accumulated in a run (each keeps about
/// 130 bytes a layer until the end; at the 1 or 16 realisations a block that the models start from,
/// 8192 CNN realisations of 1000 layers held 1 GB, and a sweep of such tasks grew to 7 GB).
let accumulatedBlocks = 256

/// The realisations per accumulated block: `minimum`, or more when `samples` would need more
/// than ``accumulatedBlocks`` blocks. A function of the run alone, not of the threads, so results
/// do not depend on the thread count.
func latticeBlockSize(samples: Int, minimum: Int) -> Int {
    max(minimum, (samples + accumulatedBlocks - 1) / accumulatedBlocks)
}

/// The memory of a run's accumulators: blocks × depth × about 130 bytes.
func latticeAccumulatorBytes(samples: Int, depth: Int, minimumBlock: Int) -> Double {
    let size = latticeBlockSize(samples: samples, minimum: minimumBlock)
    let blocks = (samples + size - 1) / size
    return Double(blocks) * Double(depth) * 130
}

/// Merges consecutive fine blocks into at most ``storedBlocks`` groups, in order.
func groupBlocks(_ count: Int) -> [Range<Int>] {
    let per = (count + storedBlocks - 1) / storedBlocks
    return stride(from: 0, to: count, by: max(per, 1)).map { $0..<min(count, $0 + per) }
}
