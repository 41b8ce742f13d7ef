import CriticalityCore
import Foundation
import Testing
@testable import Scaling

/// A scan of y(t; p) = t^-δ exp(sign · (|p − p_c| t^{1/ν})^{ν}) with 1% noise: a pure power law at
/// p_c, bending up above and down below.
func syntheticScan(criticalPoint pc: Double, delta: Double, controls: [Double], seed: UInt64) -> [Curve] {
    var rng = Xoshiro256(key: StreamKey(seed: seed, realisation: 0))
    let t = (1...2000).map(Double.init)
    return controls.map { p in
        let y = t.map { t -> Double in
            let u = 30 * (p - pc) * pow(t, 0.577)
            return pow(t, -delta) * exp(u) * (1 + 0.01 * rng.nextGaussian())
        }
        return Curve(label: "p = \(p)", control: p, size: 100, t: t, y: y, error: y.map { 0.01 * $0 })
    }
}

@Suite struct CriticalPointTests {
    @Test("the bend of a synthetic scan locates p_c within 4 errors and reads δ there")
    func synthetic() throws {
        let controls = stride(from: 0.640, through: 0.650, by: 0.0025).map { $0 }
        let cp = try CriticalPoint.locate(syntheticScan(criticalPoint: 0.6447, delta: 0.1595, controls: controls, seed: 5),
                                          replicates: 100)
        #expect(cp.error > 0 && cp.error < 0.002)
        #expect(abs(cp.control - 0.6447) < 4 * cp.error + 1e-4, "p_c = \(cp.control) ± \(cp.error)")
        #expect(abs(-cp.slope - 0.1595) < 0.03)
        #expect(cp.bends.first!.curvature < 0 && cp.bends.last!.curvature > 0)
    }

    @Test("a scan entirely on one side says on which side the critical point lies")
    func oneSided() {
        let controls = [0.60, 0.61, 0.62, 0.63]
        do {
            _ = try CriticalPoint.locate(syntheticScan(criticalPoint: 0.6447, delta: 0.1595, controls: controls, seed: 2))
            Issue.record("expected insufficient data")
        } catch let error as ScalingError {
            #expect("\(error)".contains("above 0.63"))
        } catch { Issue.record("\(error)") }
    }

    @Test("a scan above p_c whose flat active plateaus change curvature sign by noise is one-sided, not critical")
    func plateauNoise() {
        // Active curves that reach a plateau early: their curvature falls to 0 with p, and the
        // last few change sign by noise (as untied CNNs at C = 32 far above σ_w,c did). With the
        // absorbing side below, only a change from bending down to bending up counts, and only
        // when it explains the signs better than none.
        var rng = Xoshiro256(key: StreamKey(seed: 9, realisation: 0))
        let t = (1...1000).map(Double.init)
        let controls = [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6]
        let curves = controls.enumerated().map { k, p -> Curve in
            let plateau = 0.1 * p, bend = 2.0 / Double(k + 1)
            // Decays as t^-bend at first, then levels off; the last three are flat with 0.2% noise.
            let y = t.map { t -> Double in
                let level = k >= 4 ? plateau : plateau + pow(t, -bend)
                return level * (1 + 0.002 * rng.nextGaussian())
            }
            return Curve(label: "p = \(p)", control: p, size: 100, t: t, y: y, error: y.map { 0.002 * $0 })
        }
        do {
            let cp = try CriticalPoint.locate(curves, window: 30...1000, replicates: 50)
            Issue.record("expected a one-sided scan, got p_c = \(cp.control)")
        } catch ScalingError.oneSidedScan(let why, let active) {
            #expect(active && why.contains("below 1"), "\(why)")
        } catch { Issue.record("\(error)") }
    }

    @Test("fewer than three control values or duplicates: insufficient data")
    func tooFew() {
        let two = syntheticScan(criticalPoint: 0.6447, delta: 0.16, controls: [0.64, 0.65], seed: 1)
        #expect(throws: ScalingError.self) { try CriticalPoint.locate(two) }
        let dup = syntheticScan(criticalPoint: 0.6447, delta: 0.16, controls: [0.64, 0.64, 0.65], seed: 1)
        #expect(throws: ScalingError.self) { try CriticalPoint.locate(dup) }
    }

    @Test("β from stationary values ρ* = A (x − x_c)^β")
    func stationary() throws {
        let xc = 1.4
        let curves = [1.45, 1.5, 1.6, 1.7, 1.8, 1.3, 1.2].map { x -> Curve in
            let value = x > xc ? 0.8 * pow(x - xc, 0.6) : 1e-6
            let t = (1...200).map(Double.init)
            return Curve(label: "\(x)", control: x, t: t, y: t.map { _ in value }, error: t.map { _ in 0.001 * value })
        }
        let s = try StationaryExponent.estimate(curves, critical: xc, replicates: 50)
        #expect(abs(s.beta - 0.6) < 1e-3)
        #expect(abs(s.amplitude - 0.8) < 1e-2)
        #expect(s.points.count == 5)
    }
}
