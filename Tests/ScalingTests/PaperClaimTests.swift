import Testing
@testable import Scaling

/// The rules that turn a measurement into a finding on one of the paper's claims.
@Suite struct PaperClaimTests {
    static func verdict(delta: Double, error: Double) -> Verdict {
        Verdict(exponents: ["delta": MeasuredExponent(value: delta, error: error)], classes: [.dp1, .meanField, .meanFieldKinked])
    }

    @Test("universality: confirmed when the class is the verdict, not reproduced when excluded, open when undecided")
    func universality() {
        let mf = PaperClaim.universality(id: "m", claim: "", expected: .meanField, verdict: Self.verdict(delta: 1.04, error: 0.035),
                                         measured: "δ = 1.04 ± 0.035", source: "")
        #expect(mf.finding == .confirmed)
        #expect(mf.evidence.contains("nearest other class DP 1+1"))
        // δ = 0.253 ± 0.013: DP 1+1 (0.1595) is 7.2 errors away, and no class fits.
        let cnn = PaperClaim.universality(id: "c", claim: "", expected: .dp1, verdict: Self.verdict(delta: 0.253, error: 0.013),
                                          measured: "δ = 0.253 ± 0.013", source: "")
        #expect(cnn.finding == .notReproduced)
        #expect(cnn.evidence.contains("DP 1+1 excluded by 7.2 σ") && cnn.evidence.contains("no known class fits"), "\(cnn.evidence)")
        // δ = 0.6 ± 0.3: DP 1+1 and mean field both within 3 errors: undetermined, so open.
        let vague = PaperClaim.universality(id: "v", claim: "", expected: .dp1, verdict: Self.verdict(delta: 0.6, error: 0.3),
                                            measured: "", source: "")
        #expect(vague.finding == .open)
        #expect(vague.evidence.contains("undetermined"))
    }

    @Test("metric factors: within 1% confirmed, beyond 5% not reproduced, between open")
    func metricFactors() {
        #expect(PaperClaim.metricFactorCollapse(values: [("tanh", 1.002), ("sin", 0.9995)], depth: 10_000, source: "").finding == .confirmed)
        #expect(PaperClaim.metricFactorCollapse(values: [("tanh", 1.002), ("sin", 1.03)], depth: 100, source: "").finding == .open)
        #expect(PaperClaim.metricFactorCollapse(values: [("tanh", 1.2)], depth: 100, source: "").finding == .notReproduced)
        #expect(PaperClaim.metricFactorCollapse(values: [], depth: 100, source: "").finding == .open)
    }

    @Test("finite-width scaling: a and b within 2 errors of 1 and precise is confirmed, beyond 3 errors not reproduced")
    func finiteWidth() {
        #expect(PaperClaim.finiteWidthScaling(a: 1.05, aError: 0.11, b: 0.997, bError: 0.087, source: "").finding == .confirmed)
        #expect(PaperClaim.finiteWidthScaling(a: 1.5, aError: 0.1, b: 1, bError: 0.1, source: "").finding == .notReproduced)
        #expect(PaperClaim.finiteWidthScaling(a: 1.0, aError: 0.6, b: 1, bError: 0.1, source: "").finding == .open)
        #expect(PaperClaim.finiteWidthScaling(a: 1.25, aError: 0.1, b: 1, bError: 0.1, source: "").finding == .open)
    }

    @Test("κL window: collapse and interior optima confirmed, no collapse or optima at the deepest layer not reproduced")
    func kappaDepth() {
        #expect(PaperClaim.kappaDepthWindow(spreadRatio: 0.24, bestKappaDepth: [0.96, 2, 2.4], interior: [true, true, true], source: "").finding == .confirmed)
        #expect(PaperClaim.kappaDepthWindow(spreadRatio: 1.2, bestKappaDepth: [0.96, 2], interior: [true, true], source: "").finding == .notReproduced)
        #expect(PaperClaim.kappaDepthWindow(spreadRatio: 0.3, bestKappaDepth: [50, 60], interior: [false, false], source: "").finding == .notReproduced)
        #expect(PaperClaim.kappaDepthWindow(spreadRatio: 0.7, bestKappaDepth: [1, 2], interior: [true, true], source: "").finding == .open)
        #expect(PaperClaim.kappaDepthWindow(spreadRatio: 0.2, bestKappaDepth: [1], interior: [true], source: "").finding == .open)
    }
}
