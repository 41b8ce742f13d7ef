import CriticalityCore
import MeanField

/// The maximum Lyapunov exponent of a finite-width MLP at one σ_w.
public struct LyapunovPoint: Sendable {
    public let sigmaW: Double
    /// λ(n): the mean over realisations of the per-layer log growth of a tangent vector.
    public let lambda: Double
    /// Standard error of λ over realisations.
    public let lambdaError: Double
    /// The mean-field exponent ½ ln χ₁ (NaN when the length map diverges).
    public let meanField: Double
}

/// The finite-width phase boundary: where λ(n) changes sign.
public struct LyapunovRoot: Sendable {
    public let sigmaW: Double
    public let error: Double
    /// λ measured at `sigmaW` (close to zero within its error).
    public let lambdaAtRoot: Double
    public let lambdaErrorAtRoot: Double
    /// dλ/dσ_w across the bracketing scan points.
    public let slope: Double
}

/// λ(σ_w) of a finite-width MLP and its zero, the finite-width edge of chaos.
public enum LyapunovScan {
    /// Measures λ at one σ_w. Every σ_w uses the same random streams (common random numbers), so
    /// λ(σ_w) is smooth in σ_w and differences between points are far more precise than each point.
    public static func point(
        _ config: MLPConfiguration, sigmaW: Double, inputs: InputPairs, samples: Int, seed: UInt64,
        burnIn: Int, threads: Int = defaultThreadCount
    ) throws -> LyapunovPoint {
        var c = config
        c.sigmaW = sigmaW
        c.tangent = true
        let series = try MLPSimulation.run(c, inputs: inputs, samples: samples, seed: seed,
                                           threads: threads, lyapunovBurnIn: burnIn)
        return LyapunovPoint(sigmaW: sigmaW, lambda: series.lyapunov.value, lambdaError: series.lyapunov.standardError,
                             meanField: meanFieldLyapunov(activation: c.activation, sigmaW: sigmaW, sigmaB: c.sigmaB))
    }

    /// ½ ln χ₁ at the length fixed point reached from q₀ = 1; NaN where it diverges.
    public static func meanFieldLyapunov(activation: Activation, sigmaW: Double, sigmaB: Double) -> Double {
        guard let p = try? MeanFieldNetwork(activation: activation, sigmaW: sigmaW, sigmaB: sigmaB).point() else { return .nan }
        return p.lyapunov
    }

    /// The first sign change of λ from negative to positive along the scan, located by linear
    /// interpolation between the bracketing points and checked by one more run there.
    ///
    /// The error is the standard error of λ at the root divided by the slope |dλ/dσ_w| (delta
    /// method; the slope is nearly noise-free thanks to the common random numbers). `nil` when λ
    /// does not change sign.
    public static func root(
        of points: [LyapunovPoint], _ config: MLPConfiguration, inputs: InputPairs, samples: Int, seed: UInt64,
        burnIn: Int, threads: Int = defaultThreadCount
    ) throws -> LyapunovRoot? {
        let sorted = points.sorted { $0.sigmaW < $1.sigmaW }
        guard let k = sorted.indices.dropLast().first(where: { sorted[$0].lambda < 0 && sorted[$0 + 1].lambda >= 0 }) else {
            return nil
        }
        let (lo, hi) = (sorted[k], sorted[k + 1])
        let slope = (hi.lambda - lo.lambda) / (hi.sigmaW - lo.sigmaW)
        var estimate = lo.sigmaW - lo.lambda / slope
        var atRoot = try point(config, sigmaW: estimate, inputs: inputs, samples: samples, seed: seed,
                               burnIn: burnIn, threads: threads)
        // One secant step from the nearer bracket end refines the interpolation.
        let near = abs(lo.sigmaW - estimate) < abs(hi.sigmaW - estimate) ? lo : hi
        if atRoot.sigmaW != near.sigmaW {
            let local = (atRoot.lambda - near.lambda) / (atRoot.sigmaW - near.sigmaW)
            if local > 0 {
                let refined = estimate - atRoot.lambda / local
                if refined > lo.sigmaW, refined < hi.sigmaW {
                    estimate = refined
                    atRoot = try point(config, sigmaW: estimate, inputs: inputs, samples: samples, seed: seed,
                                       burnIn: burnIn, threads: threads)
                }
            }
        }
        return LyapunovRoot(sigmaW: estimate, error: atRoot.lambdaError / slope, lambdaAtRoot: atRoot.lambda,
                            lambdaErrorAtRoot: atRoot.lambdaError, slope: slope)
    }
}
