import Foundation

/// One claim of Tamai et al., *Universal scaling laws of absorbing phase transitions in artificial
/// deep neural networks* (arXiv:2307.02284), and what the tool's own measurement found
/// (docs/analysis.md, "The paper's claims"). Each `static func` states the rule that turns a
/// measurement into a finding; none of them knows the answer in advance.
public struct PaperClaim: Sendable, Equatable {
    /// What a measurement says of a claim.
    public enum Finding: String, Sendable, CaseIterable {
        /// The measurement agrees with the claim within its errors.
        case confirmed
        /// The measurement excludes the claim (by more than the stated number of errors).
        case notReproduced = "not reproduced"
        /// The measurement is not precise enough, or not of the right kind, to decide.
        case open
    }

    /// A short identifier (`mlp-mean-field`).
    public var id: String
    /// The claim, as the paper makes it, in one line.
    public var claim: String
    public var finding: Finding
    /// The one figure that decides it, with its error (`δ = 1.040 ± 0.035; mean field: 1`).
    public var evidence: String
    /// Where the figure comes from (a store of this run, or a shipped precision campaign).
    public var source: String

    public init(id: String, claim: String, finding: Finding, evidence: String, source: String) {
        self.id = id
        self.claim = claim
        self.finding = finding
        self.evidence = evidence
        self.source = source
    }

    /// A claim that a system belongs to `expected`, judged by a verdict: *confirmed* when the verdict
    /// is `expected`, *not reproduced* when `expected` is among the excluded classes, *open*
    /// otherwise (ambiguous, insufficient data, or another class fits without excluding it).
    public static func universality(id: String, claim: String, expected: UniversalityClass, verdict: Verdict,
                                    measured: String, source: String) -> PaperClaim {
        let finding: Finding
        var evidence = measured
        if verdict.outcome == .fits, verdict.universality == expected {
            finding = .confirmed
            if let next = verdict.excluded.min(by: { $0.sigmas < $1.sigmas }) {
                evidence += String(format: "; %@ (nearest other class %@ excluded by %.1f σ)", expected.name, next.universality.name, next.sigmas)
            } else {
                evidence += "; \(expected.name)"
            }
        } else if let d = verdict.excluded.first(where: { $0.universality == expected }) {
            finding = .notReproduced
            evidence += String(format: "; %@ excluded by %.1f σ in %@", expected.name, d.sigmas, exponentSymbol(d.exponent))
            if verdict.outcome == .fits, let u = verdict.universality { evidence += "; fits \(u.name)" }
            if verdict.outcome == .noClassFits { evidence += "; no known class fits" }
        } else {
            finding = .open
            evidence += "; undetermined (\(verdict.summary))"
        }
        return PaperClaim(id: id, claim: claim, finding: finding, evidence: evidence, source: source)
    }

    /// The metric-factor collapse at criticality: κ l ρ(l) → 1 for every activation. *Confirmed*
    /// when every value at the deepest layer is within `tolerance` of 1, *not reproduced* when one
    /// is off by more than 5 × `tolerance`, *open* between.
    ///
    /// - Parameter values: activation name and κ l ρ(l) at the deepest layer `depth`.
    public static func metricFactorCollapse(values: [(activation: String, kappaLRho: Double)], depth: Int,
                                            tolerance: Double = 0.01, source: String) -> PaperClaim {
        let worst = values.map { abs($0.kappaLRho - 1) }.max() ?? .nan
        let finding: Finding = !(worst.isFinite) ? .open : worst <= tolerance ? .confirmed : worst > 5 * tolerance ? .notReproduced : .open
        let list = values.map { String(format: "%@ %.4f", $0.activation, $0.kappaLRho) }.joined(separator: ", ")
        return PaperClaim(id: "metric-factor-collapse", claim: "At criticality ρ(l) ≈ 1/(κ l): depth in units of 1/κ is universal",
                          finding: finding,
                          evidence: "κ l ρ at l = \(depth): \(list) (largest deviation from 1: \(String(format: "%.2g", worst)); tolerance \(String(format: "%.2g", tolerance)))",
                          source: source)
    }

    /// Finite-width scaling of critical MLPs, ρ(l; n) = n^−a F(l/n^b) with a = b = 1 (mean field).
    /// *Confirmed* when a and b are within 2 errors of 1 and each error is below `precision`;
    /// *not reproduced* when either is more than 3 errors from 1; *open* otherwise.
    public static func finiteWidthScaling(a: Double, aError: Double, b: Double, bError: Double,
                                          precision: Double = 0.25, source: String) -> PaperClaim {
        func sigmas(_ x: Double, _ e: Double) -> Double { e > 0 ? abs(x - 1) / e : .infinity }
        let sa = sigmas(a, aError), sb = sigmas(b, bError)
        let finding: Finding
        if !(a.isFinite && b.isFinite && aError.isFinite && bError.isFinite) {
            finding = .open
        } else if sa > 3 || sb > 3 {
            finding = .notReproduced
        } else if sa <= 2, sb <= 2, aError < precision, bError < precision {
            finding = .confirmed
        } else {
            finding = .open
        }
        let evidence = String(format: "a = %@, b = %@ (mean field: a = b = 1; %.1f σ and %.1f σ away)",
                              formatEstimate(a, aError), formatEstimate(b, bError), sa, sb)
        return PaperClaim(id: "finite-width-scaling", claim: "Finite-width MLPs at criticality collapse as ρ(l; n) = n^−1 F(l/n)",
                          finding: finding, evidence: evidence, source: source)
    }

    /// The κL window: on the critical line the test error depends on depth through κL, with a best
    /// depth at finite κL (so the boundary is necessary but not sufficient). *Confirmed* when κL
    /// reduces the curves' spread at equal L to below `collapseThreshold` of it and every network's
    /// best depth lies inside the depths measured; *not reproduced* when κL collapses them no
    /// better than L (ratio ≥ 1) or every network is best at the deepest layer; *open* otherwise.
    ///
    /// - Parameters:
    ///   - spreadRatio: the rms spread of the critical curves against κL over that against L.
    ///   - bestKappaDepth: each critical network's best κL.
    ///   - interior: for each, whether its best depth is neither the shallowest nor the deepest.
    ///   - doublingOverXi: for the networks off the line, the depth where the test error has doubled
    ///     in units of their correlation depth ξ_c (reported, not judged).
    public static func kappaDepthWindow(spreadRatio: Double, bestKappaDepth: [Double], interior: [Bool],
                                        doublingOverXi: [Double] = [],
                                        collapseThreshold: Double = 0.5, source: String) -> PaperClaim {
        let best = bestKappaDepth.sorted()
        let finding: Finding
        if best.count < 2 || !spreadRatio.isFinite {
            finding = .open
        } else if spreadRatio >= 1 || !interior.contains(true) {
            finding = .notReproduced
        } else if spreadRatio < collapseThreshold, interior.allSatisfy({ $0 }) {
            finding = .confirmed
        } else {
            finding = .open
        }
        var evidence = best.isEmpty ? "no critical network measured"
            : String(format: "best κL %.3g (median of %d networks, range %.3g–%.3g); spread against κL %.2f of that against L",
                     best[best.count / 2], best.count, best.first!, best.last!, spreadRatio)
        let doubling = doublingOverXi.filter(\.isFinite).sorted()
        if let lo = doubling.first, let hi = doubling.last {
            evidence += String(format: "; off the line the test error doubles by L = %.2g–%.2g ξ_c", lo, hi)
        }
        return PaperClaim(id: "kappa-depth-window",
                          claim: "On the boundary the test error is a function of κL with a best window: criticality is necessary, not sufficient",
                          finding: finding, evidence: evidence, source: source)
    }
}

/// δ, θ, z, β, ν⊥, ν∥ for the exponents' names in the tables (`delta`, `theta`, …).
public func exponentSymbol(_ name: String) -> String {
    ["delta": "δ", "theta": "θ", "z": "z", "beta": "β", "nu_perp": "ν⊥", "nu_par": "ν∥"][name] ?? name
}
