import Dispatch
import Foundation

/// The number of worker threads to use when the caller does not say: the active processor count.
public var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

/// Runs `body(i)` for every i in 0..<count on up to `threads` threads.
///
/// Workers take the next unclaimed index from a shared counter, so a worker that is slowed down
/// (a busy core, a costly index) simply takes fewer; each index runs exactly once. Results must be
/// written to index-owned storage (e.g. through ``UnsafeMutableBufferPointer``) so that the outcome
/// does not depend on the thread count or the schedule.
public func parallelFor(_ count: Int, threads: Int = defaultThreadCount, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(threads, count))
    if workers == 1 {
        for i in 0..<count { body(i) }
        return
    }
    let counter = IndexCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = counter.next()
            if i >= count { break }
            body(i)
        }
    }
}

/// A counter handed out under a lock (a few tens of nanoseconds a claim; the loops above claim
/// coarse pieces of work).
private final class IndexCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let v = value
        value += 1
        return v
    }
}

/// `(0..<count).map(transform)` evaluated on up to `threads` threads, in index order.
public func parallelMap<T: Sendable>(
    _ count: Int, threads: Int = defaultThreadCount, _ transform: @Sendable (Int) -> T
) -> [T] {
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer { slots.deallocate() }
    nonisolated(unsafe) let shared = slots
    parallelFor(count, threads: threads) { i in shared[i] = transform(i) }
    return slots.map { $0! }
}
