import CriticalityCore
import Foundation

/// ρ⁰ = 1 − cos(x_i, x_j) of every pair i ≤ j of a data set, in the packed order
/// (0,0), (0,1), …, (0,N−1), (1,1), …, computed as |x̂_i − x̂_j|²/2 with x̂ = x/|x|, so that nearly
/// parallel inputs keep their small distance instead of losing it to 1 − c.
///
/// - Complexity: O(N² n₀).
public func inputDistances(_ rows: [[Double]], threads: Int = defaultThreadCount) -> [Double] {
    let n = rows.count
    let unit = rows.map { row -> [Double] in
        let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? row.map { $0 / norm } : row
    }
    let perRow = parallelMap(n, threads: threads) { i -> [Double] in
        let a = unit[i]
        return (i..<n).map { j in
            let b = unit[j]
            var sum = 0.0
            for k in a.indices { let d = a[k] - b[k]; sum += d * d }
            return sum / 2
        }
    }
    return perRow.flatMap { $0 }
}

/// The pair (i, j), i ≤ j, at packed index `p` of N points (the order of ``inputDistances(_:threads:)``).
public func packedPairs(_ n: Int) -> [(i: Int, j: Int)] {
    var out: [(Int, Int)] = []
    out.reserveCapacity(n * (n + 1) / 2)
    for i in 0..<n { for j in i..<n { out.append((i, j)) } }
    return out
}
