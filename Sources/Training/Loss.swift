import Foundation

/// The training loss of a batch of B outputs f_b (C classes each) against one-hot targets y_b
/// (docs/training.md, "Losses"). The outputs enter as z_b = f_b − f₀(x_b) when an offset f₀ is
/// given (centred training), as f_b otherwise.
public enum Loss: String, Sendable, CaseIterable {
    /// (1/2B) Σ_b ‖z_b − y_b‖²: gradient flow on it is the kernel analysis's (docs/kernels.md).
    case mse
    /// −(1/B) Σ_b Σ_c y_bc ln softmax(z_b)_c: softmax cross-entropy.
    case crossEntropy = "cross-entropy"

    /// The loss of a batch and δ = ∂loss/∂f (B × C, row-major).
    ///
    /// - Complexity: O(B C).
    public func evaluate(outputs f: [Double], offset: [Double]?, targets y: [Double], classes: Int) -> (loss: Double, delta: [Double]) {
        precondition(f.count == y.count && classes >= 1 && f.count % classes == 0 && (offset?.count ?? f.count) == f.count)
        let batch = f.count / classes
        var delta = [Double](repeating: 0, count: f.count)
        var loss = 0.0
        let scale = 1 / Double(max(batch, 1))
        for r in 0..<batch {
            let row = r * classes
            switch self {
            case .mse:
                for c in 0..<classes {
                    let d = f[row + c] - (offset?[row + c] ?? 0) - y[row + c]
                    loss += 0.5 * d * d
                    delta[row + c] = d * scale
                }
            case .crossEntropy:
                // log-sum-exp with the largest logit taken out, so that no exponential overflows.
                var largest = -Double.infinity
                for c in 0..<classes { largest = max(largest, f[row + c] - (offset?[row + c] ?? 0)) }
                var sum = 0.0
                for c in 0..<classes { sum += Foundation.exp(f[row + c] - (offset?[row + c] ?? 0) - largest) }
                let logSum = largest + Foundation.log(sum)
                for c in 0..<classes {
                    let z = f[row + c] - (offset?[row + c] ?? 0)
                    loss -= y[row + c] * (z - logSum)
                    delta[row + c] = (Foundation.exp(z - logSum) - y[row + c]) * scale
                }
            }
        }
        return (loss * scale, delta)
    }
}
