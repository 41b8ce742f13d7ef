import Foundation

/// Gauss–Legendre quadrature on [−1, 1], used panel by panel for integrands with kinks.
///
///     ∫₋₁¹ f(t) dt ≈ Σᵢ wᵢ f(tᵢ),   exact for polynomials of degree ≤ 2n − 1.
///
/// - Complexity: O(n²) to build.
public struct GaussLegendreRule: Sendable {
    /// Nodes tᵢ in (−1, 1), ascending.
    public let nodes: [Double]
    /// Weights wᵢ, summing to 2.
    public let weights: [Double]

    /// Builds the rule with `count` nodes (count ≥ 1).
    public init(count: Int) {
        precondition(count >= 1, "a Gauss–Legendre rule needs at least one node")
        let n = count
        var x = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        for i in 1...((n + 1) / 2) {
            var z = cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p1 = 1.0, p2 = 0.0
                for j in 1...n {
                    let p3 = p2
                    p2 = p1
                    p1 = ((2.0 * Double(j) - 1.0) * z * p2 - (Double(j) - 1.0) * p3) / Double(j)
                }
                derivative = Double(n) * (z * p1 - p2) / (z * z - 1.0)
                let step = p1 / derivative
                z -= step
                if abs(step) <= 1e-16 { break }
            }
            x[i - 1] = -z
            x[n - i] = z
            w[i - 1] = 2.0 / ((1.0 - z * z) * derivative * derivative)
            w[n - i] = w[i - 1]
        }
        nodes = x
        weights = w
    }

    /// ∫ₐᵇ f(t) dt with one panel.
    @inlinable
    public func integral(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
        let half = 0.5 * (b - a), mid = 0.5 * (a + b)
        var sum = 0.0
        for i in nodes.indices { sum += weights[i] * f(mid + half * nodes[i]) }
        return sum * half
    }
}
