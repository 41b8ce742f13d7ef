import Campaign
import CriticalityCore
import Foundation

/// Runs `tasks` of `spec` into `campaign`, side by side on the cores, with progress on a terminal
/// and a summary line on stderr; tasks already stored are skipped.
///
/// A task claimed by another live run of this host is waited for (that run stores it, or dies and
/// leaves it to this one). The run ends normally only when every task is stored; otherwise it
/// throws ``SweepIncomplete``, naming the tasks and why (another host holds them, their lock
/// cannot be created, …), so that a batch job never exits 0 with work undone.
///
/// - Parameter progressLabel: when given, progress lines (tasks done, ETA) go to stderr prefixed with
///   it at most every `progressInterval` seconds even when stderr is not a terminal and `quiet` is
///   set (the demo's parts use this).
func runSweep(_ spec: SweepSpecification, tasks mine: [SweepTask], campaign: CampaignStore, threads: Int, quiet: Bool,
              summary: Bool = true, progressLabel: String? = nil, progressInterval: Double = 10) throws {
    let clock = ContinuousClock()
    let start = clock.now
    let progress = !quiet && isatty(STDERR_FILENO) != 0
    let schema = try ModelRegistry.model(named: spec.model)
    let costs = mine.map { schema.cost(ModelRegistry.values(of: $0, model: schema)) }
    let totalCost = costs.reduce(0, +)
    // Tasks run side by side on the cores, each with its share of the threads (a sweep with
    // fewer tasks than cores gives each task several); results do not depend on the split.
    let workers = max(1, min(threads, mine.count))
    let perTask = max(1, threads / workers)
    let state = SweepProgress(count: mine.count)
    let model = spec.model
    let elapsed: @Sendable () -> Double = { (clock.now - start) / .seconds(1) }
    let throttle = ThrottledProgress(delay: 0, interval: progressInterval)
    func attempt(_ indices: [Int]) {
        parallelFor(indices.count, threads: max(1, min(workers, indices.count))) { k in
            let i = indices[k], task = mine[i]
            guard state.firstError == nil else { return }
            do {
                let outcome = try runStoredTask(task, model: model, campaign: campaign, threads: perTask)
                let line = state.record(outcome, at: i, cost: costs[i], totalCost: totalCost, elapsed: elapsed())
                if progress, let line { noteOnStderr(line) }
                if !progress, let progressLabel, let line {
                    throttle.report { _ in "\(progressLabel): \(line.replacingOccurrences(of: "sweep: ", with: ""))" }
                }
            } catch {
                state.fail(error)
            }
        }
    }
    attempt(Array(mine.indices))
    // Tasks that a live run of this host holds: wait until it lets go, then take what it left.
    var announced = false
    while state.firstError == nil {
        let waiting = state.waitingIndices
        guard !waiting.isEmpty else { break }
        if !announced && !quiet {
            noteOnStderr("sweep: waiting for \(waiting.count) task(s) that another run on this host is computing")
            announced = true
        }
        usleep(200_000)
        let released = waiting.filter { !campaign.isHeldElsewhere(mine[$0]) }
        if !released.isEmpty { attempt(released) }
    }
    if let error = state.firstError { throw error }
    if summary { noteOnStderr(state.tally.summary(name: spec.name, of: mine.count, seconds: elapsed())) }
    let undone = state.undone.map { (mine[$0.index], $0.reason) }
    if !undone.isEmpty { throw SweepIncomplete(name: spec.name, total: mine.count, undone: undone.map { ($0.0.id, $0.1) }) }
}

/// The shared counts of a threaded sweep run, under a lock.
final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var _tally = SweepTally()
    private var doneCost = 0.0, computedCost = 0.0
    private var error: Error?
    /// The last outcome of each task (`nil`: not tried yet).
    private var outcomes: [TaskOutcome?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    var tally: SweepTally {
        lock.lock()
        defer { lock.unlock() }
        return _tally
    }

    /// The first error a task threw, if any.
    var firstError: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    /// The tasks held by a live run of this host, which may still be waited for.
    var waitingIndices: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return outcomes.indices.filter { if case .elsewhere(_, true)? = outcomes[$0] { true } else { false } }
    }

    /// The tasks that ended neither stored nor computed, with the reason.
    var undone: [(index: Int, reason: String)] {
        lock.lock()
        defer { lock.unlock() }
        return outcomes.indices.compactMap { i in
            switch outcomes[i] {
            case .elsewhere(let holder, let sameHost)?:
                (i, sameHost ? "held by \(holder)" : "held by \(holder) on another host")
            case .failed(let reason)?: (i, reason)
            case nil: (i, "not run")
            default: nil
            }
        }
    }

    /// Counts an outcome of task `index`; returns a progress line for computed tasks.
    func record(_ outcome: TaskOutcome, at index: Int, cost: Double, totalCost: Double, elapsed: Double) -> String? {
        lock.lock()
        defer { lock.unlock() }
        outcomes[index] = outcome
        _tally.add(outcome)
        if outcome.isDone { doneCost += cost }
        guard outcome == .computed || outcome == .recomputed else { return nil }
        computedCost += cost
        let rate = Double(_tally.computed) / max(elapsed, 1e-9)
        let eta = computedCost > 0 ? elapsed * (totalCost - doneCost) / computedCost : .nan
        return String(format: "sweep: %d/%d tasks, %.2f tasks/s, ETA %.0f s", _tally.done, outcomes.count, rate, eta)
    }

    func fail(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }
}

/// What happened to one task in a run.
enum TaskOutcome: Equatable {
    case stored, computed, recomputed
    /// Claimed by another live run (`sameHost`: of this host, so it can be waited for).
    case elsewhere(holder: String, sameHost: Bool)
    /// Its lock could not be created.
    case failed(String)

    var isDone: Bool { self == .stored || self == .computed || self == .recomputed }
}

/// Counts of task outcomes, and the run's summary line. A task first found held elsewhere and
/// later stored counts as stored.
struct SweepTally {
    var computed = 0, recomputed = 0, skipped = 0

    var done: Int { computed + skipped }

    mutating func add(_ outcome: TaskOutcome) {
        switch outcome {
        case .stored: skipped += 1
        case .computed: computed += 1
        case .recomputed: computed += 1; recomputed += 1
        case .elsewhere, .failed: break
        }
    }

    func summary(name: String, of count: Int, seconds: Double, extra: String = "") -> String {
        "sweep \(name): \(done)/\(count) tasks done (\(computed) computed, \(recomputed) of them recomputed, \(skipped) already stored) in \(String(format: "%.2f", seconds)) s\(extra)"
    }
}
