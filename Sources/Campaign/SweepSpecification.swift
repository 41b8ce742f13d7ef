import CriticalityCore
import Foundation

/// One parameter value of a task: a number, an integer or a word.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case integer(Int)
    case text(String)

    public var description: String {
        switch self {
        case .number(let x): formatNumber(x)
        case .integer(let i): String(i)
        case .text(let s): s
        }
    }

    public var double: Double? {
        switch self {
        case .number(let x): x
        case .integer(let i): Double(i)
        case .text: nil
        }
    }
}

/// A sweep specification (TOML): the model, fixed parameters, and grids — lists or
/// `{ from, to, steps }` — over any numeric parameter. Tasks are the Cartesian product of the grids,
/// axes taken in alphabetical order of their names.
///
///     name = "mlp-width-scaling"
///     model = "mlp"
///     activation = "tanh"
///     sigma_b = 0.3
///     sigma_w = "critical"
///     width = [64, 128, 256, 512]
///     depth = 1024
///     samples = 256
public struct SweepSpecification: Sendable {
    public let name: String
    public let model: String
    /// Every parameter with its values (one value for fixed parameters), by name.
    public let axes: [(name: String, values: [ParameterValue])]
    /// The text the specification was read from.
    public let text: String

    /// The models and parameters the specification was read against.
    public let schema: SweepSchema

    public init(text: String, schema: SweepSchema) throws {
        self.text = text
        self.schema = schema
        let table: TOMLDocument
        do { table = try TOMLDocument(parsing: text) } catch {
            throw CampaignError.invalidSpecification("the sweep specification is not valid TOML: \(error)")
        }
        guard let name = table["name"]?.string, !name.isEmpty else {
            throw CampaignError.invalidSpecification("the sweep specification needs a name = \"...\"")
        }
        guard let model = table["model"]?.string, let allowed = schema.models[model] else {
            throw CampaignError.invalidSpecification("model must be one of \(schema.models.keys.sorted().joined(separator: ", "))")
        }
        var axes: [(String, [ParameterValue])] = []
        for (key, value) in table.entries where key != "name" && key != "model" {
            guard let kind = allowed[key] else {
                throw CampaignError.invalidSpecification("unknown parameter '\(key)' for model \(model); expected one of \(allowed.keys.sorted().joined(separator: ", "))")
            }
            axes.append((key, try Self.values(of: key, kind: kind, value)))
        }
        for required in schema.required where allowed[required] != nil && !axes.contains(where: { $0.0 == required }) {
            throw CampaignError.invalidSpecification("the sweep specification needs \(required)")
        }
        // The task list is built in memory (a task is a few hundred bytes): refuse absurd grids
        // before building it.
        let count = axes.reduce(1.0) { $0 * Double($1.1.count) }
        guard count <= Double(Self.maximumTasks) else {
            throw CampaignError.invalidSpecification("the grids give \(formatNumber(count)) tasks; a specification may have at most \(Self.maximumTasks) (split it into several)")
        }
        self.name = name
        self.model = model
        self.axes = axes.sorted { $0.0 < $1.0 }
    }

    /// The most tasks one specification may have.
    public static let maximumTasks = 1_000_000

    public init(contentsOf path: String, schema: SweepSchema) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CampaignError.invalidSpecification("cannot read the sweep specification \(path)")
        }
        try self.init(text: text, schema: schema)
    }

    /// A scalar, a list of scalars, or { from, to, steps } (steps values, evenly spaced).
    static func values(of key: String, kind: SweepSchema.Kind, _ value: TOMLValue) throws -> [ParameterValue] {
        func scalar(_ v: TOMLValue) throws -> ParameterValue {
            switch kind {
            case .boolean:
                guard let b = v.bool else { throw CampaignError.invalidSpecification("\(key) must be true or false, got \(v)") }
                return .text(b ? "true" : "false")
            case .word:
                guard let s = v.string, !s.isEmpty else { throw CampaignError.invalidSpecification("\(key) must be a word, got \(v)") }
                return .text(s)
            case .numberOr(let words) where v.string != nil:
                guard let s = v.string, words.contains(s) else {
                    throw CampaignError.invalidSpecification("\(key) must be a number or \(words.map { "\"\($0)\"" }.joined(separator: " or ")), got \(v)")
                }
                return .text(s)
            case .integer:
                guard let i = v.int else { throw CampaignError.invalidSpecification("\(key) must be an integer, got \(v)") }
                return .integer(i)
            case .number, .numberOr:
                if let x = v.number, x.isFinite { return .number(x) }
                throw CampaignError.invalidSpecification("\(key) must be a finite number, got \(v)")
            }
        }
        if let list = value.array {
            guard !list.isEmpty else { throw CampaignError.invalidSpecification("\(key) has an empty list of values") }
            let values = try list.map(scalar)
            if let twice = firstRepeated(values) {
                throw CampaignError.invalidSpecification("\(key) lists \(twice) twice: each value of a grid must be different")
            }
            return values
        }
        if value.table != nil {
            let range = value
            let written = "\(key) = { from = \(range["from"].map { "\($0)" } ?? "?"), to = \(range["to"].map { "\($0)" } ?? "?"), steps = \(range["steps"].map { "\($0)" } ?? "?") }"
            guard let steps = range["steps"]?.int, steps >= 1,
                  let from = range["from"]?.number, let to = range["to"]?.number, from.isFinite, to.isFinite else {
                throw CampaignError.invalidSpecification("\(written): a grid needs two finite numbers and steps >= 1")
            }
            guard steps > 1 || from == to else {
                throw CampaignError.invalidSpecification("\(written): steps = 1 gives one value, so from and to must be equal (or give steps >= 2)")
            }
            guard steps <= maximumTasks else {
                throw CampaignError.invalidSpecification("\(written): at most \(maximumTasks) steps")
            }
            let xs = ParameterGrid(from: from, to: to, steps: steps).values
            let values: [ParameterValue]
            if kind == .integer {
                guard xs.allSatisfy({ abs($0) < 9.0e15 }) else {
                    throw CampaignError.invalidSpecification("\(written): \(key) must be an integer below 9e15")
                }
                values = xs.map { .integer(Int($0.rounded())) }
            } else if kind != .word && kind != .boolean {
                values = xs.map { .number($0) }
            } else {
                throw CampaignError.invalidSpecification("\(written): \(key) takes \(kind == .boolean ? "true or false" : "words"), not a numeric grid")
            }
            if let twice = firstRepeated(values) {
                throw CampaignError.invalidSpecification("\(written) gives \(twice) twice (\(key) takes integers): use fewer steps or a wider range")
            }
            return values
        }
        return [try scalar(value)]
    }

    /// The first value that occurs twice, if any.
    static func firstRepeated(_ values: [ParameterValue]) -> ParameterValue? {
        var seen = Set<String>()
        for v in values where !seen.insert(v.description).inserted { return v }
        return nil
    }

    /// The tasks, in a fixed order: the last axis (alphabetically) varies fastest.
    public var tasks: [SweepTask] {
        var result: [[(String, ParameterValue)]] = [[]]
        for (name, values) in axes {
            result = result.flatMap { prefix in values.map { prefix + [(name, $0)] } }
        }
        return result.enumerated().map { SweepTask(index: $0.offset, parameters: $0.element) }
    }
}
