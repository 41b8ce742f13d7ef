/// Errors of the finite-width simulators.
public enum PropagationError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidParameter(String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidParameter(let m), .invalidInput(let m): m
        }
    }
}
