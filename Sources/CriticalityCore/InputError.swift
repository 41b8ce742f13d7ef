/// Errors from reading input files.
public enum InputError: Error, CustomStringConvertible, Sendable {
    case invalid(String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
