import Dispatch
import Foundation

/// The number of worker threads to use when the caller does not say: the active processor count.
public var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

/// Runs `body(i)` for every i in 0..<count on up to `threads` threads.
///
/// Worker w runs the indices w, w + T, w + 2T, … (T workers), which balances loops whose cost
/// drifts with the index; each index runs exactly once. Results must be written
/// to index-owned storage (e.g. through ``UnsafeMutableBufferPointer``) so that the outcome does not
/// depend on the thread count or the schedule.
public func parallelFor(_ count: Int, threads: Int = defaultThreadCount, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(threads, count))
    if workers == 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        for i in stride(from: w, to: count, by: workers) { body(i) }
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
