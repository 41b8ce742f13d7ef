import Foundation

/// The typical decay of a run beside its average (docs/analysis.md, "Typical decay and
/// self-averaging"): ρ_typ = exp⟨ln ρ⟩, its power law δ_typ, the growth of −⟨ln ρ⟩ and of the spread
/// sd(ln ρ) over realisations, each fitted on the window of the average's δ.
///
/// In a clean class that self-averages ρ_typ and ⟨ρ⟩ decay alike (δ_typ = δ) and the spread stays
/// bounded. Under temporal noise ln ρ is a random walk below a wall: −⟨ln ρ⟩ and sd(ln ρ) grow as
/// √l (ψ = 1/2), so the typical decay is a stretched exponential and δ_typ grows with the window.
public struct TypicalDecay: Sendable {
    /// ρ_typ ~ l^−δ_typ on the window.
    public var deltaTypical: SlopeEstimate?
    /// −⟨ln ρ⟩ ~ l^ψ_typ: 1/2 under temporal noise, falling towards 0 as the window grows in a clean class.
    public var typicalGrowth: SlopeEstimate?
    /// sd(ln ρ) ~ l^ψ: the exponent ψ that temporal-noise classes specify.
    public var psi: SlopeEstimate?
    /// ln(⟨ρ⟩/ρ_typ) ≥ 0 at the end of the window (Jensen), when both are known.
    public var gap: Double?
    /// The logarithmic decay of infinite-noise criticality tested against the power law on ⟨ρ⟩
    /// (``LogarithmicDecay``), on the same window.
    public var logarithmic: LogarithmicDecay?
    public var window: ClosedRange<Double>

    /// Fits the typical curve (⟨ln ρ⟩ per depth, with its errors) and the spread curve (sd(ln ρ))
    /// of one run on `window`; `average` is the same run's ⟨ρ⟩, for the gap.
    ///
    /// - Complexity: O(replicates × points of the curves).
    public static func measure(average: Curve?, typical: Curve?, spread: Curve?, window: ClosedRange<Double>,
                               replicates: Int = 200, seed: UInt64 = 1) -> TypicalDecay {
        var result = TypicalDecay(window: window)
        if let average { result.logarithmic = LogarithmicDecay.measure(average, window: window, replicates: replicates, seed: seed) }
        if let typical {
            var rhoTyp = typical
            rhoTyp.y = typical.y.map { exp($0) }
            rhoTyp.error = typical.error.map { zip($0, rhoTyp.y).map { e, y in e * y } }
            rhoTyp.blocks = nil
            result.deltaTypical = try? SlopeEstimate.estimate(rhoTyp, window: window, replicates: replicates, seed: seed)
            var growth = typical
            growth.y = typical.y.map { -$0 }
            growth.blocks = nil
            result.typicalGrowth = try? SlopeEstimate.estimate(growth, window: window, replicates: replicates, seed: seed)
            if let average, let j = typical.t.indices.last(where: { typical.t[$0] <= window.upperBound }),
               let k = average.t.firstIndex(of: typical.t[j]), average.y[k] > 0 {
                result.gap = log(average.y[k]) - typical.y[j]
            }
        }
        if let spread {
            var s = spread
            s.blocks = nil
            result.psi = try? SlopeEstimate.estimate(s, window: window, replicates: replicates, seed: seed)
        }
        return result
    }

    /// ψ as a measured exponent for a verdict (nil when not measured).
    public var psiExponent: MeasuredExponent? {
        psi.map { MeasuredExponent(value: $0.slope, error: $0.totalError) }
    }

    /// One line: "typical: δ_typ = 0.9 ± 0.1, −⟨ln ρ⟩ ~ l^0.48 ± 0.02, ψ = 0.50 ± 0.02, ln(⟨ρ⟩/ρ_typ) = 22".
    public var sentence: String {
        var parts: [String] = []
        if let d = deltaTypical { parts.append("delta_typ = \(formatEstimate(-d.slope, d.totalError))") }
        if let g = typicalGrowth { parts.append("-<ln rho> ~ l^\(formatEstimate(g.slope, g.totalError))") }
        if let p = psi { parts.append("sd(ln rho) ~ l^psi, psi = \(formatEstimate(p.slope, p.totalError))") }
        if let gap { parts.append("ln(<rho>/rho_typ) = \(String(format: "%.3g", gap)) at l = \(formatShort(window.upperBound))") }
        if let g = logarithmic { parts.append(g.sentence) }
        return parts.isEmpty ? "typical decay not measured" : "typical decay on l = \(formatShort(window.lowerBound))…\(formatShort(window.upperBound)): " + parts.joined(separator: ", ")
    }
}
