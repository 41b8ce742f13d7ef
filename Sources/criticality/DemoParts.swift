import CriticalityCore
import Foundation

/// The parts of `criticality demo`, run one after the other. Each announces itself on stderr,
/// writes its files as soon as it has finished (the command's output batch is committed after
/// every part, so a later failure does not take the earlier figures with it), and a failure is
/// recorded with the part's name while the parts that do not depend on it go on.
final class DemoParts {
    let total: Int
    private(set) var index = 0
    private(set) var failures: [(part: String, message: String)] = []
    private(set) var timings: [(part: String, seconds: Double)] = []
    private let clock = ContinuousClock()

    init(total: Int) { self.total = total }

    /// Runs one part; returns its value, or nil when it failed (the reason is on stderr and in
    /// ``failures``).
    func run<T>(_ title: String, _ body: () throws -> T) -> T? {
        index += 1
        noteOnStderr("[\(index)/\(total)] \(title) …")
        let start = clock.now
        do {
            let value = try body()
            try OutputBatch.shared.commit()
            let seconds = (clock.now - start) / .seconds(1)
            timings.append((title, seconds))
            noteOnStderr(String(format: "[%d/%d] done in %.1f s", index, total, seconds))
            return value
        } catch {
            OutputBatch.shared.discard()
            let text = oneLine("\(error)")
            failures.append((title, text))
            noteOnStderr("[\(index)/\(total)] FAILED: \(title): \(text)")
            return nil
        }
    }

    /// Counts a part that was not run, with the reason.
    func skip(_ title: String, reason: String) {
        index += 1
        noteOnStderr("[\(index)/\(total)] skipped: \(title) (\(reason))")
    }
}

/// A demo that finished with parts failed (exit status 1): the other parts' files are written.
struct DemoIncomplete: Error, CustomStringConvertible {
    var failures: [(part: String, message: String)]
    var folder: String

    var description: String {
        let names = failures.map { "'\($0.part)' (\($0.message))" }.joined(separator: "; ")
        return "demo: \(failures.count) part\(failures.count == 1 ? "" : "s") failed: \(names); the other parts' files are in \(folder)/ and summary.json lists what failed"
    }
}
