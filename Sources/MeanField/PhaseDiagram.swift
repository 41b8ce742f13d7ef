import CriticalityCore

/// Mean-field quantities on a (σ_w, σ_b) grid, computed in parallel.
public struct PhaseDiagram: Sendable {
    public let activation: Activation
    public let sigmaW: [Double]
    public let sigmaB: [Double]
    /// points[j][i] at (sigmaW[i], sigmaB[j]); `nil` where q* diverges.
    public let points: [[MeanFieldPoint?]]

    /// - Complexity: one ``MeanFieldNetwork/point(q0:)`` per grid cell, spread over `threads`.
    public init(activation: Activation, sigmaW: [Double], sigmaB: [Double], threads: Int = defaultThreadCount) throws {
        for w in sigmaW { try requireParameter("sigma_w", w) }
        for b in sigmaB { try requireParameter("sigma_b", b) }
        self.activation = activation
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        let n = sigmaW.count
        let flat = parallelMap(n * sigmaB.count, threads: threads) { k -> MeanFieldPoint? in
            let net = try? MeanFieldNetwork(activation: activation, sigmaW: sigmaW[k % n], sigmaB: sigmaB[k / n])
            return try? net?.point()
        }
        points = (0..<sigmaB.count).map { j in Array(flat[(j * n)..<((j + 1) * n)]) }
    }

    /// A tidy table with one row per grid cell (`phase = divergent` where q* = ∞).
    public var table: Table {
        var t = Table(columns: MeanFieldPoint.tableColumns)
        for (j, row) in points.enumerated() {
            for (i, p) in row.enumerated() {
                if let p {
                    t.append(p.tableRow)
                } else {
                    var cells = [Table.Cell](repeating: .number(.nan), count: MeanFieldPoint.tableColumns.count)
                    cells[0] = .text(activation.rawValue)
                    cells[1] = .number(sigmaW[i])
                    cells[2] = .number(sigmaB[j])
                    cells[3] = .text("divergent")
                    t.append(cells)
                }
            }
        }
        return t
    }
}
