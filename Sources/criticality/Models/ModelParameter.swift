import Campaign
import CriticalityCore
import Foundation
import MeanField

/// One parameter of a simulation model, described once: its snake_case name (the sweep key, the
/// CSV column and the sidecar field; the command-line flag is derived from it), the kind of value,
/// its default and which values are valid. The command line, sweep specifications, MPI workers and
/// exports all read these descriptions (docs/campaigns.md, "Models").
struct ModelParameter: Sendable {
    /// Which values a parameter accepts, beyond its kind.
    enum Rule: Sendable {
        case any
        /// x ≥ minimum.
        case atLeast(Double)
        /// x > minimum.
        case above(Double)
        /// lower ≤ x ≤ upper, or lower ≤ x < upper when `upperOpen`.
        case within(Double, Double, upperOpen: Bool)
        /// A positive odd integer.
        case oddPositive
        /// One of the listed integers.
        case oneOf([Int])
        /// One of the listed words.
        case word([String])
        /// The name of an activation (aliases included).
        case activation
    }

    let name: String
    let kind: SweepSchema.Kind
    /// The value used when none is given (`nil`: the model derives it, or it must be given).
    let defaultValue: ParameterValue?
    let rule: Rule

    init(_ name: String, _ kind: SweepSchema.Kind, default defaultValue: ParameterValue? = nil, _ rule: Rule = .any) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.rule = rule
    }

    /// What is wrong with `value`, as a phrase that follows the parameter's name ("must be at least
    /// 1, got 0"), or `nil` when it is valid.
    func problem(with value: ParameterValue) -> String? {
        switch (kind, value) {
        case (.numberOr(let words), .text(let s)):
            return words.contains(s) ? nil : "must be a number or \(words.joined(separator: " or ")), got '\(s)'"
        case (.word, .text(let s)), (.boolean, .text(let s)):
            if case .word(let allowed) = rule, !allowed.contains(s) {
                return "must be one of \(allowed.joined(separator: ", ")), got '\(s)'"
            }
            if case .activation = rule, Activation(name: s) == nil {
                return "must be one of \(Activation.allValueStrings.joined(separator: ", ")), got '\(s)'"
            }
            if kind == .boolean, s != "true", s != "false" { return "must be true or false, got '\(s)'" }
            return nil
        case (.word, _), (.boolean, _):
            return "must be a word, got \(value)"
        case (_, .text(let s)):
            return "must be a number, got '\(s)'"
        default:
            break
        }
        guard let x = value.double, x.isFinite else { return "must be a finite number, got \(value)" }
        switch rule {
        case .any, .word, .activation: return nil
        case .atLeast(let m): return x >= m ? nil : "must be at least \(formatNumber(m)), got \(value)"
        case .above(let m): return x > m ? nil : "must be greater than \(formatNumber(m)), got \(value)"
        case .within(let lo, let hi, let open):
            return x >= lo && (open ? x < hi : x <= hi) ? nil
                : "must lie in [\(formatNumber(lo)), \(formatNumber(hi))\(open ? ")" : "]"), got \(value)"
        case .oddPositive:
            return x >= 1 && x.truncatingRemainder(dividingBy: 2) == 1 ? nil : "must be odd and positive, got \(value)"
        case .oneOf(let allowed):
            return allowed.contains(where: { Double($0) == x }) ? nil : "must be \(allowed.map(String.init).joined(separator: " or ")), got \(value)"
        }
    }
}

/// The values of a model's parameters by name; missing ones read as their defaults.
struct ModelValues: Sendable {
    var values: [String: ParameterValue]
    let parameters: [ModelParameter]

    init(_ values: [String: ParameterValue], parameters: [ModelParameter]) {
        self.values = values
        self.parameters = parameters
    }

    /// The value given, or the parameter's default.
    subscript(_ name: String) -> ParameterValue? {
        values[name] ?? parameters.first { $0.name == name }?.defaultValue
    }

    func number(_ name: String) -> Double { self[name]?.double ?? .nan }

    func integer(_ name: String) -> Int {
        switch self[name] {
        case .integer(let i)?: i
        case .number(let x)? where x.isFinite && abs(x) < 9e15: Int(x)
        default: 0
        }
    }

    func word(_ name: String) -> String {
        if case .text(let s)? = self[name] { return s }
        return ""
    }

    func flag(_ name: String) -> Bool { word(name) == "true" }

    /// Whether a value was given (not a default).
    func has(_ name: String) -> Bool { values[name] != nil }
}

/// A simulation model as the command line and campaigns see it: its parameters, their joint
/// validation, the cost of a run and how a campaign task runs it. Each model is described once, in
/// one file (`Models/`), together with its command-line options.
protocol SimulationModel: Sendable {
    /// The model's name in sweep specifications (`mlp`, `cnn`, `dp`).
    static var name: String { get }
    static var parameters: [ModelParameter] { get }
    /// Constraints between parameters (a kernel no wider than the lattice, …), as a message that
    /// names the parameters through `naming`; `nil` when they hold.
    static func jointProblem(_ values: ModelValues, naming: (String) -> String) -> String?
    /// The work of a run in the model's units (neuron-layers, multiply-adds, site-steps).
    static func cost(_ values: ModelValues) -> Double
    /// Rough throughput in the units of ``cost(_:)`` per second on 2 cores, for plans.
    static var nominalThroughput: Double { get }
    /// An upper estimate of the memory a run takes on `threads` threads, in bytes (computed in
    /// floating point, so that absurd sizes give a large number instead of an overflow).
    static func memoryEstimate(_ values: ModelValues, threads: Int) -> Double
    /// Runs one campaign task: the per-depth table (exactly as `simulate` writes it) and the table
    /// of per-block means that bootstrap errors resample.
    static func runTask(_ values: ModelValues, seed: UInt64, task: UInt64, threads: Int) throws -> (table: Table, blocks: Table)
}

extension SimulationModel {
    /// The kinds of the parameters, for sweep specifications.
    static var kinds: [String: SweepSchema.Kind] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.kind) })
    }

    /// `values` read against this model's parameters.
    static func values(_ values: [String: ParameterValue]) -> ModelValues { ModelValues(values, parameters: parameters) }

    /// Checks every given value and the constraints between them; `naming` turns a parameter's
    /// name into what the user wrote (a flag on the command line, the key in a specification).
    static func validate(_ values: ModelValues, naming: (String) -> String) throws {
        for p in parameters {
            guard let v = values.values[p.name] else { continue }
            if let problem = p.problem(with: v) { throw ModelError(description: "\(naming(p.name)) \(problem)") }
        }
        if let problem = jointProblem(values, naming: naming) { throw ModelError(description: problem) }
        try MemoryBudget.require(memoryEstimate(values, threads: defaultThreadCount), for: "this run")
    }

    /// The sidecar fields of a run: `model`, then every parameter in the model's order, with the
    /// values the run used (`resolved` overrides: σ_w once "critical" is resolved, the seed as
    /// given, a lattice size the model chose).
    static func metadata(_ values: ModelValues, resolved: [String: ParameterValue] = [:], seed: UInt64? = nil,
                         model: String? = nil) -> [JSONValue.Field] {
        [JSONValue.Field("model", .string(model ?? name))] + parameters.compactMap { p in
            if p.name == "seed", let seed { return JSONValue.Field("seed", .unsigned(seed)) }
            guard let value = resolved[p.name] ?? values[p.name] else { return nil }
            let json: JSONValue
            switch (p.kind, value) {
            case (.boolean, .text(let s)): json = .bool(s == "true")
            case (_, .text(let s)): json = .string(s)
            case (_, .integer(let i)): json = .integer(i)
            case (_, .number(let x)): json = .number(x)
            }
            return JSONValue.Field(p.name, json)
        }
    }

    /// The command-line flag of a parameter.
    static func flag(_ name: String) -> String { "--" + name.replacingOccurrences(of: "_", with: "-") }

    /// The activation, σ_b, q₀ and σ_w of a network model, σ_w = "critical" resolved to the
    /// mean-field σ_w,c at (σ_b, q₀).
    static func network(_ v: ModelValues) throws -> (activation: Activation, sigmaW: Double, sigmaB: Double, q0: Double) {
        let activation = Activation(name: v.word("activation")) ?? .tanh
        let sigmaB = v.number("sigma_b"), q0 = v.number("q0")
        let sigmaW = v.word("sigma_w") == "critical"
            ? try CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB, q0: q0) : v.number("sigma_w")
        return (activation, sigmaW, sigmaB, q0)
    }

    /// The variances a network's first layer multiplies, checked for overflow: σ_w² q₀ and σ_b²
    /// must stay below 1e300 (beyond, q¹ is infinite and every row would read q = nan, ρ = 0).
    static func varianceProblem(_ v: ModelValues, naming: (String) -> String) -> String? {
        let w = v["sigma_w"]?.double ?? 0, b = v.number("sigma_b"), q0 = v.number("q0")
        if w * w * q0 > 1e300 { return "\(naming("sigma_w")) = \(formatNumber(w)) overflows: sigma_w^2 q0 must stay below 1e300" }
        if b * b > 1e300 { return "\(naming("sigma_b")) = \(formatNumber(b)) overflows: sigma_b^2 must stay below 1e300" }
        return nil
    }

    /// What is wrong with a data model's `label_column` (a 1-based index or `last`), or nil.
    static func labelColumnProblem(_ v: ModelValues, naming: (String) -> String) -> String? {
        let column = v.word("label_column")
        if column != "last", (Int(column) ?? 0) < 1 { return "\(naming("label_column")) must be a 1-based index or last, got '\(column)'" }
        return nil
    }

    /// The split a data model's task trains on: `input` (IDX images with `labels`, or a CSV with
    /// `label_column`), its first `train` rows after a shuffle with `shuffleSeed` and the next
    /// `test`, rescaled to mean square q₀.
    static func trainingSplit(_ v: ModelValues, shuffleSeed: UInt64, q0: Double) throws -> TrainingSplit {
        let input = v.word("input"), labels = v.word("labels")
        return try TrainingSplit(input: input, labelColumn: isIDXName(input) ? nil : v.word("label_column"),
                                 labels: labels.isEmpty ? nil : labels, train: v.integer("train"), test: v.integer("test"),
                                 shuffleSeed: shuffleSeed, q0: q0)
    }

    /// A parameter's default, for an `@Option`'s initial value.
    static func defaultNumber(_ name: String) -> Double { parameters.first { $0.name == name }?.defaultValue?.double ?? .nan }
    static func defaultInteger(_ name: String) -> Int {
        if case .integer(let i)? = parameters.first(where: { $0.name == name })?.defaultValue { return i }
        return 0
    }
}

/// The models that campaigns can run, by name: the one list that sweeps, MPI workers, plans and
/// exports consult.
enum ModelRegistry {
    static let all: [any SimulationModel.Type] = [MLPModel.self, CNNModel.self, DPModel.self, NTKModel.self, TrainModel.self]

    static func model(named name: String) throws -> any SimulationModel.Type {
        guard let m = all.first(where: { $0.name == name }) else {
            throw ModelError(description: "unknown model '\(name)'; expected one of \(all.map { $0.name }.joined(separator: ", "))")
        }
        return m
    }

    /// What sweep specifications may contain.
    static let schema = SweepSchema(models: Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0.kinds) }),
                                    required: ["depth", "samples"])

    /// A campaign store of this tool's models.
    static func store(_ path: String) -> CampaignStore { CampaignStore(path: path, schema: schema) }

    /// A specification read against this tool's models and validated task by task as the command
    /// line validates the same flags, before anything runs.
    static func specification(text: String) throws -> SweepSpecification {
        let spec = try SweepSpecification(text: text, schema: schema)
        try validate(spec)
        return spec
    }

    static func specification(contentsOf path: String) throws -> SweepSpecification {
        let spec = try SweepSpecification(contentsOf: path, schema: schema)
        try validate(spec)
        return spec
    }

    /// Every task's values checked; the first invalid one is named.
    static func validate(_ spec: SweepSpecification) throws {
        let model = try self.model(named: spec.model)
        for task in spec.tasks {
            do {
                try model.validate(values(of: task, model: model), naming: { $0 })
            } catch let error as ModelError {
                throw CampaignError.invalidSpecification("\(error.description) (task \(task.id))")
            }
        }
    }

    /// A task's values.
    static func values(of task: SweepTask, model: any SimulationModel.Type) -> ModelValues {
        model.values(Dictionary(uniqueKeysWithValues: task.parameters.map { ($0.name, $0.value) }))
    }
}
