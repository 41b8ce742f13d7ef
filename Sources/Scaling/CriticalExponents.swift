import Foundation

/// The observables of the tool's files and the exponent each one's power law measures.
public enum Observable: String, Sendable, CaseIterable {
    /// ρ(t) ~ t^−δ (homogeneous start).
    case rho
    /// P(t) ~ t^−δ (spreading from a seed).
    case survival
    /// N(t) ~ t^θ (spreading).
    case active
    /// R²(t) ~ t^{2/z} (spreading).
    case r2

    /// The observable as written in the text and on figure axes: ρ, P, N, R².
    public var symbol: String {
        switch self {
        case .rho: "ρ"
        case .survival: "P"
        case .active: "N"
        case .r2: "R²"
        }
    }

    /// The exponent's name in ``UniversalityClass/exponents``.
    public var exponent: String {
        switch self {
        case .rho, .survival: "delta"
        case .active: "theta"
        case .r2: "z"
        }
    }

    /// The exponent read at a critical point: its error combines the bootstrap error and the drift
    /// of the interpolated slope; `statistical` and `drift` are those two parts on the exponent's scale.
    public func exponent(at cp: CriticalPoint) -> (exponent: MeasuredExponent, statistical: Double, drift: Double) {
        let total = (cp.slopeError * cp.slopeError + cp.slopeDrift * cp.slopeDrift).squareRoot()
        return (exponent(slope: cp.slope, error: total), exponent(slope: cp.slope, error: cp.slopeError).error,
                exponent(slope: cp.slope, error: cp.slopeDrift).error)
    }

    /// The exponent of a fitted slope, likewise.
    public func exponent(of s: SlopeEstimate) -> (exponent: MeasuredExponent, statistical: Double, drift: Double) {
        (exponent(slope: s.slope, error: s.totalError), exponent(slope: s.slope, error: s.error).error,
         exponent(slope: s.slope, error: s.drift).error)
    }

    /// The exponent from a log-log slope s and its error.
    public func exponent(slope s: Double, error e: Double) -> MeasuredExponent {
        switch self {
        case .rho, .survival: MeasuredExponent(value: -s, error: e)
        case .active: MeasuredExponent(value: s, error: e)
        case .r2: MeasuredExponent(value: 2 / s, error: 2 * e / (s * s))
        }
    }
}

/// Exponents measured on a data set: at the critical point of a scan when the curves cover one,
/// otherwise on the single run given (assumed critical).
public struct CriticalExponents: Sendable {
    /// How one exponent was measured.
    public struct Measurement: Sendable {
        public var observable: Observable
        public var exponent: MeasuredExponent
        /// Statistical error and window drift, before they are combined in `exponent.error`.
        public var statisticalError: Double
        public var drift: Double
        public var window: ClosedRange<Double>
        /// The size whose curves were used, and the run or the critical point they were read at.
        public var size: Double?
        public var source: String
        public var criticalPoint: CriticalPoint?
    }

    public var measurements: [Measurement]
    public var exponents: [String: MeasuredExponent] {
        Dictionary(measurements.map { ($0.observable.exponent, $0.exponent) }, uniquingKeysWith: { a, _ in a })
    }

    /// The exponents with a relative systematic allowance added in quadrature: corrections to
    /// scaling that a finite window cannot see in its drift (e.g. the logarithmic correction of the
    /// mean-field decay, ρ l κ = 1 + O(ln l / l), which leaves δ_eff ≈ 1.03 at l ≈ 500).
    public func exponents(systematic: Double) -> [String: MeasuredExponent] {
        exponents.mapValues { m in
            let s = systematic * abs(m.value)
            return MeasuredExponent(value: m.value, error: (m.error * m.error + s * s).squareRoot())
        }
    }

    /// Measures the exponent of each observable in `curves` on its largest size. A scan of at least
    /// three control values is read at its critical point; otherwise the run whose control is
    /// nearest `control` (default: the middle run) is fitted. Observables whose curves cannot
    /// support a fit are left out and their reasons returned in `skipped`.
    public static func measure(_ curves: [Observable: [Curve]], window: ClosedRange<Double>? = nil, control: Double? = nil,
                               replicates: Int = 200, seed: UInt64 = 1) -> (CriticalExponents, skipped: [String]) {
        var measurements: [Measurement] = []
        var skipped: [String] = []
        for observable in Observable.allCases {
            guard let all = curves[observable], !all.isEmpty else { continue }
            let largest = all.compactMap(\.size).max()
            let group = all.filter { $0.size == largest }
            let controls = Set(group.compactMap(\.control))
            do {
                if controls.count >= 3 && control == nil {
                    let cp = try CriticalPoint.locate(group, window: window, replicates: replicates, seed: seed)
                    let (e, stat, drift) = observable.exponent(at: cp)
                    measurements.append(Measurement(observable: observable, exponent: e, statisticalError: stat, drift: drift,
                                                    window: cp.window, size: largest,
                                                    source: "critical point \(formatShort(cp.control)) ± \(String(format: "%.2g", cp.error))",
                                                    criticalPoint: cp))
                } else {
                    let sorted = group.sorted { ($0.control ?? 0) < ($1.control ?? 0) }
                    let pick = control.map { c in sorted.min { abs(($0.control ?? c) - c) < abs(($1.control ?? c) - c) }! }
                        ?? sorted[sorted.count / 2]
                    let s = try SlopeEstimate.estimate(pick, window: window, replicates: replicates, seed: seed)
                    let (e, stat, drift) = observable.exponent(of: s)
                    measurements.append(Measurement(observable: observable, exponent: e, statisticalError: stat, drift: drift,
                                                    window: s.window, size: largest, source: pick.label, criticalPoint: nil))
                }
            } catch {
                skipped.append("\(observable.rawValue): \(error)")
            }
        }
        return (CriticalExponents(measurements: measurements), skipped)
    }
}
