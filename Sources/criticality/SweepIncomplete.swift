/// A sweep run that ended with tasks neither stored nor computed, or an export of a store with
/// tasks missing: exit status 1, one line naming them and why.
struct SweepIncomplete: Error, CustomStringConvertible {
    let name: String
    let total: Int
    let undone: [(id: String, reason: String)]
    /// A sentence that replaces the list of tasks, when given.
    var summary: String? = nil

    var description: String {
        if let summary { return "sweep \(name): \(summary)" }
        let shown = undone.prefix(4).map { "\($0.id) (\($0.reason))" }.joined(separator: ", ")
        let more = undone.count > 4 ? " and \(undone.count - 4) more" : ""
        return "sweep \(name): \(undone.count) of \(total) tasks not done: \(shown)\(more); rerun the same command once they are free"
    }
}
