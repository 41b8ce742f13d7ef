import MeanField

/// How a finite-width MLP is sampled.
public enum PropagationMethod: String, Sendable, CaseIterable {
    /// The exact weight-free Gram sampler (docs/algorithms.md, "Exact sampler"): O(n k) per layer.
    case exact
    /// Explicit Gaussian weight matrices: O(n²) per layer; the reference the exact method is tested against.
    case explicit
}

/// A finite-width MLP (docs/models.md, "Fully connected network (MLP)"): width n in every hidden layer, depth L, fresh weights
/// W_ij ~ N(0, σ_w²/n_in) and biases b_i ~ N(0, σ_b²) in every layer.
public struct MLPConfiguration: Sendable, Equatable {
    public var activation: Activation
    public var sigmaW: Double
    public var sigmaB: Double
    public var width: Int
    public var depth: Int
    public var method: PropagationMethod
    /// Propagate a tangent vector for the maximum Lyapunov exponent.
    public var tangent: Bool

    public init(
        activation: Activation, sigmaW: Double, sigmaB: Double, width: Int, depth: Int,
        method: PropagationMethod = .exact, tangent: Bool = false
    ) {
        self.activation = activation
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        self.width = width
        self.depth = depth
        self.method = method
        self.tangent = tangent
    }

    /// Throws ``PropagationError/invalidParameter(_:)`` for non-finite or out-of-range values.
    public func validate() throws {
        guard sigmaW.isFinite, sigmaW >= 0 else { throw PropagationError.invalidParameter("sigma_w must be finite and >= 0, got \(sigmaW)") }
        guard sigmaB.isFinite, sigmaB >= 0 else { throw PropagationError.invalidParameter("sigma_b must be finite and >= 0, got \(sigmaB)") }
        guard width >= 1 else { throw PropagationError.invalidParameter("width must be at least 1, got \(width)") }
        guard depth >= 1 else { throw PropagationError.invalidParameter("depth must be at least 1, got \(depth)") }
    }
}

