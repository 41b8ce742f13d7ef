import CriticalityCore
import Foundation

/// A power-law slope with its statistical error and its drift with the window.
///
/// `slope` is the fit on the whole window; `error` the standard deviation of the same fit over
/// bootstrap replicates of the realisation blocks when the curve carries them, the per-depth
/// errors propagated with the correlation between depths allowed for (``CorrelatedSlopeError``)
/// when it carries only those, or the least-squares error when it carries neither; `early` and `late` the slopes on the lower and upper halves
/// of the window (in ln t), and `drift` = |late − early| / 2 measures corrections to scaling or an
/// off-critical bend. ``totalError`` combines the two in quadrature: it is the error a verdict uses.
public struct SlopeEstimate: Sendable {
    public var slope: Double
    public var error: Double
    public var early: Double
    public var late: Double
    public var window: ClosedRange<Double>
    public var points: Int
    public var replicates: Int
    /// How ``error`` was estimated.
    public var errorMethod: ErrorMethod = .leastSquares

    /// How the statistical error of a slope was estimated.
    public enum ErrorMethod: Sendable, Equatable, CustomStringConvertible {
        /// A bootstrap over the stored blocks of realisations.
        case blockBootstrap
        /// Per-depth errors propagated under the correlation model that gave the largest error.
        case model(CorrelatedSlopeError.Method)
        /// The least-squares error of the fit (no errors known).
        case leastSquares

        public var description: String {
            switch self {
            case .blockBootstrap: "block-bootstrap"
            case .model(let m): "errors-" + m.rawValue
            case .leastSquares: "least-squares"
            }
        }
    }

    public var drift: Double { early.isFinite && late.isFinite ? abs(late - early) / 2 : 0 }
    public var totalError: Double { (error * error + drift * drift).squareRoot() }

    /// Fits `curve` on `window` (default: ``Curve/defaultWindow``).
    ///
    /// - Complexity: O(replicates × points of the curve).
    public static func estimate(_ curve: Curve, window: ClosedRange<Double>? = nil, replicates: Int = 200,
                                seed: UInt64 = 1) throws -> SlopeEstimate {
        let w = try window ?? curve.defaultFittingWindow()
        try PowerLawFit.validate(curve, window: w)
        let idx = curve.logSpacedIndices(in: w)
        let fit = LeastSquares.line(x: idx.map { log(curve.t[$0]) }, y: idx.map { log(curve.y[$0]) })!
        let mid = (w.lowerBound * w.upperBound).squareRoot()
        let early = PowerLawFit.slope(of: curve, window: w.lowerBound...mid) ?? .nan
        let late = PowerLawFit.slope(of: curve, window: mid...w.upperBound) ?? .nan
        var error = fit.slopeError
        var used = 0
        var method = ErrorMethod.leastSquares
        let hasBlocks = (curve.blocks?.values.count ?? 0) >= Curve.minimumBlocks
        if !hasBlocks, let errors = curve.error {
            // Per-depth errors only: allow for the correlation between depths (see CorrelatedSlopeError).
            let relative = idx.map { errors[$0] / curve.y[$0] }
            if relative.allSatisfy({ $0.isFinite && $0 >= 0 }) {
                let correlated = CorrelatedSlopeError(u: idx.map { log(curve.t[$0]) }, lnY: idx.map { log(curve.y[$0]) },
                                                      relative: relative)
                error = correlated.error
                method = .model(correlated.method)
            }
        } else if curve.canResample && replicates >= 2 {
            method = .blockBootstrap
            var rng = Xoshiro256(key: StreamKey(seed: seed, task: 0x5ca1e, realisation: 0))
            var values: [Double] = []
            for _ in 0..<replicates {
                if let s = PowerLawFit.slope(of: curve.resampled(using: &rng), window: w), s.isFinite { values.append(s) }
            }
            used = values.count
            error = meanAndSpread(values).spread
        }
        return SlopeEstimate(slope: fit.slope, error: error, early: early, late: late, window: w, points: idx.count,
                             replicates: used, errorMethod: method)
    }
}
