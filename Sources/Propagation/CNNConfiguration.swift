import MeanField

/// A convolutional network with finitely many channels on a periodic lattice (docs/models.md, "Convolutional network (CNN)").
public struct CNNConfiguration: Sendable {
    public var activation: Activation
    public var sigmaW: Double
    public var sigmaB: Double
    /// Spatial dimension d ∈ {1, 2}.
    public var dim: Int
    /// Linear size S: P = S^d sites.
    public var size: Int
    /// Channels C (hidden layers and input).
    public var channels: Int
    /// Odd window width K per dimension.
    public var kernel: Int
    public var depth: Int
    public var start: LatticeProtocol
    /// Mean square norm |x|²/C of each input channel vector.
    public var q0: Double
    /// Cosine similarity of the two inputs (every site when homogeneous, the seed when spreading).
    public var c0: Double
    /// A site counts as active when ρ_x > ε (docs/models.md, "Active sites"; ε = 0: the two channel vectors differ in at
    /// least one bit). ε only defines the observables N, P and R²; the dynamics are those of the
    /// double-precision network whatever ε is.
    public var epsilon: Double = 0
    /// A local absorbing state (docs/models.md, "Finite-precision cutoff"): after each layer a site
    /// whose ρ_x is below the cutoff has its difference set to exactly zero, as if the two signals
    /// agreed there bit for bit. 0 (the default): only bitwise agreement does that.
    public var cutoff: Double = 0
    /// Finite precision as float32 storage (docs/models.md, "Finite-precision cutoff"): after each
    /// layer both signals' pre-activations are rounded to float32, h_a ← fl₃₂(h_a) and
    /// h_b ← fl₃₂(h_a + Δ), Δ ← h_b − h_a, so two signals that agree in float32 are identical and the
    /// site is absorbed. The arithmetic inside a layer stays double: this emulates the storage of a
    /// float32 network, not its rounding in the sums.
    public var float32 = false
    /// Untied weights: an independent W and b at every site (a locally connected network), the
    /// control that shows how much of the behaviour comes from weight sharing (docs/models.md, "Untied control").
    public var untied = false

    public init(activation: Activation, sigmaW: Double, sigmaB: Double, dim: Int, size: Int, channels: Int,
                kernel: Int = 3, depth: Int, start: LatticeProtocol, q0: Double = 1, c0: Double = 0) {
        self.activation = activation
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        self.dim = dim
        self.size = size
        self.channels = channels
        self.kernel = kernel
        self.depth = depth
        self.start = start
        self.q0 = q0
        self.c0 = c0
    }

    /// Sites P = S^d.
    public var sites: Int { dim == 1 ? size : size * size }

    public func validate() throws {
        func fail(_ m: String) -> PropagationError { .invalidParameter(m) }
        guard dim == 1 || dim == 2 else { throw fail("the dimension must be 1 or 2, got \(dim)") }
        guard size >= 1 else { throw fail("the lattice size must be at least 1, got \(size)") }
        guard channels >= 1 else { throw fail("channels must be at least 1, got \(channels)") }
        guard kernel >= 1, kernel % 2 == 1 else { throw fail("the kernel width must be odd and positive, got \(kernel)") }
        guard kernel <= size else { throw fail("the kernel width \(kernel) exceeds the lattice size \(size)") }
        guard depth >= 1 else { throw fail("depth must be at least 1, got \(depth)") }
        guard sigmaW.isFinite, sigmaW >= 0 else { throw fail("sigma_w must be finite and non-negative, got \(sigmaW)") }
        guard sigmaB.isFinite, sigmaB >= 0 else { throw fail("sigma_b must be finite and non-negative, got \(sigmaB)") }
        guard q0.isFinite, q0 > 0 else { throw fail("q0 must be positive, got \(q0)") }
        guard c0.isFinite, c0 >= -1, c0 < 1 else { throw fail("c0 must lie in [-1, 1), got \(c0)") }
        guard epsilon.isFinite, epsilon >= 0 else { throw fail("epsilon must be finite and non-negative, got \(epsilon)") }
        guard cutoff.isFinite, cutoff >= 0, cutoff < 1 else { throw fail("cutoff must lie in [0, 1), got \(cutoff)") }
        guard sites <= 1 << 26 else { throw fail("the lattice has \(sites) sites; at most \(1 << 26) are supported") }
    }
}
