import ArgumentParser
import CriticalityCore
import Foundation
import Kernels
import MeanField
import Plotting
import Propagation

/// `criticality kernel …`: infinite-width kernels of data.
struct KernelGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Infinite-width kernels (NNGP and NTK) of every pair of a data set.",
        subcommands: [KernelMLPCommand.self]
    )
}

/// `criticality kernel mlp`: the NNGP and NTK of an MLP for every pair of rows of a data file.
struct KernelMLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "NNGP and NTK of an infinitely wide MLP for every pair of the first N rows of a data file, at a list of depths.",
        discussion: """
            Rows are rescaled to mean square q0 (every point then has the same K(x, x) at each depth; docs/kernels.md), \
            unless --raw-input. \
            Columns: activation, sigma_w, sigma_b, depth, i, j (rows counted from 0 in file order, i <= j), rho \
            (1 - K_ij / sqrt(K_ii K_jj), without cancellation), nngp, ntk.
            """
    )

    @OptionGroup var initial: InitialisationOptions
    @Option(help: ArgumentHelp("Depths, comma-separated (each 1 to 10000).", valueName: "L1,L2,..."))
    var depth: String = "1,10,100"
    @Option(help: ArgumentHelp("The data: CSV (or CSV.gz) of numeric columns, or an IDX images file of MNIST's format (.idx, -ubyte, or either gzipped).", valueName: "FILE"))
    var input: String
    @Option(name: .customLong("label-column"), help: ArgumentHelp("Column of --input to ignore: a 1-based index or 'last'.", valueName: "COLUMN"))
    var labelColumn: String?
    @Option(parsing: .unconditional, help: "Use the first N rows (default: all).")
    var rows: Int?
    @Option(parsing: .unconditional, help: "Mean square q0 the rows are rescaled to.")
    var q0: Double = 1
    @Flag(name: .customLong("raw-input"), help: "Use the rows as they are (each with its own variance; slower: pair-by-pair quadrature, rho to about 1e-16 absolute) instead of rescaling each to mean square q0.")
    var rawInput = false
    @OptionGroup var threads: ThreadOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var plot: PlotOption

    func depths() throws -> [Int] { try parseDepthList(depth) }

    func validate() throws {
        _ = try depths()
        try validateParameter("--q0", q0, strict: true)
        if let rows, rows < 1 { throw ValidationError("--rows must be at least 1, got \(rows)") }
        try validateLabelColumn(labelColumn)
        if let rows {
            // Every pair and depth becomes a row of about 120 bytes of output.
            let pairs = Double(rows) * Double(rows + 1) / 2
            do { try MemoryBudget.require(pairs * Double(try depths().count) * 300, for: "the kernels of \(rows) rows") }
            catch let e as ModelError { throw ValidationError(e.description) }
        }
    }

    func run() throws {
        var data = try readKernelData(input: input, labelColumn: labelColumn, labels: nil).rows
        if let rows {
            guard rows <= data.count else { throw CLIError("--rows \(rows) exceeds the \(data.count) rows of \(input)") }
            data = Array(data.prefix(rows))
        }
        let inputs = try InputData(rows: data, rescaleTo: rawInput ? nil : q0)
        let sigmaW = try initial.sigmaW(q0: q0)
        let network = try MeanFieldNetwork(activation: initial.activation, sigmaW: sigmaW, sigmaB: initial.sigmaB)
        let list = try depths()
        let pairs = packedPairs(data.count)
        var table = Table(columns: ["activation", "sigma_w", "sigma_b", "depth", "i", "j", "rho", "nngp", "ntk"])
        func append(_ d: Int, _ pair: (i: Int, j: Int), rho: Double, nngp: Double, ntk: Double) {
            table.append([.text(initial.activation.rawValue), .number(sigmaW), .number(initial.sigmaB), .integer(d), .integer(pair.i),
                          .integer(pair.j), .number(rho), .number(nngp), .number(ntk)])
        }
        let clock = ContinuousClock()
        let start = clock.now
        if rawInput {
            let engine = RawInputKernels(network: network)
            let (nngp, ntk) = engine.run(inputs.rows, pairs: pairs, depths: list, threads: threads.threads)
            let diagonal = engine.diagonal(inputs.rows, depth: list.max()!)
            noteOnStderr(String(format: "kernel: %d rows as they are, %d pairs, depths %@: %.2f s (pair-by-pair quadrature)", data.count,
                                pairs.count, list.map(String.init).joined(separator: ","), (clock.now - start) / .seconds(1)))
            for (k, d) in list.enumerated() {
                for (p, pair) in pairs.enumerated() {
                    let scale = (diagonal[pair.i][d - 1] * diagonal[pair.j][d - 1]).squareRoot()
                    let rho = pair.i == pair.j ? 0 : max(0, 1 - nngp[k][p] / scale)
                    append(d, pair, rho: rho, nngp: nngp[k][p], ntk: ntk[k][p])
                }
            }
        } else {
            let rho0 = inputDistances(inputs.rows, threads: threads.threads)
            let engine = KernelRecursion(network: network, q0: q0, depth: list.max()!)
            let tablesDone = clock.now
            let (rho, ntk) = engine.run(rho0: rho0, depths: list, threads: threads.threads)
            let seconds = (clock.now - start) / .seconds(1)
            noteOnStderr(String(format: "kernel: %d rows, %d pairs, depths %@: %.2f s (per-layer tables of the correlation map %.2f s, %d distinct; their largest deviation from the exact map %.1e)",
                                data.count, rho0.count, list.map(String.init).joined(separator: ","), seconds,
                                (tablesDone - start) / .seconds(1), Set(engine.tables.map(\.q)).count, engine.maximumTableError))
            for (k, d) in list.enumerated() {
                let q = engine.q[d - 1]
                for (p, pair) in pairs.enumerated() { append(d, pair, rho: rho[k][p], nngp: q * (1 - rho[k][p]), ntk: ntk[k][p]) }
            }
        }
        let ntkColumn = table.numbers("ntk"), depthValues = table.numbers("depth")
        let overflowed = Set(ntkColumn.indices.filter { !ntkColumn[$0].isFinite }.map { Int(depthValues[$0]) }).sorted()
        if !overflowed.isEmpty {
            noteOnStderr("note: the NTK overflows double precision (inf) at depth \(overflowed.map(String.init).joined(separator: ", ")): it grows like chi1^L in the chaotic phase")
        }
        try output.emit(table)
        if let path = plot.plot {
            // ρ of the pairs i < j at each depth: median and quartiles.
            let rhoColumn = table.numbers("rho"), depthColumn = table.numbers("depth")
            let iColumn = table.numbers("i"), jColumn = table.numbers("j")
            var median: [Double] = [], low: [Double] = [], high: [Double] = []
            for d in list.sorted() {
                let values = rhoColumn.indices.filter { depthColumn[$0] == Double(d) && iColumn[$0] != jColumn[$0] }.map { rhoColumn[$0] }.sorted()
                guard !values.isEmpty else { continue }
                func quantile(_ p: Double) -> Double { values[min(values.count - 1, Int(p * Double(values.count - 1)))] }
                median.append(quantile(0.5)); low.append(quantile(0.25)); high.append(quantile(0.75))
            }
            let xs = list.sorted().map(Double.init)
            var series = [
                Series(name: "median over pairs", x: xs, y: median, style: .lineAndMarkers, color: Color.palette[0]),
                Series(name: "quartiles", x: xs, y: low, style: .line, color: Color.palette[0], dashed: true, lineWidth: 1),
                Series(name: "", x: xs, y: high, style: .line, color: Color.palette[0], dashed: true, lineWidth: 1),
            ]
            // At criticality every pair approaches 1/(κ L).
            if let point = try? network.point(q0: q0), abs(point.chi1 - 1) < 1e-6, point.kappa.isFinite, point.kappa > 0 {
                series.append(Series(name: String(format: "1/(κ L), κ = %.4g", point.kappa), x: xs, y: xs.map { 1 / (point.kappa * $0) },
                                     color: Color(r: 90, g: 90, b: 90), dashed: true, lineWidth: 1.5))
            }
            let figure = Figure(title: "\(initial.activation.rawValue), σ_w = \(String(format: "%.6g", sigmaW)), σ_b = \(formatNumber(initial.sigmaB)): ρ = 1 − c of \(pairs.count - data.count) pairs",
                                xAxis: Axis(label: "depth L", scale: .log), yAxis: Axis(label: "ρ", scale: .log), series: series)
            try writeFigure(figure.svg(), to: path)
        }
    }
}

/// Parses `--depth`: comma-separated depths from 1 to 10⁴.
func parseDepthList(_ text: String) throws -> [Int] {
    let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 1 && $0! <= 10_000 }) else {
        throw ValidationError("--depth expects comma-separated depths from 1 to 10000, got '\(text)'")
    }
    return parts.map { $0! }
}

/// The rows of a data file for the kernel commands, and their labels when asked for: a CSV (or
/// CSV.gz) whose `--label-column` holds them, or an IDX images file with an IDX labels file.
func readKernelData(input: String, labelColumn: String?, labels: String?) throws -> (rows: [[Double]], labels: [Double]?) {
    if isIDXName(input) {
        // MNIST-style images: one row per image, pixels flattened.
        guard labelColumn == nil else { throw CLIError("--label-column applies to CSV files, not to the IDX file \(input); give the labels with --labels FILE") }
        let rows = try IDXFile(contentsOf: input).rows
        guard rows.count >= 1, rows[0].count >= 1 else { throw CLIError("\(input) holds no rows") }
        guard let labels else { return (rows, nil) }
        let file = try IDXFile(contentsOf: labels)
        guard file.shape.count == 1 else { throw CLIError("\(labels) is not an IDX labels file (one dimension); its shape is \(file.shape)") }
        guard file.values.count == rows.count else {
            throw CLIError("\(labels) holds \(file.values.count) labels for the \(rows.count) images of \(input)")
        }
        return (rows, file.values)
    }
    guard labels == nil else { throw CLIError("--labels applies to IDX images; the labels of the CSV file \(input) are one of its columns (--label-column)") }
    return try readLabelledRows(input, labelColumn: labelColumn)
}

/// Whether a file name is one of the IDX format's (`.idx`, `…-idx3-ubyte`, optionally `.gz`).
func isIDXName(_ path: String) -> Bool {
    let name = (path as NSString).lastPathComponent.lowercased()
    let base = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
    return base.hasSuffix(".idx") || base.hasSuffix("-ubyte") || base.contains("-idx")
}
