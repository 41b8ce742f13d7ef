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

    @Test("backpropagated gradients equal central finite differences, every activation, both parameterisations",
          arguments: Activation.allCases)
    func gradients(_ activation: Activation) throws {
        let batch = 4
        for parameterisation in Parameterisation.allCases {
            var network = DenseNetwork(activation: activation, widths: [3, 5, 4, 2], sigmaW: 1.3, sigmaB: 0.4,
                                       parameterisation: parameterisation, seed: 11)
            let x = Self.values(batch * 3, seed: 1), y = Self.values(batch * 2, seed: 2)
            let (_, gw, gb) = network.gradients(x, targets: y, batch: batch)
            let h = 1e-6
            func loss(_ n: DenseNetwork) -> Double { n.gradients(x, targets: y, batch: batch).loss }
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
                                "\(activation) \(parameterisation) \(name)\(l + 1)[\(i)]: \(gradient[l][i]) vs \(numeric)")
                    }
                }
            }
            check(\.weights, gw, "W")
            check(\.biases, gb, "b")
        }
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
