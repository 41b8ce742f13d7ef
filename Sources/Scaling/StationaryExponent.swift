import CriticalityCore
import Foundation

/// The order-parameter exponent β from the stationary values on the active side:
/// ρ* ∝ (x − x_c)^β.
///
/// Each run's stationary value is the mean of its curve over the last octave of t (t ≥ T/2). The
/// active side is the side of x_c whose runs have the larger stationary values. β is the slope of
/// ln ρ* against ln |x − x_c| over the active runs at least `minimumDistance` from x_c (close to x_c a
/// finite run has not reached its plateau); its error is the spread over bootstrap replicates that
/// resample the curves and draw x_c from N(x_c, σ_{x_c}²).
public struct StationaryExponent: Sendable {
    public struct Point: Sendable {
        public var control: Double
        public var distance: Double
        public var value: Double
        public var error: Double
    }

    public var beta: Double
    public var error: Double
    public var amplitude: Double
    public var points: [Point]

    public static func estimate(_ curves: [Curve], critical: Double, criticalError: Double = 0, minimumDistance: Double = 0,
                                replicates: Int = 200, seed: UInt64 = 1) throws -> StationaryExponent {
        func plateau(_ c: Curve) -> Double {
            guard let last = c.t.last else { return .nan }
            let values = c.t.indices.filter { c.t[$0] >= last / 2 }.map { c.y[$0] }
            return values.reduce(0, +) / Double(max(values.count, 1))
        }
        let runs = curves.filter { $0.control != nil && $0.control! != critical }
        let above = runs.filter { $0.control! > critical }, below = runs.filter { $0.control! < critical }
        func meanPlateau(_ cs: [Curve]) -> Double { cs.isEmpty ? -.infinity : cs.map(plateau).reduce(0, +) / Double(cs.count) }
        let active = (meanPlateau(above) >= meanPlateau(below) ? above : below)
            .filter { abs($0.control! - critical) >= minimumDistance }
            .sorted { abs($0.control! - critical) < abs($1.control! - critical) }
        guard active.count >= 3 else {
            throw ScalingError.insufficientData("β needs at least 3 runs on the active side of \(formatShort(critical)) (farther than \(formatShort(minimumDistance))), got \(active.count)")
        }
        func fit(_ values: [Double], _ xc: Double) -> (slope: Double, intercept: Double)? {
            var x: [Double] = [], y: [Double] = []
            for (c, v) in zip(active, values) where v > 0 && abs(c.control! - xc) > 0 && (c.control! - xc) * (active[0].control! - critical) > 0 {
                x.append(log(abs(c.control! - xc)))
                y.append(log(v))
            }
            guard x.count >= 3, let line = LeastSquares.line(x: x, y: y) else { return nil }
            return (line.slope, line.intercept)
        }
        let values = active.map(plateau)
        guard let best = fit(values, critical) else {
            throw ScalingError.insufficientData("the active runs have no positive stationary values")
        }
        var rng = Xoshiro256(key: StreamKey(seed: seed, task: 0xbe7a, realisation: 0))
        var samples: [[Double]] = []
        var betas: [Double] = []
        for _ in 0..<replicates {
            let v = active.map { plateau($0.resampled(using: &rng)) }
            samples.append(v)
            let xc = critical + criticalError * rng.nextGaussian()
            if let f = fit(v, xc) { betas.append(f.slope) }
        }
        let points = active.indices.map { k in
            Point(control: active[k].control!, distance: abs(active[k].control! - critical), value: values[k],
                  error: meanAndSpread(samples.map { $0[k] }).spread)
        }
        return StationaryExponent(beta: best.slope, error: meanAndSpread(betas).spread, amplitude: exp(best.intercept), points: points)
    }
}
