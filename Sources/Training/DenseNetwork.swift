import CriticalityCore
import Foundation
import MeanField

/// How the initial scales enter (docs/training.md, "Parameterisations").
public enum Parameterisation: String, Sendable, CaseIterable {
    /// The trained parameters are standard normals ω, β; the layer uses W = (σ_w/√n_in) ω, b = σ_b β
    /// (the parameterisation of the kernel analysis: gradient flow follows the NTK of docs/kernels.md).
    case ntk
    /// The trained parameters are W ~ N(0, σ_w²/n_in) and b ~ N(0, σ_b²) themselves.
    case standard
}

/// A fully connected network of the tool's form, h¹ = W¹x + b¹, h^{l+1} = W^{l+1} φ(h^l) + b^{l+1},
/// whose last layer's pre-activations h^L are the outputs, with its parameters, a forward pass over a
/// batch and the gradients of the squared loss by backpropagation (docs/training.md).
public struct DenseNetwork: Sendable {
    public let activation: Activation
    /// n₀, n₁, …, n_L: layer l maps widths[l − 1] inputs to widths[l] outputs.
    public let widths: [Int]
    public let sigmaW: Double, sigmaB: Double
    public let parameterisation: Parameterisation
    /// The trained parameters of each layer: weights (n_l × n_{l−1}, row-major) and biases (n_l).
    public var weights: [[Double]], biases: [[Double]]

    /// Draws the parameters from the seed's streams (layer l from its own stream, so the draw does
    /// not depend on the thread count or on the other layers' sizes).
    public init(activation: Activation, widths: [Int], sigmaW: Double, sigmaB: Double,
                parameterisation: Parameterisation = .ntk, seed: UInt64) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 >= 1 })
        self.activation = activation
        self.widths = widths
        self.sigmaW = sigmaW
        self.sigmaB = sigmaB
        self.parameterisation = parameterisation
        var w: [[Double]] = [], b: [[Double]] = []
        for l in 1..<widths.count {
            var stream = GaussianStream(key: StreamKey(seed: seed, task: 0x7472_6169_6e, realisation: UInt64(l)))
            var layer = [Double](repeating: 0, count: widths[l] * widths[l - 1] + widths[l])
            layer.withUnsafeMutableBufferPointer { stream.fill($0) }
            // In the standard parameterisation the draws carry the scales themselves.
            let ws = parameterisation == .ntk ? 1 : sigmaW / Double(widths[l - 1]).squareRoot()
            let bs = parameterisation == .ntk ? 1 : sigmaB
            w.append(layer.prefix(widths[l] * widths[l - 1]).map { $0 * ws })
            b.append(layer.suffix(widths[l]).map { $0 * bs })
        }
        weights = w
        biases = b
    }

    /// The depth L (number of weight layers).
    public var depth: Int { widths.count - 1 }

    /// The factors between the trained parameters and the layer's W and b.
    public func scales(layer l: Int) -> (weight: Double, bias: Double) {
        parameterisation == .ntk ? (sigmaW / Double(widths[l - 1]).squareRoot(), sigmaB) : (1, 1)
    }

    /// The pre-activations h¹ … h^L of a batch (B rows of n₀ inputs, row-major); the last are the outputs.
    public func forward(_ x: [Double], batch: Int, threads: Int = 1) -> [[Double]] {
        forwardPass(x, batch: batch, threads: threads).pre
    }

    /// The pre-activations h¹ … h^L and the activations φ(h¹) … φ(h^{L−1}) of a batch. The matrix
    /// products and the elementwise passes run on up to `threads` threads; neither's result depends
    /// on the thread count.
    func forwardPass(_ x: [Double], batch: Int, threads: Int) -> (pre: [[Double]], post: [[Double]]) {
        precondition(x.count == batch * widths[0])
        var pre: [[Double]] = [], post: [[Double]] = []
        for l in 1...depth {
            let (n, k) = (widths[l], widths[l - 1])
            var h = [Double](repeating: 0, count: batch * n)
            (l == 1 ? x : post[l - 2]).withUnsafeBufferPointer { a in
                weights[l - 1].withUnsafeBufferPointer { w in
                    h.withUnsafeMutableBufferPointer { c in
                        MatrixProduct.multiplyTransposedB(a.baseAddress!, w.baseAddress!, into: c.baseAddress!, m: batch, k: k, n: n,
                                                          threads: threads)
                    }
                }
            }
            let (ws, bs) = scales(layer: l)
            let (bias, activation, hidden) = (biases[l - 1], activation, l < depth)
            var a = [Double](repeating: 0, count: hidden ? batch * n : 0)
            h.withUnsafeMutableBufferPointer { hb in
                a.withUnsafeMutableBufferPointer { ab in
                    let (hs, as_) = (SharedRows(hb.baseAddress!), SharedRows(ab.baseAddress))
                    Self.forRows(batch, width: n, threads: threads) { rows in
                        for r in rows {
                            for j in 0..<n {
                                let v = ws * hs[r * n + j] + bs * bias[j]
                                hs[r * n + j] = v
                                if hidden { as_[r * n + j] = activation.value(v) }
                            }
                        }
                    }
                }
            }
            pre.append(h)
            if hidden { post.append(a) }
        }
        return (pre, post)
    }

    /// The loss (1/2B) Σ_b ‖h^L(x_b) − y_b‖² of a batch and its gradients with respect to the
    /// trained parameters, layer by layer (the same shapes as ``weights`` and ``biases``).
    public func gradients(_ x: [Double], targets y: [Double], batch: Int, threads: Int = 1)
        -> (loss: Double, weights: [[Double]], biases: [[Double]])
    {
        let (pre, post) = forwardPass(x, batch: batch, threads: threads)
        let outputs = widths[depth]
        precondition(y.count == batch * outputs)
        var loss = 0.0
        // δ^L = ∂loss/∂h^L = (h^L − y)/B.
        var delta = [Double](repeating: 0, count: batch * outputs)
        for i in delta.indices {
            let d = pre[depth - 1][i] - y[i]
            loss += d * d
            delta[i] = d / Double(batch)
        }
        loss /= 2 * Double(batch)
        let (gw, gb) = backward(x, pre: pre, post: post, delta: delta, batch: batch, threads: threads)
        return (loss, gw, gb)
    }

    /// Backpropagates δ^L = ∂(scalar)/∂h^L of a batch through the network whose pre-activations and
    /// activations on `x` are `pre` and `post`, giving the gradients with respect to the trained parameters.
    func backward(_ x: [Double], pre: [[Double]], post: [[Double]], delta start: [Double], batch: Int, threads: Int)
        -> (weights: [[Double]], biases: [[Double]])
    {
        var delta = start
        var gw = [[Double]](repeating: [], count: depth), gb = [[Double]](repeating: [], count: depth)
        for l in stride(from: depth, through: 1, by: -1) {
            let (n, k) = (widths[l], widths[l - 1])
            let (ws, bs) = scales(layer: l)
            var g = [Double](repeating: 0, count: n * k)
            delta.withUnsafeBufferPointer { d in
                (l == 1 ? x : post[l - 2]).withUnsafeBufferPointer { a in
                    g.withUnsafeMutableBufferPointer { c in
                        MatrixProduct.multiplyTransposedA(d.baseAddress!, a.baseAddress!, into: c.baseAddress!, m: n, k: batch, n: k,
                                                          threads: threads)
                    }
                }
            }
            gw[l - 1] = g.map { $0 * ws }
            var bias = [Double](repeating: 0, count: n)
            for r in 0..<batch { for j in 0..<n { bias[j] += delta[r * n + j] } }
            gb[l - 1] = bias.map { $0 * bs }
            guard l > 1 else { break }
            // δ^{l−1} = (δ^l W^l) ⊙ φ′(h^{l−1}).
            var back = [Double](repeating: 0, count: batch * k)
            delta.withUnsafeBufferPointer { d in
                weights[l - 1].withUnsafeBufferPointer { w in
                    back.withUnsafeMutableBufferPointer { c in
                        MatrixProduct.multiply(d.baseAddress!, w.baseAddress!, into: c.baseAddress!, m: batch, k: n, n: k, threads: threads)
                    }
                }
            }
            let (h, a, activation) = (pre[l - 2], post[l - 2], activation)
            back.withUnsafeMutableBufferPointer { bb in
                let b = SharedRows(bb.baseAddress!)
                Self.forRows(batch, width: k, threads: threads) { rows in
                    for i in (rows.lowerBound * k)..<(rows.upperBound * k) {
                        // tanh′(h) = 1 − tanh²(h) from the stored activation: what derivative(h) computes.
                        let slope = activation == .tanh ? 1 - a[i] * a[i] : activation.derivative(h[i])
                        b[i] *= ws * slope
                    }
                }
            }
            delta = back
        }
        return (gw, gb)
    }

    /// Runs `body` over blocks of the rows 0..<count (of `width` elements each), about 16K elements
    /// a block, on up to `threads` threads: for elementwise passes, whose result does not depend on
    /// the split.
    static func forRows(_ count: Int, width: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let rowsPerBlock = max(1, 16384 / max(width, 1))
        let blocks = (count + rowsPerBlock - 1) / rowsPerBlock
        parallelFor(blocks, threads: blocks > 1 ? threads : 1) { b in body((b * rowsPerBlock)..<min(count, (b + 1) * rowsPerBlock)) }
    }

    /// The empirical NTK of the network on `points` (P rows of n₀ inputs): Θ(x_a, x_b) =
    /// (1/C) Σ_c Σ_θ ∂f_c(x_a)/∂θ ∂f_c(x_b)/∂θ over the trained parameters θ, averaged over the C
    /// outputs (the infinite-width NTK is the same for every output and zero between outputs).
    /// Row-major P × P.
    ///
    /// - Complexity: P C backward passes and a P × P matrix product over P C × (parameter count) Jacobians.
    public func empiricalNTK(_ points: [Double], count: Int, threads: Int = 1) -> [Double] {
        let n0 = widths[0], outputs = widths[depth]
        let parameters = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
        // Row a: the flattened gradients of outputs 0 … C−1 at point a, one after the other.
        var jacobian = [Double](repeating: 0, count: count * outputs * parameters)
        for a in 0..<count {
            let x = Array(points[(a * n0)..<(a * n0 + n0)])
            let (pre, post) = forwardPass(x, batch: 1, threads: threads)
            for c in 0..<outputs {
                var unit = [Double](repeating: 0, count: outputs)
                unit[c] = 1
                let (gw, gb) = backward(x, pre: pre, post: post, delta: unit, batch: 1, threads: threads)
                var i = (a * outputs + c) * parameters
                for g in gw + gb { for v in g { jacobian[i] = v; i += 1 } }
            }
        }
        // Θ = J Jᵀ / C: one matrix product (bitwise symmetric: each element is an FMA chain of the
        // same products in the same order).
        var theta = [Double](repeating: 0, count: count * count)
        jacobian.withUnsafeBufferPointer { j in
            theta.withUnsafeMutableBufferPointer { t in
                MatrixProduct.multiplyTransposedB(j.baseAddress!, j.baseAddress!, into: t.baseAddress!, m: count, k: outputs * parameters,
                                                  n: count, threads: threads)
            }
        }
        for i in theta.indices { theta[i] /= Double(outputs) }
        return theta
    }

}

/// A row-major buffer that the blocks of ``DenseNetwork/forRows(_:width:threads:_:)`` write, each
/// only its own rows.
struct SharedRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>?
    init(_ base: UnsafeMutablePointer<Double>?) { self.base = base }
    subscript(i: Int) -> Double {
        get { base![i] }
        nonmutating set { base![i] = newValue }
    }
}
