import Foundation

/// Gauss–Hermite quadrature for expectations over a standard normal variable.
///
/// With nodes zᵢ and weights wᵢ (Σ wᵢ = 1),
///
///     E[g(z)] = ∫ g(z) e^{−z²/2} / √(2π) dz ≈ Σᵢ wᵢ g(zᵢ),
///
/// exact for polynomials of degree ≤ 2n − 1 and exponentially convergent for functions analytic in
/// a strip around the real axis. Nodes and weights come from the Golub–Welsch eigenvalue method,
/// stable for any number of nodes; weights that underflow are simply zero.
///
/// - Complexity: O(n²) to build; O(n) evaluations of `g` per expectation.
public struct GaussHermiteRule: Sendable {
    /// Nodes zᵢ of the probabilists' rule, ascending.
    public let nodes: [Double]
    /// Weights wᵢ, summing to 1.
    public let weights: [Double]

    /// Builds the rule with `count` nodes (count ≥ 1).
    public init(count: Int) {
        precondition(count >= 1, "a Gauss–Hermite rule needs at least one node")
        // Golub–Welsch: the nodes are the eigenvalues of the Jacobi matrix of the probabilists'
        // Hermite polynomials (zero diagonal, off-diagonal √k), the weights the squared first
        // components of its normalised eigenvectors (the normal distribution has unit mass).
        var diagonal = [Double](repeating: 0, count: count)
        var offDiagonal = (0..<count).map { $0 + 1 < count ? Double($0 + 1).squareRoot() : 0 }
        var firstRow = [Double](repeating: 0, count: count)
        firstRow[0] = 1
        symmetricTridiagonalEigen(&diagonal, &offDiagonal, &firstRow)
        let order = diagonal.indices.sorted { diagonal[$0] < diagonal[$1] }
        // Symmetrise: the rule is exactly even.
        var x = order.map { diagonal[$0] }
        var w = order.map { firstRow[$0] * firstRow[$0] }
        for i in 0..<(count / 2) {
            let node = 0.5 * (x[count - 1 - i] - x[i]), weight = 0.5 * (w[i] + w[count - 1 - i])
            x[i] = -node; x[count - 1 - i] = node
            w[i] = weight; w[count - 1 - i] = weight
        }
        if count % 2 == 1 { x[count / 2] = 0 }
        let total = w.reduce(0, +)
        nodes = x
        weights = w.map { $0 / total }
    }

    /// E[g(z)] for z ~ N(0, 1).
    @inlinable
    public func expectation(_ g: (Double) -> Double) -> Double {
        var sum = 0.0
        for i in nodes.indices { sum += weights[i] * g(nodes[i]) }
        return sum
    }
}
