import CriticalityCore
import Foundation
import Testing
@testable import Scaling

@Suite struct CollapseTests {
    /// y(t; n) = n^-a F(t / n^b), F(x) = e^{-x} / x, with 1% noise.
    func family(a: Double, b: Double, sizes: [Double], seed: UInt64) -> [Curve] {
        var rng = Xoshiro256(key: StreamKey(seed: seed, realisation: 0))
        return sizes.map { n in
            let t = (1...Int(4 * pow(n, b))).map(Double.init)
            let y = t.map { t -> Double in let x = t / pow(n, b); return pow(n, -a) * exp(-x) / x * (1 + 0.01 * rng.nextGaussian()) }
            return Curve(label: "n = \(n)", size: n, t: t, y: y, error: y.map { 0.01 * $0 })
        }
    }

    @Test("the depth form recovers a and b of a synthetic family within 4 errors; quality about 1")
    func depthForm() throws {
        let curves = family(a: 1.0, b: 0.8, sizes: [32, 64, 128, 256], seed: 3)
        let series = try DataCollapse.depthSeries(curves, window: 1...1e9)
        let c = try DataCollapse.fit(series, ansatz: .depth, start: [0.7, 1.1], replicates: 30)
        #expect(abs(c.parameters[0] - 1.0) < 4 * c.errors[0] + 1e-3, "a = \(c.parameters[0]) ± \(c.errors[0])")
        #expect(abs(c.parameters[1] - 0.8) < 4 * c.errors[1] + 1e-3, "b = \(c.parameters[1]) ± \(c.errors[1])")
        #expect(c.errors[0] > 0 && c.errors[0] < 0.05)
        #expect(c.quality > 0.5 && c.quality < 2)
        // A wrong scaling is much worse.
        #expect(DataCollapse.quality(series, ansatz: .depth, parameters: [1.3, 0.8]).value > 10 * c.quality)
    }

    @Test("the control form recovers a, b and x_c")
    func controlForm() throws {
        var rng = Xoshiro256(key: StreamKey(seed: 9, realisation: 0))
        let xs = stride(from: 0.55, through: 0.75, by: 0.0025).map { $0 }
        var series: [DataCollapse.Series] = []
        for L in [64.0, 128, 256, 512] {
            let y = xs.map { x in pow(L, -0.25) * (1.2 + tanh((x - 0.6447) * pow(L, 0.9) / 5)) * (1 + 0.005 * rng.nextGaussian()) }
            series.append(DataCollapse.Series(size: L, label: "L = \(L)", x: xs, y: y, error: y.map { 0.005 * $0 }))
        }
        let c = try DataCollapse.fit(series, ansatz: .control, start: [0.3, 0.8, 0.645], replicates: 20)
        #expect(abs(c.parameters[0] - 0.25) < 4 * c.errors[0] + 1e-3)
        #expect(abs(c.parameters[1] - 0.9) < 4 * c.errors[1] + 1e-3)
        #expect(abs(c.parameters[2] - 0.6447) < 4 * c.errors[2] + 1e-4)
    }

    @Test("one size only: insufficient data")
    func oneSize() throws {
        let series = try DataCollapse.depthSeries(family(a: 1, b: 1, sizes: [64], seed: 1))
        #expect(throws: ScalingError.self) { try DataCollapse.fit(series, ansatz: .depth) }
    }
}
