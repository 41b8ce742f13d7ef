import Campaign
import CriticalityCore
import Foundation

/// Runs `tasks` of `spec` into `campaign`, side by side on the cores, with progress on a terminal
/// and a summary line on stderr; tasks already stored are skipped.
func runSweep(_ spec: SweepSpecification, tasks mine: [SweepTask], campaign: CampaignStore, threads: Int, quiet: Bool,
              summary: Bool = true) throws {
    let clock = ContinuousClock()
    let start = clock.now
    let progress = !quiet && isatty(STDERR_FILENO) != 0
    let totalCost = mine.reduce(0) { $0 + $1.cost(model: spec.model) }
    // Tasks run side by side on the cores, each with its share of the threads (a sweep with
    // fewer tasks than cores gives each task several); results do not depend on the split.
    let workers = max(1, min(threads, mine.count))
    let perTask = max(1, threads / workers)
    let state = SweepProgress()
    let model = spec.model
    parallelFor(mine.count, threads: workers) { i in
        let task = mine[i]
        guard state.firstError == nil else { return }
        do {
            let outcome = try runStoredTask(task, model: model, campaign: campaign, threads: perTask)
            let line = state.record(outcome, cost: task.cost(model: model), total: mine.count, totalCost: totalCost,
                                    elapsed: (clock.now - start) / .seconds(1))
            if progress, let line { noteOnStderr(line) }
        } catch {
            state.fail(error)
        }
    }
    if let error = state.firstError { throw error }
    if summary { noteOnStderr(state.tally.summary(name: spec.name, of: mine.count, seconds: (clock.now - start) / .seconds(1))) }
}

/// The shared counts of a threaded sweep run, under a lock.
final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var tally = SweepTally()
    private var doneCost = 0.0, computedCost = 0.0
    private var error: Error?

    /// The first error a task threw, if any.
    var firstError: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    /// Counts an outcome; returns a progress line for computed tasks.
    func record(_ outcome: TaskOutcome, cost: Double, total: Int, totalCost: Double, elapsed: Double) -> String? {
        lock.lock()
        defer { lock.unlock() }
        tally.add(outcome)
        if outcome != .elsewhere { doneCost += cost }
        guard outcome == .computed || outcome == .recomputed else { return nil }
        computedCost += cost
        let rate = Double(tally.computed) / max(elapsed, 1e-9)
        let eta = computedCost > 0 ? elapsed * (totalCost - doneCost) / computedCost : .nan
        return String(format: "sweep: %d/%d tasks, %.2f tasks/s, ETA %.0f s", tally.done, total, rate, eta)
    }

    func fail(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }
}

/// What happened to one task in a run.
enum TaskOutcome: Equatable {
    case stored, computed, recomputed, elsewhere
}

/// Counts of task outcomes, and the run's summary line.
struct SweepTally {
    var computed = 0, recomputed = 0, skipped = 0, elsewhere = 0

    var done: Int { computed + skipped }

    mutating func add(_ outcome: TaskOutcome) {
        switch outcome {
        case .stored: skipped += 1
        case .computed: computed += 1
        case .recomputed: computed += 1; recomputed += 1
        case .elsewhere: elsewhere += 1
        }
    }

    func summary(name: String, of count: Int, seconds: Double, extra: String = "") -> String {
        let others = elsewhere > 0 ? ", \(elsewhere) being run by another process" : ""
        return "sweep \(name): \(done)/\(count) tasks done (\(computed) computed, \(recomputed) of them recomputed, \(skipped) already stored\(others)) in \(String(format: "%.2f", seconds)) s\(extra)"
    }
}
