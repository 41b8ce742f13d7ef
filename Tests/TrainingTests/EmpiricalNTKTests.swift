import Foundation
import Kernels
import MeanField
import Testing
@testable import Training

@Suite struct EmpiricalNTKTests {
    @Test("the empirical NTK of a wide network at initialisation is the infinite-width NTK within its 1/√n fluctuations")
    func wideNetwork() throws {
        let n0 = 6, probes = 4
        var state: UInt64 = 99
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) - 0.5 }
        let rows = (0..<probes).map { _ -> [Double] in
            let x = (0..<n0).map { _ in next() }
            let s = (Double(n0) / x.reduce(0) { $0 + $1 * $1 }).squareRoot()
            return x.map { $0 * s }
        }
        let sigmaW = try CriticalLine.sigmaWCritical(activation: .tanh, sigmaB: 0.3)
        let engine = KernelRecursion(network: try MeanFieldNetwork(activation: .tanh, sigmaW: sigmaW, sigmaB: 0.3), q0: 1, depth: 3)
        let exact = engine.run(rho0: inputDistances(rows), depths: [3]).ntk[0]   // packed i ≤ j
        var worst: [Double] = []
        for width in [64, 2048] {
            let network = DenseNetwork(activation: .tanh, widths: [n0, width, width, 3], sigmaW: sigmaW, sigmaB: 0.3, seed: 8)
            let theta = network.empiricalNTK(rows.flatMap { $0 }, count: probes, threads: 2)
            var p = 0, largest = 0.0
            for i in 0..<probes {
                for j in i..<probes {
                    largest = max(largest, abs(theta[i * probes + j] - exact[p]) / exact[0])
                    p += 1
                }
            }
            worst.append(largest)
        }
        // Measured: largest deviation, relative to Θ(x₀, x₀), 0.157 at n = 64 and 0.025 at n = 2048
        // (1/√n: 0.125 and 0.022).
        #expect(worst[1] < 0.1 && worst[1] < worst[0] / 2, "\(worst)")
    }
}
