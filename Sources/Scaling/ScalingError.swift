/// Errors of the analysis: inputs that cannot support the estimate asked for.
public enum ScalingError: Error, CustomStringConvertible, Sendable {
    case insufficientData(String)
    /// A scan whose curves all bend the same way: `active` tells which (true: all bend up, so the
    /// critical point lies below the scan).
    case oneSidedScan(String, active: Bool)

    public var description: String {
        switch self {
        case .insufficientData(let why), .oneSidedScan(let why, _): "insufficient data: \(why)"
        }
    }
}
