import Foundation
import Testing
@testable import Scaling

/// The verdict's treatment of disorder: untestable and excluded clean classes, ambiguous against
/// undetermined, and the self-averaging test on synthetic spreads (docs/analysis.md, "Typical
/// decay and self-averaging").
@Suite struct SelfAveragingTests {
    /// Var(ln ρ)(l) of a run of size `size`: `amplitude` × l^{2ψ} × S^{−x}.
    func variance(size: Double, amplitude: Double, psi: Double, x: Double) -> Curve {
        let t = (1...1000).map(Double.init)
        return Curve(label: "S = \(size)", size: size, t: t, y: t.map { amplitude * pow($0, 2 * psi) * pow(size / 64, -x) })
    }

    @Test("one size: small variance self-averages, large variance is not-at-this-size")
    func oneSize() {
        let small = SelfAveraging.assess([variance(size: 256, amplitude: 1e-4, psi: 0.5, x: 1)], upTo: 1000, dimension: 1, source: "spread")
        #expect(small.status == .selfAveraging && small.depth == 1000)
        let large = SelfAveraging.assess([variance(size: 256, amplitude: 0.1, psi: 0.5, x: 0)], upTo: 500, dimension: 1, source: "spread")
        #expect(large.status == .notAtThisSize && large.depth == 500 && large.sizeExponent == nil)
        #expect(SelfAveraging.assess([], upTo: 10, dimension: 1, source: "spread").status == .unknown)
    }

    @Test("several sizes: a flat variance is not self-averaging, one falling as S^-d is not-at-this-size")
    func sizes() {
        let sizes: [Double] = [64, 128, 256]
        let flat = SelfAveraging.assess(sizes.map { variance(size: $0, amplitude: 0.1, psi: 0.5, x: 0.1) }, upTo: 1000, dimension: 1,
                                        source: "spread")
        #expect(flat.status == .notSelfAveraging)
        #expect(abs(flat.sizeExponent! - 0.1) < 1e-9)
        let clean = SelfAveraging.assess(sizes.map { variance(size: $0, amplitude: 0.1, psi: 0.5, x: 1) }, upTo: 1000, dimension: 1,
                                         source: "spread")
        #expect(clean.status == .notAtThisSize && abs(clean.sizeExponent! - 1) < 1e-9)
        #expect(clean.sentence.contains("larger lattices will self-average"))
        // Sizes spanning less than a factor 4 cannot call the variance flat.
        let narrow = SelfAveraging.assess([128, 256].map { variance(size: $0, amplitude: 0.1, psi: 0.5, x: 0) }, upTo: 1000,
                                          dimension: 1, source: "spread")
        #expect(narrow.status == .notAtThisSize)
        // The flat threshold is d/2: x = 0.6 is not flat in 1D, flat in 2D.
        let oneD = SelfAveraging.assess(sizes.map { variance(size: $0, amplitude: 0.1, psi: 0.5, x: 0.6) }, upTo: 1000, dimension: 1,
                                        source: "spread")
        #expect(oneD.status == .notAtThisSize)
        let twoD = SelfAveraging.assess(sizes.map { variance(size: $0, amplitude: 0.1, psi: 0.5, x: 0.6) }, upTo: 1000, dimension: 2,
                                        source: "spread")
        #expect(twoD.status == .notSelfAveraging)
    }

    @Test("a clean class that fits data which do not self-average is untestable, and the verdict undetermined")
    func untestable() {
        let delta = ["delta": MeasuredExponent(value: 0.17, error: 0.05)]
        let plain = Verdict(exponents: delta, classes: [.dp1, .meanField, .temporalNoiseMeanField])
        #expect(plain.universality == .dp1)
        let atSize = SelfAveraging(status: .notAtThisSize, variance: 79, depth: 1000, size: 256)
        let v = Verdict(exponents: delta, classes: [.dp1, .meanField, .temporalNoiseMeanField], selfAveraging: atSize)
        #expect(v.outcome == .undetermined && v.universality == nil)
        #expect(v.untestable.map(\.universality) == [.dp1])
        #expect(v.ranking.contains { $0.distance.universality == .dp1 && $0.status == "untestable" })
        #expect(v.summary.hasPrefix("undetermined; untestable at this size: DP 1+1"), "\(v.summary)")
        // Shown not to self-average at any size: the clean class is excluded.
        let never = SelfAveraging(status: .notSelfAveraging, variance: 79, depth: 1000, size: 256, sizeExponent: 0.2)
        let w = Verdict(exponents: delta, classes: [.dp1, .meanField, .temporalNoiseMeanField], selfAveraging: never)
        #expect(w.outcome == .noClassFits)
        #expect(w.excluded.first { $0.universality == .dp1 }?.reason != nil)
        #expect(w.summary.contains("DP 1+1 (not self-averaging)"), "\(w.summary)")
        // A temporal-noise class is never untestable for want of self-averaging.
        let tn = Verdict(exponents: ["delta": MeasuredExponent(value: 0.5, error: 0.03), "psi": MeasuredExponent(value: 0.5, error: 0.02)],
                         classes: [.dp2, .temporalNoiseMeanField], selfAveraging: atSize)
        #expect(tn.outcome == .undetermined && tn.compatible.map(\.universality) == [.temporalNoiseMeanField])
        #expect(tn.untestable.map(\.universality) == [.dp2])
        let tn0 = Verdict(exponents: ["delta": MeasuredExponent(value: 0.5, error: 0.03)], classes: [.meanField, .temporalNoiseMeanField],
                          selfAveraging: atSize)
        #expect(tn0.universality == .temporalNoiseMeanField)
    }

    @Test("sizes over which Var ln rho falls as S^-d make a clean class testable; self-averaging runs exclude temporal classes")
    func cleanApproachAndTemporalExclusion() {
        let delta = ["delta": MeasuredExponent(value: 1.16, error: 0.05)]
        let classes: [UniversalityClass] = [.dp1, .meanField, .multiplicativeNoise1, .temporalNoiseMeanField]
        // v = 6 at the largest size, falling as S^-1.1 (≥ 3d/4) over a factor 4: a clean class is tested.
        let approaching = SelfAveraging(status: .notAtThisSize, variance: 6, depth: 8192, size: 4096, sizeExponent: 1.1)
        #expect(approaching.approachesAsClean)
        let v = Verdict(exponents: delta, classes: classes, selfAveraging: approaching)
        #expect(v.untestable.isEmpty && v.universality == .multiplicativeNoise1, "\(v.summary)")
        // Falling as S^-0.6 (above d/2, below 3d/4): still untestable.
        let slow = SelfAveraging(status: .notAtThisSize, variance: 6, depth: 8192, size: 4096, sizeExponent: 0.6)
        #expect(!slow.approachesAsClean)
        #expect(Verdict(exponents: delta, classes: classes, selfAveraging: slow).untestable.map(\.universality) == [.multiplicativeNoise1])
        // δ = 1/2 on a run that self-averages: temporal-noise mean field excluded, not named.
        let half = ["delta": MeasuredExponent(value: 0.46, error: 0.034)]
        let clean = SelfAveraging(status: .selfAveraging, variance: 0.59, depth: 1000, size: 256)
        let w = Verdict(exponents: half, classes: classes, selfAveraging: clean)
        #expect(w.outcome == .noClassFits, "\(w.summary)")
        #expect(w.summary.contains("temporal-noise mean field (self-averaging)"), "\(w.summary)")
        #expect(Verdict(exponents: half, classes: classes, selfAveraging: approaching).outcome == .noClassFits)
        #expect(Verdict(exponents: half, classes: classes).universality == .temporalNoiseMeanField)
    }

    @Test("several fitting classes: ambiguous when they share the measured exponents, undetermined otherwise")
    func ambiguousOrUndetermined() {
        let twin = UniversalityClass(id: "twin", name: "twin", exponents: ["delta": 0.1595, "theta": 0.5])
        let shared = Verdict(exponents: ["delta": MeasuredExponent(value: 0.16, error: 0.01)], classes: [.dp1, twin, .meanField])
        #expect(shared.outcome == .ambiguous && shared.summary.contains("share the measured exponents"))
        let vague = Verdict(exponents: ["delta": MeasuredExponent(value: 0.3, error: 0.1)], classes: [.dp1, .dp2, .meanField])
        #expect(vague.outcome == .undetermined && vague.compatible.count == 2)
        #expect(vague.summary.hasPrefix("undetermined: compatible with"))
    }

    @Test("temporal-noise mean field: the exact walk's exponents, of any dimension; DP of its own")
    func classes() {
        let tn = UniversalityClass.temporalNoiseMeanField
        #expect(tn.exponents["delta"] == 0.5 && tn.exponents["psi"] == 0.5 && tn.exponents["nu_par"] == 2 && tn.noise == .temporal)
        #expect(tn.admits(dimension: 0) && tn.admits(dimension: 1) && tn.admits(dimension: nil))
        #expect(UniversalityClass.dp1.admits(dimension: 1) && !UniversalityClass.dp1.admits(dimension: 0))
        #expect(!UniversalityClass.dp2.admits(dimension: 1) && UniversalityClass.meanField.admits(dimension: 0))
        #expect(Set(UniversalityClass.known.map(\.id)).count == UniversalityClass.known.count)
    }

    @Test("typical decay: the logarithmic form beside the power law, delta_typ and psi of a synthetic walk")
    func typicalDecay() throws {
        let t = (1...4096).map(Double.init)
        // Infinite-noise-like average: 1/ρ = 2 + 0.5 ln l exactly, with 0.1% errors.
        let rho = t.map { 1 / (2 + 0.5 * log($0)) }
        let average = Curve(label: "log", t: t, y: rho, error: rho.map { 1e-3 * $0 })
        // ⟨ln ρ⟩ = −0.4 √l and sd(ln ρ) = 0.3 √l: the walk of temporal noise.
        let typical = Curve(label: "log", t: t, y: t.map { -0.4 * $0.squareRoot() }, error: t.map { _ in 1e-3 })
        let spread = Curve(label: "log", t: t, y: t.map { 0.3 * $0.squareRoot() })
        let d = TypicalDecay.measure(average: average, typical: typical, spread: spread, window: 128...4096, replicates: 20)
        let g = try #require(d.logarithmic)
        #expect(abs(g.intercept - 2) < 1e-6 && abs(g.slope - 0.5) < 1e-6 && g.sigmas < 1e-6)
        let psi = try #require(d.psi), growth = try #require(d.typicalGrowth)
        let deltaTypical = try #require(d.deltaTypical), gap = try #require(d.gap)
        #expect(g.powerLawSigmas > 3, "\(g.powerLawSigmas)")
        #expect(abs(psi.slope - 0.5) < 1e-9 && abs(growth.slope - 0.5) < 1e-9)
        // ρ_typ = exp(−0.4 √l) is no power law: its δ_typ over the window is far above δ.
        #expect(-deltaTypical.slope > 5)
        #expect(gap > 0)
    }
}
