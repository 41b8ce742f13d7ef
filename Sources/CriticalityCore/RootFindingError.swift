/// Errors from the scalar root finder.
public enum RootFindingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// f(a) and f(b) have the same sign, so [a, b] does not bracket a root.
    case notBracketed(a: Double, b: Double, fa: Double, fb: Double)
    /// A function value was NaN.
    case notANumber(at: Double)

    public var description: String {
        switch self {
        case .notBracketed(let a, let b, let fa, let fb):
            "no root bracketed: f(\(a)) = \(fa) and f(\(b)) = \(fb) have the same sign"
        case .notANumber(let x): "the function is not a number at \(x)"
        }
    }
}
