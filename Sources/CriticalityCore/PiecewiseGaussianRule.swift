import Foundation

/// Expectations over a standard normal variable of functions that are smooth between known
/// breakpoints (kinks or jumps), by composite Gauss–Legendre quadrature.
///
///     E[g(z)] = ∫_{−L}^{L} g(z) φ(z) dz + O(φ(L)),   φ(z) = e^{−z²/2}/√(2π),
///
/// with the line cut at every breakpoint and each piece cut into panels no longer than
/// `maxPanel`. Between breakpoints the integrand is analytic, so each panel converges
/// exponentially; at L = 10 the neglected tails are below 1e-22 for integrands of polynomial growth.
///
/// - Complexity: O(nodes × panels) evaluations of `g`.
public struct PiecewiseGaussianRule: Sendable {
    public let panelRule: GaussLegendreRule
    /// Half-width L of the truncated real line, in standard deviations.
    public let cutoff: Double
    /// Longest panel, in standard deviations.
    public let maxPanel: Double

    public init(nodesPerPanel: Int = 16, cutoff: Double = 10, maxPanel: Double = 2) {
        panelRule = GaussLegendreRule(count: nodesPerPanel)
        self.cutoff = cutoff
        self.maxPanel = maxPanel
    }

    /// E[g(z)] for z ~ N(0, 1), where g is smooth except at `breakpoints` (any order, any values;
    /// points outside (−L, L) are ignored).
    @inlinable
    public func expectation(breakpoints: [Double], _ g: (Double) -> Double) -> Double {
        var cuts = breakpoints.filter { $0 > -cutoff && $0 < cutoff && $0.isFinite }
        cuts.append(-cutoff)
        cuts.append(cutoff)
        cuts.sort()
        let normalisation = 1.0 / (2.0 * Double.pi).squareRoot()
        var total = 0.0
        for k in 0..<(cuts.count - 1) {
            let a = cuts[k], b = cuts[k + 1]
            guard b > a else { continue }
            let panels = max(1, Int(((b - a) / maxPanel).rounded(.up)))
            let width = (b - a) / Double(panels)
            for p in 0..<panels {
                let lo = a + Double(p) * width
                let hi = p == panels - 1 ? b : lo + width
                total += panelRule.integral(from: lo, to: hi) { z in
                    g(z) * exp(-0.5 * z * z)
                }
            }
        }
        return total * normalisation
    }
}
