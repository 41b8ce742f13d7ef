import Testing
@testable import Scaling

@Suite struct ClassifierTests {
    @Test("DP 1+1 exponents: verdict DP 1+1, mean field excluded with its distance")
    func dp() {
        let v = Verdict(exponents: ["delta": .init(value: 0.161, error: 0.013), "theta": .init(value: 0.33, error: 0.02),
                                    "z": .init(value: 1.58, error: 0.05)])
        #expect(v.outcome == .fits)
        #expect(v.universality == .dp1)
        let mf = v.excluded.first { $0.universality == .meanField }!
        #expect(mf.exponent == "delta" && abs(mf.sigmas - (1 - 0.161) / 0.013) < 1e-9)
        #expect(v.summary.hasPrefix("DP 1+1; excluded"))
    }

    @Test("mean-field decay: verdict mean field without space; on a line MN 1+1 (its own error added) fits too")
    func meanField() {
        let delta: [String: MeasuredExponent] = ["delta": .init(value: 1.03, error: 0.031)]
        let zeroDimensional = UniversalityClass.known.filter { $0.admits(dimension: 0) }
        let v = Verdict(exponents: delta, classes: zeroDimensional)
        #expect(v.universality == .meanField)
        #expect(v.excluded.count == zeroDimensional.count - 1)
        // |1.03 − 1.155| / √(0.031² + 0.033²) = 2.76 σ: within 3 only because the class's error is added.
        let line = Verdict(exponents: delta, classes: UniversalityClass.known.filter { $0.admits(dimension: 1) })
        #expect(line.outcome == .undetermined && line.compatible.map(\.universality.id).sorted() == ["mean-field", "mn-1+1"])
        let mn = line.compatible.first { $0.universality == .multiplicativeNoise1 }!
        #expect(abs(mn.sigmas - 0.125 / (0.031 * 0.031 + 0.033 * 0.033).squareRoot()) < 1e-9)
    }

    @Test("no class fits, undetermined, and insufficient data are said as such")
    func otherOutcomes() {
        let none = Verdict(exponents: ["delta": .init(value: 0.3, error: 0.01)])
        #expect(none.outcome == .noClassFits && none.universality == nil)
        #expect(none.summary.hasPrefix("no class fits"))
        let vague = Verdict(exponents: ["delta": .init(value: 0.5, error: 0.5)])
        #expect(vague.outcome == .undetermined && vague.universality == nil)
        #expect(vague.summary.hasPrefix("undetermined"))
        let nothing = Verdict(exponents: ["delta": .init(value: .nan, error: 0.1), "theta": .init(value: 0.3, error: 0)])
        #expect(nothing.outcome == .insufficientData)
    }

    @Test("kinked mean field: delta = 2 names it; smooth mean field and DP are excluded")
    func kinked() {
        let v = Verdict(exponents: ["delta": .init(value: 1.85, error: 0.11)])
        #expect(v.universality == .meanFieldKinked, "\(v.summary)")
        #expect(v.excluded.map(\.universality).contains(.meanField))
        #expect(v.summary.hasPrefix("kinked mean field (δ = 2); excluded"))
    }
}
