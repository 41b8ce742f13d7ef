/// What a sweep specification may contain: for each model, the parameters it accepts and the kind of
/// value each takes. The tool's model descriptions supply it (one place per model); the campaign
/// library reads specifications and stores through it and knows no model by name.
public struct SweepSchema: Sendable {
    /// The kind of values a parameter takes in a specification.
    public enum Kind: Sendable, Equatable {
        /// A finite number (integers are read as numbers).
        case number
        /// An integer (grid values are rounded to integers, and must not repeat after rounding).
        case integer
        /// A word (`activation = "tanh"`).
        case word
        /// true or false, stored as the words "true" and "false".
        case boolean
        /// A number, or one of the given words (`sigma_w = "critical"`).
        case numberOr([String])
    }

    /// Parameter name → kind, by model name.
    public var models: [String: [String: Kind]]
    /// Parameters every specification must give when its model has them.
    public var required: [String]

    public init(models: [String: [String: Kind]], required: [String]) {
        self.models = models
        self.required = required
    }
}
