import Foundation

/// Progress lines on stderr for a long command: none in its first `delay` seconds (a short run
/// stays quiet), then at most one every `interval` seconds; safe to call from any thread.
final class ThrottledProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let delay: Double, interval: Double
    private var last = -Double.infinity

    init(delay: Double = 3, interval: Double = 5) {
        start = clock.now
        self.delay = delay
        self.interval = interval
    }

    /// Seconds since the start.
    var elapsed: Double { (clock.now - start) / .seconds(1) }

    /// Prints `line(elapsed)` when a line is due.
    func report(_ line: (Double) -> String) {
        let t = elapsed
        let due: Bool = lock.withLock {
            guard t >= delay, t - last >= interval else { return false }
            last = t
            return true
        }
        if due { noteOnStderr(line(t)) }
    }
}
