import Foundation

/// A value shared by the threads of a parallel loop, read and changed under a lock (counts of work
/// done, the first reading of a progress report).
public final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    /// The current value.
    public var value: Value { lock.withLock { stored } }

    /// Changes the value under the lock and returns what `body` returns.
    @discardableResult
    public func withValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&stored) }
    }
}
