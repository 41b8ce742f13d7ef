import CriticalityCore
import Foundation

/// The edge of chaos: for an activation and σ_b, the smallest σ_w at which χ₁(σ_w, σ_b) = 1 with a
/// finite q*.
///
/// χ₁ − 1 is scanned on a geometric grid σ_w = 0.05 · 1.1^k up to 100 and the first sign change is
/// refined by Brent's method to ~1e-15 relative. Where the length map diverges before χ₁ reaches 1
/// (unbounded activations), the divergence edge is located by bisection; it is the critical point
/// only if χ₁ = 1 there with a finite q* (ReLU at σ_b = 0: σ_w,c = √2).
public enum CriticalLine {
    /// The critical point at σ_b, with every mean-field quantity evaluated there.
    public static func point(activation: Activation, sigmaB: Double, q0: Double = 1) throws -> MeanFieldPoint {
        let sigmaW = try sigmaWCritical(activation: activation, sigmaB: sigmaB, q0: q0)
        return try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB).point(q0: q0)
    }

    /// σ_w,c(σ_b).
    ///
    /// - Throws: ``MeanFieldError/noCriticalPoint(activation:sigmaB:reason:)`` when χ₁ never reaches
    ///   1 with a finite q*.
    public static func sigmaWCritical(activation: Activation, sigmaB: Double, q0: Double = 1) throws -> Double {
        try requireParameter("sigma_b", sigmaB)
        func h(_ sigmaW: Double) throws -> Double {
            let net = try MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB)
            return net.chi1(q: try net.lengthFixedPoint(from: q0)) - 1
        }
        var previous = 0.05
        var hPrevious = try h(previous)
        if hPrevious >= 0 {
            throw MeanFieldError.noCriticalPoint(
                activation: activation, sigmaB: sigmaB, reason: "chi1 >= 1 already at sigma_w = \(previous)")
        }
        var sigma = previous
        while sigma < 100 {
            sigma *= 1.1
            let value: Double
            do {
                value = try h(sigma)
            } catch MeanFieldError.divergentLength {
                return try divergenceEdge(activation: activation, sigmaB: sigmaB, q0: q0, converging: previous, diverging: sigma)
            }
            if value == 0 { return sigma }
            if value > 0 { return try brentRoot(in: previous, sigma, absoluteTolerance: 1e-15, h) }
            previous = sigma
            hPrevious = value
        }
        throw MeanFieldError.noCriticalPoint(
            activation: activation, sigmaB: sigmaB, reason: "chi1 < 1 for all sigma_w up to 100")
    }

    private static func divergenceEdge(
        activation: Activation, sigmaB: Double, q0: Double, converging: Double, diverging: Double
    ) throws -> Double {
        var lo = converging, hi = diverging
        for _ in 0..<80 where hi - lo > 2 * lo.ulp {
            let mid = 0.5 * (lo + hi)
            let net = try MeanFieldNetwork(activation: activation, sigmaW: mid, sigmaB: sigmaB)
            if (try? net.lengthFixedPoint(from: q0)) != nil { lo = mid } else { hi = mid }
        }
        let net = try MeanFieldNetwork(activation: activation, sigmaW: lo, sigmaB: sigmaB)
        let q = try net.lengthFixedPoint(from: q0)
        let chi1 = net.chi1(q: q)
        if abs(chi1 - 1) <= MeanFieldPoint.criticalTolerance && q <= 1e10 { return lo }
        let edge = String(format: "%.6g", lo)
        let detail = abs(chi1 - 1) < 1e-6
            ? "chi1 reaches 1 only where q* diverges (sigma_w -> \(edge))"
            : "chi1 < 1 up to sigma_w = \(edge), beyond which q* diverges"
        throw MeanFieldError.noCriticalPoint(activation: activation, sigmaB: sigmaB, reason: detail)
    }
}
