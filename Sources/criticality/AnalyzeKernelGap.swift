import ArgumentParser
import CriticalityCore
import Foundation
import Plotting
import Scaling

/// `criticality analyze kernel-gap`: trained finite networks against their infinite-width
/// prediction (docs/training.md, "The gap to the kernel limit" and "Depth against width").
struct AnalyzeKernelGap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel-gap",
        abstract: "Trained finite networks against the kernel limit: the gap's scaling with the width, the depth-width trade-off.",
        discussion: """
            Reads tables of train mlp (CSV files) or train campaign stores with the kernel prediction (MSE loss, NTK \
            parameterisation). Networks with the same activation, sigma_w, sigma_b, depth and width are replicates \
            (seeds); each is read at --time (default: the largest time every network reached). Rows: activation, \
            sigma_w, sigma_b, depth, width, depth_over_width, networks, time, test_mse, test_mse_err (the standard \
            error over replicates; with one network, its error over the test points), kernel_test_mse, gap = test_mse \
            - kernel_test_mse, gap_err, relative_gap = gap / kernel_test_mse, relative_gap_err. On stderr and in \
            --format json: per depth, the exponent a of gap ~ n^-a (a weighted fit of ln gap against ln n over the \
            widths whose gap exceeds twice its error; the error is the larger of the one from the gaps' errors and \
            the one from the residuals); per depth, the width n* at which the relative gap falls to --tolerance \
            (interpolated in ln n) and the fits n* = mu L and n* ~ L^s; and whether the relative gap collapses on L/n: \
            the spread between depths at equal L/n against the spread at equal n, and the power p for which L^p/n \
            collapses it best.
            """
    )

    @Argument(help: ArgumentHelp("Tables of train mlp or train campaign stores.", valueName: "INPUT"))
    var inputs: [String]
    @Option(parsing: .unconditional, help: "The training time t = learning_rate x steps at which networks are compared.")
    var time: Double?
    @Option(parsing: .unconditional, help: "Relative gap within which a network counts as in the kernel regime.")
    var tolerance: Double = 0.1
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one table of train mlp or train campaign store") }
        if let time { try validateParameter("--time", time) }
        try validateParameter("--tolerance", tolerance, strict: true)
    }

    func run() throws {
        let table = try AnalysisData.load(inputs).table
        let points = try KernelGapPoint.read(table, time: time)
        let fits = KernelGapFit.byDepth(points)
        let widthNeeded = WidthNeeded(points, tolerance: tolerance)
        let collapse = KernelGapCollapse(points)
        for f in fits {
            noteOnStderr("\(f.label): gap ~ n^-a with a = \(formatEstimate(f.exponent, f.error)) over n = \(f.widths.map(formatShort).joined(separator: ", "))")
        }
        for line in widthNeeded.sentences + collapse.sentences { noteOnStderr(line) }
        var rows = Table(columns: ["activation", "sigma_w", "sigma_b", "depth", "width", "depth_over_width", "networks", "time",
                                   "test_mse", "test_mse_err", "kernel_test_mse", "gap", "gap_err", "relative_gap", "relative_gap_err"])
        for p in points {
            rows.append([.text(p.activation), .number(p.sigmaW), .number(p.sigmaB), .integer(p.depth), .integer(p.width),
                         .number(Double(p.depth) / Double(p.width)), .integer(p.networks), .number(p.time), .number(p.testMSE),
                         .number(p.testError), .number(p.kernelMSE), .number(p.gap), .number(p.testError),
                         .number(p.relativeGap), .number(p.testError / p.kernelMSE)])
        }
        if output.format == .json {
            try output.emit(text: JSONValue.object([
                "points": rows.json(), "exponents": .array(fits.map(\.json)), "width_needed": widthNeeded.json,
                "collapse": collapse.json,
            ]).rendered() + "\n")
        } else {
            try output.emit(rows)
        }
        if let path = plot.plot {
            try writeFigure(kernelGapFigure(points, fits: fits, widthNeeded: widthNeeded, collapse: collapse).svg(), to: path)
        }
    }
}

/// One (activation, σ_w, σ_b, depth, width) at one time, averaged over its networks.
struct KernelGapPoint {
    var activation: String
    var sigmaW: Double, sigmaB: Double
    var depth: Int, width: Int
    var networks: Int
    var time: Double
    var testMSE: Double, testError: Double
    var kernelMSE: Double
    var gap: Double { testMSE - kernelMSE }
    var relativeGap: Double { gap / kernelMSE }
    /// The network family a point belongs to (activation and σ_b).
    var group: String { "\(activation), σ_b = \(formatShort(sigmaB))" }
    /// The curve a point belongs to (everything but the width).
    var family: String { "\(group), L = \(depth)" }

    /// The points of a table of `train mlp` at `time` (nil: the largest time every network reached).
    static func read(_ table: TidyTable, time: Double?) throws -> [KernelGapPoint] {
        var index: [String: Int] = [:]
        for name in ["activation", "sigma_w", "sigma_b", "depth", "width", "time", "test_mse", "test_mse_err", "kernel_test_mse"] {
            guard let k = table.index(of: name) else {
                throw InputError.invalid("no column '\(name)': analyze kernel-gap reads the tables of train mlp; the columns are \(table.columns.filter { $0 != "source" }.joined(separator: ", "))")
            }
            index[name] = k
        }
        let network = ["task", "source"].compactMap { table.index(of: $0) }
        func key(_ row: [String]) -> String { network.map { row[$0] }.joined(separator: "|") }
        // Each network's rows, and the time to read them at.
        var rows: [String: [[String]]] = [:]
        for row in table.rows { rows[key(row), default: []].append(row) }
        let reached = rows.values.map { $0.compactMap { TidyTable.number($0[index["time"]!]) }.max() ?? 0 }
        let t = time ?? reached.min() ?? 0
        var groups: [String: [(mse: Double, err: Double, kernel: Double, row: [String])]] = [:]
        var order: [String] = []
        for row in table.rows where TidyTable.number(row[index["time"]!]).map({ abs($0 - t) <= 1e-9 * max(1, t) }) == true {
            guard let mse = TidyTable.number(row[index["test_mse"]!]), let kernel = TidyTable.number(row[index["kernel_test_mse"]!]) else { continue }
            let g = ["activation", "sigma_w", "sigma_b", "depth", "width"].map { row[index[$0]!] }.joined(separator: "|")
            if groups[g] == nil { order.append(g) }
            groups[g, default: []].append((mse, TidyTable.number(row[index["test_mse_err"]!]) ?? .nan, kernel, row))
        }
        guard !order.isEmpty else {
            throw InputError.invalid("no rows with a kernel prediction at time \(formatShort(t)) (the kernel prediction needs --loss mse and the NTK parameterisation)")
        }
        return order.map { g in
            let members = groups[g]!
            let row = members[0].row
            var m = RunningMoments()
            for x in members { m.add(x.mse) }
            return KernelGapPoint(activation: row[index["activation"]!], sigmaW: TidyTable.number(row[index["sigma_w"]!]) ?? .nan,
                                  sigmaB: TidyTable.number(row[index["sigma_b"]!]) ?? .nan,
                                  depth: Int(TidyTable.number(row[index["depth"]!]) ?? 0), width: Int(TidyTable.number(row[index["width"]!]) ?? 0),
                                  networks: members.count, time: t, testMSE: m.mean,
                                  testError: members.count > 1 ? m.standardError : members[0].err, kernelMSE: members[0].kernel)
        }.sorted { ($0.activation, $0.sigmaB, $0.depth, $0.width) < ($1.activation, $1.sigmaB, $1.depth, $1.width) }
    }
}

/// The exponent of gap ~ n^−a for one family of widths.
struct KernelGapFit {
    var label: String
    var depth: Int
    var exponent: Double, error: Double
    var amplitude: Double
    var widths: [Double]

    /// One fit per family with at least two widths whose gap exceeds twice its error.
    static func byDepth(_ points: [KernelGapPoint]) -> [KernelGapFit] {
        return distinctInOrder(points.map(\.family)).compactMap { family in
            let usable = points.filter { $0.family == family && $0.gap > 2 * $0.testError && $0.testError > 0 }
            guard usable.count >= 2 else { return nil }
            let x = usable.map { log(Double($0.width)) }, y = usable.map { log($0.gap) }
            let sigma = usable.map { $0.testError / $0.gap }
            guard let line = LeastSquares.line(x: x, y: y, weights: sigma.map { 1 / ($0 * $0) }) else { return nil }
            // The error the gaps' own errors give, and the one from the scatter about the line.
            let mx = zip(x, sigma).reduce(0.0) { $0 + $1.0 / ($1.1 * $1.1) } / sigma.reduce(0.0) { $0 + 1 / ($1 * $1) }
            let sxx = zip(x, sigma).reduce(0.0) { $0 + ($1.0 - mx) * ($1.0 - mx) / ($1.1 * $1.1) }
            let known = 1 / sxx.squareRoot()
            let error = line.slopeError.isFinite ? max(known, line.slopeError) : known
            return KernelGapFit(label: family, depth: usable[0].depth, exponent: -line.slope, error: error, amplitude: exp(line.intercept),
                                widths: usable.map { Double($0.width) })
        }
    }

    var json: JSONValue {
        .object(["family": .string(label), "depth": .integer(depth), "exponent": .number(exponent), "exponent_err": .number(error),
                 "amplitude": .number(amplitude), "widths": .array(widths.map { .number($0) })])
    }
}

/// The distinct values of `items` in the order they first appear.
func distinctInOrder<T: Hashable>(_ items: [T]) -> [T] {
    var seen = Set<T>()
    return items.filter { seen.insert($0).inserted }
}
