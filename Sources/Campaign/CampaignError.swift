/// Errors in a sweep specification or a campaign store.
public enum CampaignError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidSpecification(String)
    case invalidStore(String)

    public var description: String {
        switch self {
        case .invalidSpecification(let m), .invalidStore(let m): m
        }
    }
}
