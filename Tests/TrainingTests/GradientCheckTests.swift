import Foundation
import MeanField
import Testing
@testable import Training

@Suite struct GradientCheckTests {
    /// Deterministic inputs in [−1, 1].
    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 52) - 1
        }
    }

    @Test("backpropagated gradients equal central finite differences, every activation, both parameterisations, both losses",
          arguments: Activation.allCases)
    func gradients(_ activation: Activation) throws {
        let batch = 4
        for parameterisation in Parameterisation.allCases {
          for lossKind in Loss.allCases {
            var network = DenseNetwork(activation: activation, widths: [3, 5, 4, 2], sigmaW: 1.3, sigmaB: 0.4,
                                       parameterisation: parameterisation, seed: 11)
            let x = Self.values(batch * 3, seed: 1)
            // Cross-entropy takes a distribution over the classes per row; MSE any targets. Centred
            // training shifts the outputs by an offset, which the gradient must follow.
            let raw = Self.values(batch * 2, seed: 2)
            let y = lossKind == .mse ? raw : (0..<batch).flatMap { r in
                let p = (raw[2 * r] + 1) / 2
                return [p, 1 - p]
            }
            let offset = Self.values(batch * 2, seed: 3)
            let (_, gw, gb) = network.gradients(x, targets: y, batch: batch, loss: lossKind, offset: offset)
            let h = 1e-6
            func loss(_ n: DenseNetwork) -> Double { n.gradients(x, targets: y, batch: batch, loss: lossKind, offset: offset).loss }
            // Each parameter (weights, then biases, layer by layer) against its central difference.
            func check(_ parameters: WritableKeyPath<DenseNetwork, [[Double]]>, _ gradient: [[Double]], _ name: String) {
                for l in 0..<network.depth {
                    for i in network[keyPath: parameters][l].indices {
                        let p = network[keyPath: parameters][l][i]
                        network[keyPath: parameters][l][i] = p + h; let up = loss(network)
                        network[keyPath: parameters][l][i] = p - h; let down = loss(network)
                        network[keyPath: parameters][l][i] = p
                        let numeric = (up - down) / (2 * h)
                        #expect(abs(numeric - gradient[l][i]) <= 1e-6 * max(1, abs(numeric)),
                                "\(activation) \(parameterisation) \(lossKind) \(name)\(l + 1)[\(i)]: \(gradient[l][i]) vs \(numeric)")
                    }
                }
            }
            check(\.weights, gw, "W")
            check(\.biases, gb, "b")
          }
        }
    }

    @Test("softmax cross-entropy: ln C at zero outputs, no overflow at huge logits, and delta = (p - y)/B")
    func crossEntropyValues() {
        let zero = Loss.crossEntropy.evaluate(outputs: [0, 0, 0, 0, 0, 0], offset: nil, targets: [1, 0, 0, 0, 1, 0], classes: 3)
        #expect(abs(zero.loss - log(3.0)) < 1e-15)
        #expect(abs(zero.delta[0] - (1.0 / 3 - 1) / 2) < 1e-15 && abs(zero.delta[1] - 1.0 / 6) < 1e-15)
        let huge = Loss.crossEntropy.evaluate(outputs: [1000, 0], offset: [0, 0], targets: [0, 1], classes: 2)
        #expect(abs(huge.loss - 1000) < 1e-9 && huge.delta.allSatisfy(\.isFinite))
    }

    @Test("rho through a wide network at initialisation: orthogonal inputs give 1 - rho1 = sigma_b^2/(sigma_w^2 q0 + sigma_b^2) at layer 1")
    func pairDistance() {
        let n0 = 64, n = 4000, pairs = 8
        let network = DenseNetwork(activation: .tanh, widths: [n0, n, n, 3], sigmaW: 1.4, sigmaB: 0.5, seed: 5)
        // Pairs of orthogonal unit-variance inputs (q0 = 1): x_a = e_i √n0, x_b = e_j √n0.
        var a = [Double](repeating: 0, count: pairs * n0), b = a
        for i in 0..<pairs { a[i * n0 + 2 * i] = Double(n0).squareRoot(); b[i * n0 + 2 * i + 1] = Double(n0).squareRoot() }
        let rho = network.pairDistance(a, b, pairs: pairs)
        #expect(rho.count == 3 && rho.allSatisfy { $0.count == pairs })
        let expected = 1 - 0.25 / (1.96 + 0.25)
        // Fluctuations of order 1/√n ≈ 0.016 per pair, 0.006 for the mean of 8.
        let mean = rho[0].reduce(0, +) / Double(pairs)
        #expect(abs(mean - expected) < 0.03, "\(mean) vs \(expected)")
        // Identical inputs: rho = 0 at every layer.
        #expect(network.pairDistance(a, a, pairs: pairs).allSatisfy { $0.allSatisfy { abs($0) < 1e-12 } })
    }

    @Test("the initial weights have the variances of the tool's networks in either parameterisation")
    func initialisation() {
        let n = 400
        for parameterisation in Parameterisation.allCases {
            let network = DenseNetwork(activation: .tanh, widths: [n, n, 3], sigmaW: 1.5, sigmaB: 0.5,
                                       parameterisation: parameterisation, seed: 3)
            let (ws, bs) = network.scales(layer: 1)
            let w = network.weights[0].map { $0 * ws }, b = network.biases[0].map { $0 * bs }
            let varW = w.reduce(0) { $0 + $1 * $1 } / Double(w.count), varB = b.reduce(0) { $0 + $1 * $1 } / Double(b.count)
            // σ_w²/n = 0.005625 from 160,000 draws (standard error 0.35%); σ_b² = 0.25 from 400 (7%).
            #expect(abs(varW / (1.5 * 1.5 / Double(n)) - 1) < 0.015, "\(parameterisation): \(varW)")
            #expect(abs(varB / 0.25 - 1) < 0.3, "\(parameterisation): \(varB)")
        }
    }
}
