import CriticalityCore
import Foundation
import Testing
@testable import Scaling

/// A noisy curve y = A t^s (1 + r g) with relative error r: errors given, like a simulation's.
func noisyPowerLaw(slope s: Double, relative r: Double = 0.01, depth: Int = 2000, seed: UInt64 = 7) -> Curve {
    var rng = Xoshiro256(key: StreamKey(seed: seed, realisation: 0))
    let t = (1...depth).map(Double.init)
    let y = t.map { 2 * pow($0, s) * (1 + r * rng.nextGaussian()) }
    return Curve(label: "synthetic", t: t, y: y, error: t.map { 2 * pow($0, s) * r })
}

@Suite struct PowerLawTests {
    @Test("an exact power law has its slope, no drift and no curvature")
    func exactPowerLaw() throws {
        let t = (1...1000).map(Double.init)
        let curve = Curve(label: "exact", t: t, y: t.map { 3 * pow($0, -0.37) })
        let e = try SlopeEstimate.estimate(curve)
        #expect(abs(e.slope + 0.37) < 1e-12)
        #expect(e.drift < 1e-12)
        #expect(abs(PowerLawFit.curvature(of: curve, window: 10...1000)!) < 1e-12)
        #expect(e.window == 32...1000)
    }

    @Test("a noisy power law: the slope lies within 4 bootstrap errors of the truth, and the error is about right")
    func noisyPowerLawWithinErrors() throws {
        var estimates: [Double] = []
        var errors: [Double] = []
        for seed in 1...12 as ClosedRange<UInt64> {
            let e = try SlopeEstimate.estimate(noisyPowerLaw(slope: -0.1595, seed: seed), replicates: 100, seed: seed)
            #expect(abs(e.slope + 0.1595) < 4 * e.totalError)
            estimates.append(e.slope)
            errors.append(e.error)
        }
        // The bootstrap error matches the scatter of independent estimates within a factor 2.
        let (_, spread) = meanAndSpread(estimates)
        let typical = errors.reduce(0, +) / Double(errors.count)
        #expect(typical > spread / 2 && typical < spread * 2, "bootstrap \(typical) vs scatter \(spread)")
    }

    @Test("blocks drive the bootstrap when the run kept them")
    func blockBootstrap() throws {
        var rng = Xoshiro256(key: StreamKey(seed: 3, realisation: 0))
        let t = (1...500).map(Double.init)
        let values = (0..<16).map { _ in t.map { pow($0, -1) * (1 + 0.05 * rng.nextGaussian()) } }
        let mean = t.indices.map { j in values.map { $0[j] }.reduce(0, +) / 16 }
        let curve = Curve(label: "blocks", t: t, y: mean, blocks: Curve.Blocks(weights: Array(repeating: 10, count: 16), values: values))
        #expect(curve.canResample)
        let e = try SlopeEstimate.estimate(curve, replicates: 100)
        #expect(e.error > 0 && e.error < 0.05)
        #expect(abs(e.slope + 1) < 4 * e.totalError)
    }

    @Test("too short, too few or non-positive data: insufficient data, never a number")
    func insufficientData() {
        let short = Curve(label: "short", t: [1, 2, 3], y: [1, 0.5, 0.3])
        #expect(throws: ScalingError.self) { try SlopeEstimate.estimate(short) }
        let zeros = Curve(label: "zeros", t: (1...100).map(Double.init), y: Array(repeating: 0, count: 100))
        #expect(throws: ScalingError.self) { try SlopeEstimate.estimate(zeros) }
        let t = (1...100).map(Double.init)
        let curve = Curve(label: "narrow", t: t, y: t.map { 1 / $0 })
        #expect(throws: ScalingError.self) { try SlopeEstimate.estimate(curve, window: 50...60) }
    }

    @Test("local slopes of t^-1 are -1 exactly")
    func localSlopes() {
        let t = (1...64).map(Double.init)
        let s = PowerLawFit.localSlopes(of: Curve(label: "", t: t, y: t.map { 1 / $0 }))
        #expect(s.count == 32)
        #expect(s.allSatisfy { abs($0.slope + 1) < 1e-12 })
    }
}

@Suite struct LeastSquaresTests {
    @Test func lineAndParabolaAreExact() {
        let x = (0..<10).map(Double.init)
        let line = LeastSquares.line(x: x, y: x.map { 2 - 0.5 * $0 })!
        #expect(abs(line.intercept - 2) < 1e-12 && abs(line.slope + 0.5) < 1e-12)
        #expect(abs(LeastSquares.curvature(x: x, y: x.map { 1 + $0 - 0.25 * $0 * $0 })! + 0.25) < 1e-10)
        #expect(LeastSquares.line(x: [1, 1, 1], y: [1, 2, 3]) == nil)
    }

    @Test func nelderMeadFindsTheMinimumOfRosenbrock() {
        let r = NelderMead.minimize({ p in pow(1 - p[0], 2) + 100 * pow(p[1] - p[0] * p[0], 2) }, start: [-1, 1], steps: [0.5, 0.5],
                                    tolerance: 1e-14, maxEvaluations: 5000)
        #expect(abs(r.point[0] - 1) < 1e-4 && abs(r.point[1] - 1) < 1e-4)
    }
}
