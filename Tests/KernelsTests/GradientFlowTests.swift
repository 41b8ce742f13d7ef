import Foundation
import Testing
@testable import Kernels

@Suite struct GradientFlowTests {
    /// A positive-definite kernel of 6 training and 3 test points (an RBF of scalar inputs).
    static let xs = [0.0, 0.4, 1.1, 1.5, 2.3, 3.0], xt = [0.7, 1.9, 2.8]
    static func k(_ a: Double, _ b: Double) -> Double { exp(-(a - b) * (a - b)) + 0.1 }
    static let y: [Double] = [1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1]  // one-hot, 2 classes

    @Test("gradient flow at a finite time equals explicit Euler steps of df/dt = -(1/N) K (f - Y)")
    func euler() throws {
        let n = Self.xs.count, m = Self.xt.count, c = 2
        let kernel = Self.xs.flatMap { a in Self.xs.map { Self.k(a, $0) } }
        let cross = Self.xt.flatMap { a in Self.xs.map { Self.k(a, $0) } }
        let flow = try GradientFlow(kernel: kernel, count: n, targets: Self.y, classes: c)
        let t = 7.0
        // Euler: training outputs f and test outputs g, both from 0.
        var f = [Double](repeating: 0, count: n * c), g = [Double](repeating: 0, count: m * c)
        let steps = 200_000, dt = t / Double(steps)
        for _ in 0..<steps {
            var r = [Double](repeating: 0, count: n * c)
            for i in 0..<(n * c) { r[i] = f[i] - Self.y[i] }
            var df = [Double](repeating: 0, count: n * c), dg = [Double](repeating: 0, count: m * c)
            for i in 0..<n { for j in 0..<n { for q in 0..<c { df[i * c + q] -= kernel[i * n + j] * r[j * c + q] / Double(n) } } }
            for i in 0..<m { for j in 0..<n { for q in 0..<c { dg[i * c + q] -= cross[i * n + j] * r[j * c + q] / Double(n) } } }
            for i in 0..<(n * c) { f[i] += dt * df[i] }
            for i in 0..<(m * c) { g[i] += dt * dg[i] }
        }
        let exactTrain = try flow.trainOutputs(time: t), exactTest = try flow.testOutputs(cross: cross, count: m, time: t)
        for (a, b) in zip(exactTrain, f) { #expect(abs(a - b) < 1e-4, "train \(a) vs Euler \(b)") }
        for (a, b) in zip(exactTest, g) { #expect(abs(a - b) < 1e-4, "test \(a) vs Euler \(b)") }
        // At t = ∞ the training outputs are the targets and the test outputs kernel regression.
        let limit = try flow.trainOutputs(time: .infinity)
        for (a, b) in zip(limit, Self.y) { #expect(abs(a - b) < 1e-9) }
        #expect(flow.conditionNumber > 1 && flow.effectiveRank > 1 && flow.effectiveRank <= Double(n))
    }

    @Test("a singular kernel gives a clear error at t = infinity, and a ridge makes it solvable")
    func singular() throws {
        // Rank one: every entry 1.
        let n = 4
        let kernel = [Double](repeating: 1, count: n * n)
        let y: [Double] = [1, 0, 0, 1, 1, 0, 0, 1]
        let flow = try GradientFlow(kernel: kernel, count: n, targets: y, classes: 2)
        #expect(throws: KernelError.self) { try flow.testOutputs(cross: [1, 1, 1, 1], count: 1, time: .infinity) }
        #expect(try flow.testOutputs(cross: [1, 1, 1, 1], count: 1, time: 10).allSatisfy(\.isFinite))
        let ridged = try GradientFlow(kernel: kernel, count: n, targets: y, classes: 2, ridge: 1e-3)
        #expect(try ridged.testOutputs(cross: [1, 1, 1, 1], count: 1, time: .infinity).allSatisfy(\.isFinite))
    }

    @Test("kernel regression by Cholesky equals gradient flow at t = infinity (both solvers), and refuses a singular kernel the same way")
    func cholesky() throws {
        let n = Self.xs.count, m = Self.xt.count
        let kernel = Self.xs.flatMap { a in Self.xs.map { Self.k(a, $0) } }
        let cross = Self.xt.flatMap { a in Self.xs.map { Self.k(a, $0) } }
        let flow = try GradientFlow(kernel: kernel, count: n, targets: Self.y, classes: 2)
        let reference = try flow.testOutputs(cross: cross, count: m, time: .infinity)
        for backend in SymmetricEigen.Backend.allCases where backend == .swift || LAPACKLibrary.shared != nil {
            let regression = try KernelRegression(kernel: kernel, count: n, targets: Self.y, classes: 2, backend: backend)
            for (a, b) in zip(try regression.outputs(cross: cross, count: m), reference) { #expect(abs(a - b) < 1e-10, "\(backend): \(a) vs \(b)") }
            // On the training points kernel regression interpolates the targets.
            for (a, b) in zip(try regression.outputs(cross: kernel, count: n), Self.y) { #expect(abs(a - b) < 1e-9) }
            #expect(abs(regression.conditionNumber / flow.conditionNumber - 1) < 1e-9)
            #expect(abs(regression.effectiveRank - flow.effectiveRank) < 1e-12)
            let singular = try KernelRegression(kernel: [Double](repeating: 1, count: 16), count: 4, targets: [1, 0, 0, 1, 1, 0, 0, 1],
                                                classes: 2, backend: backend)
            #expect(throws: KernelError.self) { try singular.outputs(cross: [1, 1, 1, 1], count: 1) }
            #expect(singular.conditionNumber.isInfinite || singular.conditionNumber > 1e14)
        }
    }
}
