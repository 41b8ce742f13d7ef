import Foundation
import Testing
@testable import Scaling

/// The logarithmic decay of infinite-noise criticality against the power law (docs/analysis.md,
/// "Infinite-noise criticality"), on exact synthetic curves whose errors drive a parametric
/// bootstrap.
@Suite struct LogarithmicDecayTests {
    /// `rho(l)` at about 12 points per decade from `from` to `to`, with relative errors `relative`.
    func curve(from: Double, to: Double, relative: Double, _ rho: (Double) -> Double) -> Curve {
        let n = Int(12 * log10(to / from)) + 1
        let t = (0..<n).map { (from * pow(to / from, Double($0) / Double(n - 1))).rounded() }
        let y = t.map(rho)
        return Curve(label: "synthetic", t: t, y: y, error: y.map { relative * $0 })
    }

    @Test("1/rho = a + b ln l: the logarithmic form fits with b recovered, the power law does not")
    func logarithmic() throws {
        let c = curve(from: 10, to: 100_000, relative: 0.01) { 1 / (1.8 + 0.15 * log($0)) }
        let g = try #require(LogarithmicDecay.measure(c, window: 10...100_000))
        #expect(abs(g.slope - 0.15) < 1e-9 && abs(g.intercept - 1.8) < 1e-9)
        #expect(g.sigmas < 1e-6, "exact form: no curvature")
        #expect(g.significance > 10)
        #expect(g.powerLawSigmas > 5, "ln rho bends up against ln l: \(g.powerLawSigmas)")
        #expect(g.test(threshold: 3).reason == nil)
    }

    @Test("a power law with delta = 1/2 is far from the logarithmic form; a flat curve has no significant decay")
    func powerLaw() throws {
        let c = curve(from: 10, to: 10_000, relative: 0.01) { pow($0, -0.5) }
        let g = try #require(LogarithmicDecay.measure(c, window: 10...10_000))
        #expect(g.sigmas > 10 && g.powerLawSigmas < 1e-6)
        let t = g.test(threshold: 3)
        #expect(t.sigmas > 3 && t.reason?.contains("curved") == true)
        let flat = curve(from: 10, to: 10_000, relative: 0.01) { _ in 0.4 }
        let f = try #require(LogarithmicDecay.measure(flat, window: 10...10_000))
        #expect(f.test(threshold: 3).sigmas == .infinity && f.test(threshold: 3).reason?.contains("does not grow") == true)
        // Too few points: no test.
        #expect(LogarithmicDecay.measure(curve(from: 10, to: 20, relative: 0.01) { 1 / $0 }, window: 10...20) == nil)
    }

    @Test("the verdict: infinite-noise 1+1 fits a logarithmic decay that does not self-average, not one that does")
    func verdict() throws {
        let c = curve(from: 10, to: 100_000, relative: 0.01) { 1 / (1.8 + 0.15 * log($0)) }
        let g = try #require(LogarithmicDecay.measure(c, window: 10...100_000))
        // The power law read from the same window: delta about 0.05, far from every power-law class.
        let delta = ["delta": MeasuredExponent(value: 0.05, error: 0.005)]
        let disordered = SelfAveraging(status: .notSelfAveraging, variance: 4, depth: 1e5, size: 4096, sizeExponent: 0.1, source: "spread")
        let v = Verdict(exponents: delta, classes: UniversalityClass.known.filter { $0.admits(dimension: 1) },
                        selfAveraging: disordered, logarithmicDecay: g)
        #expect(v.outcome == .fits && v.universality?.id == "infinite-noise-1+1", "\(v.summary)")
        let clean = SelfAveraging(status: .selfAveraging, variance: 0.01, depth: 1e5, size: 4096, source: "spread")
        let w = Verdict(exponents: delta, classes: UniversalityClass.known.filter { $0.admits(dimension: 1) },
                        selfAveraging: clean, logarithmicDecay: g)
        #expect(w.universality == nil && w.excluded.contains { $0.universality.id == "infinite-noise-1+1" && $0.reason != nil })
        // Without the test the class is not compared at all.
        let u = Verdict(exponents: delta, classes: [.infiniteNoise1, .dp1], selfAveraging: disordered)
        #expect(!u.ranking.contains { $0.distance.universality.id == "infinite-noise-1+1" })
        // A window on which the power law fits as well leaves the class untestable, the verdict undetermined.
        let short = curve(from: 30, to: 1000, relative: 0.02) { 1 / (1.8 + 0.15 * log($0)) }
        let s = try #require(LogarithmicDecay.measure(short, window: 30...1000))
        #expect(s.powerLawSigmas <= 3)
        let x = Verdict(exponents: delta, classes: [.infiniteNoise1, .dp1], selfAveraging: disordered, logarithmicDecay: s)
        #expect(x.outcome == .undetermined && x.untestable.first?.universality.id == "infinite-noise-1+1", "\(x.summary)")
        #expect(x.summary.contains("cannot tell the forms apart"))
        // Beside a power-law class that also fits, the verdict cannot decide.
        let both = Verdict(exponents: ["delta": MeasuredExponent(value: 0.05, error: 0.005)],
                           classes: [.infiniteNoise1, UniversalityClass(id: "x", name: "X", exponents: ["delta": 0.05])],
                           logarithmicDecay: g)
        #expect(both.outcome == .undetermined, "\(both.summary)")
    }
}
