import Campaign
import CriticalityCore
import Foundation
import Kernels
import MeanField

/// The infinite-width MLP trained on labelled data (docs/kernels.md, "Training on data"), as a
/// campaign model (`model = "ntk"`): one task trains at the depths 1, 2, 3, 5, 10, 20, 30, 50, …
/// up to `depth` (and at `depth`) and writes the table of `train ntk`.
///
/// `sigma_w = "critical"` with `sigma_w_scale = [0.95, 1, 1.05]` puts a network on the critical
/// line and 5% to either side of it. `input` is read relative to the folder the sweep runs in.
enum NTKModel: SimulationModel {
    static let name = "ntk"

    static let parameters: [ModelParameter] = [
        ModelParameter("activation", .word, default: .text("tanh"), .activation),
        ModelParameter("sigma_w", .numberOr(["critical"]), .atLeast(0)),
        ModelParameter("sigma_w_scale", .number, default: .number(1), .above(0)),
        ModelParameter("sigma_b", .number, default: .number(0.3), .atLeast(0)),
        ModelParameter("depth", .integer, default: .integer(10_000), .within(1, 10_000, upperOpen: false)),
        ModelParameter("train", .integer, default: .integer(500), .atLeast(2)),
        ModelParameter("test", .integer, default: .integer(500), .atLeast(1)),
        ModelParameter("seed", .integer, default: .integer(1), .atLeast(0)),
        ModelParameter("input", .word, default: .text("data/digits.csv.gz")),
        ModelParameter("label_column", .word, default: .text("last")),
        ModelParameter("labels", .word, default: .text("")),
        ModelParameter("kernel", .word, default: .text("both"), .word(["ntk", "nngp", "both"])),
        ModelParameter("steps", .word, default: .text("1000,100000")),
        ModelParameter("ridge", .number, default: .number(0), .atLeast(0)),
        ModelParameter("q0", .number, default: .number(1), .above(0)),
    ]

    static func jointProblem(_ v: ModelValues, naming: (String) -> String) -> String? {
        guard v["sigma_w"] != nil else { return "\(naming("sigma_w")) is needed (a number, or \"critical\" for the mean-field value)" }
        if stepList(v) == nil {
            return "\(naming("steps")) must be a comma-separated list of step counts >= 0 (or empty), got '\(v.word("steps"))'"
        }
        return labelColumnProblem(v, naming: naming) ?? varianceProblem(v, naming: naming)
    }

    /// The step counts of `steps` (empty for none), or nil when they do not parse.
    static func stepList(_ v: ModelValues) -> [Double]? {
        let text = v.word("steps").trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return [] }
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 }) else { return nil }
        return values.map { $0! }
    }

    /// The depths a task reports: 1, 2, 3, 5 times powers of ten up to `depth`, and `depth`.
    static func depths(upTo depth: Int) -> [Int] {
        var out: [Int] = []
        var decade = 1
        while decade <= depth {
            for m in [1, 2, 3, 5] where m * decade <= depth { out.append(m * decade) }
            decade *= 10
        }
        if out.last != depth { out.append(depth) }
        return out
    }

    /// Pair-layers of the recursion.
    static func cost(_ v: ModelValues) -> Double {
        let n = Double(v.integer("train")), m = Double(v.integer("test"))
        return (n * (n + 1) / 2 + n * m) * Double(v.integer("depth"))
    }

    static let nominalThroughput = 2.5e8

    /// The recursion's ρ and Θ at every reported depth, one depth's four matrices, and the
    /// eigendecomposition's workspace.
    static func memoryEstimate(_ v: ModelValues, threads: Int) -> Double {
        let n = Double(v.integer("train")), m = Double(v.integer("test"))
        let depths = Double(depths(upTo: max(1, v.integer("depth"))).count)
        return 16 * (n * n / 2 + n * m) * depths + 32 * (n * n + n * m) + 48 * n * n + 50e6
    }

    static func runTask(_ v: ModelValues, seed: UInt64, task: UInt64, threads: Int) throws -> (table: Table, blocks: Table) {
        let (activation, sigmaWCritical, sigmaB, q0) = try network(v)
        let sigmaW = sigmaWCritical * v.number("sigma_w_scale")
        let split = try trainingSplit(v, shuffleSeed: seed, q0: q0)
        let net = try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB)
        let training = split.training(network: net, q0: q0)
        let word = v.word("kernel")
        let kernels: [KernelKind] = word == "both" ? [.ntk, .nngp] : [KernelKind(rawValue: word) ?? .ntk]
        let (rows, _) = try training.run(depths: depths(upTo: v.integer("depth")), kernels: kernels, times: [.infinity],
                                         steps: stepList(v) ?? [], ridge: v.number("ridge"), threads: threads)
        return (try trainingTable(rows, training: training, threads: threads), Table(columns: ["block"]))
    }
}
