/// A sweep run that ended with tasks neither stored nor computed: exit status 1, one line naming
/// them and why.
struct SweepIncomplete: Error, CustomStringConvertible {
    let name: String
    let total: Int
    let undone: [(id: String, reason: String)]

    var description: String {
        let shown = undone.prefix(4).map { "\($0.id) (\($0.reason))" }.joined(separator: ", ")
        let more = undone.count > 4 ? " and \(undone.count - 4) more" : ""
        return "sweep \(name): \(undone.count) of \(total) tasks not done: \(shown)\(more); rerun the same command once they are free"
    }
}
