import Foundation

/// The outcome of trying to claim a task of a store for this process.
public enum TaskClaim: Equatable, Sendable {
    /// The lock is this process's: run the task, then ``CampaignStore/release(_:)`` it.
    case claimed
    /// A live process holds the lock. `sameHost` tells whether it runs on this host (and so can be
    /// waited for: its liveness can be checked); `holder` names it ("host pid").
    case held(holder: String, sameHost: Bool)
    /// The lock could not be created, for a reason other than another holder (an unwritable tasks
    /// folder, a full disk, …).
    case failed(String)
}

extension CampaignStore {
    /// Claims a task for this process: `tasks/ID.lock`, holding "host pid". The lock is written
    /// complete into a private file first and then linked to its name, which fails if the name
    /// exists: no other process ever sees a lock without its contents.
    ///
    /// An existing lock is judged, not trusted blindly:
    /// - one of this host whose process is gone, or whose process id now belongs to a program other
    ///   than this one (the id was reused), is stale and taken over (a run killed with SIGKILL);
    /// - one whose contents are not "host pid" cannot be anybody's claim: it is taken over, and
    ///   `note` is told so;
    /// - one held by a live `criticality` process of this host, or by another host, is respected.
    ///
    /// Two runs that find the same stale lock at the same moment may both take it over; both then
    /// compute the same task and write the same bytes (the streams depend on the task only).
    public func claim(_ task: SweepTask, note: (String) -> Void = { _ in }) -> TaskClaim {
        let lock = lockFile(task.id)
        let host = ProcessInfo.processInfo.hostName
        let me = "\(host) \(getpid())\n"
        let draft = lock + ".\(getpid()).claim"
        defer { unlink(draft) }
        do {
            try Data(me.utf8).write(to: URL(fileURLWithPath: draft))
        } catch {
            return .failed("cannot write a lock in \(tasksFolder): \(String(cString: strerror(errno)))")
        }
        for _ in 0..<3 {
            if link(draft, lock) == 0 { return .claimed }
            let reason = errno
            guard reason == EEXIST else {
                return .failed("cannot create \(lock): \(String(cString: strerror(reason)))")
            }
            guard let data = FileManager.default.contents(atPath: lock) else { continue }  // released meanwhile
            guard let named = Self.lockHolder(data), named.pid > 0 else {
                note("task \(task.id): the lock \(lock) does not name a host and process (\(data.count) bytes); taking it over")
                unlink(lock)
                continue
            }
            let holder = "\(named.host) \(named.pid)"
            guard named.host == host else { return .held(holder: holder, sameHost: false) }
            if Self.isLiveRun(named.pid) { return .held(holder: holder, sameHost: true) }
            unlink(lock)  // stale: its process is gone, or the id belongs to another program now
        }
        return .failed("cannot claim \(lock): it keeps changing")
    }

    /// Gives a claimed task back.
    public func release(_ task: SweepTask) {
        unlink(lockFile(task.id))
    }

    /// Whether the lock of `task` is still held by a live run of this host (or by another host),
    /// without claiming it.
    public func isHeldElsewhere(_ task: SweepTask) -> Bool {
        guard let data = FileManager.default.contents(atPath: lockFile(task.id)) else { return false }
        guard let named = Self.lockHolder(data), named.pid > 0 else { return false }
        guard named.host == ProcessInfo.processInfo.hostName else { return true }
        return Self.isLiveRun(named.pid)
    }

    /// The host and process id a lock's contents name ("host pid"), or `nil` when they name none.
    static func lockHolder(_ data: Data) -> (host: String, pid: Int32)? {
        let parts = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count == 2, let pid = Int32(parts[1]) else { return nil }
        return (String(parts[0]), pid)
    }

    /// Removes what interrupted runs of this host left in the tasks folder: temporary files of
    /// unfinished writes (`.ID.json.PID.tmp`), lock drafts (`ID.lock.PID.claim`) and locks
    /// (`ID.lock`) whose process is gone. Files of live runs are kept. Returns how many were removed.
    @discardableResult
    public func removeLeftovers() -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tasksFolder) else { return 0 }
        let host = ProcessInfo.processInfo.hostName
        var removed = 0
        func pidField(_ name: String, suffix: String) -> Int32? {
            guard name.hasSuffix(suffix) else { return nil }
            return name.dropLast(suffix.count).split(separator: ".").last.flatMap { Int32($0) }
        }
        for name in names {
            let path = (tasksFolder as NSString).appendingPathComponent(name)
            var stale = false
            if let pid = pidField(name, suffix: ".tmp") ?? pidField(name, suffix: ".claim") {
                stale = !Self.isLiveRun(pid)
            } else if name.hasSuffix(".lock"), let data = FileManager.default.contents(atPath: path) {
                if let named = Self.lockHolder(data), named.host == host { stale = !Self.isLiveRun(named.pid) }
            }
            if stale, unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    /// Whether process `pid` of this host is alive and runs the same program as this process
    /// (compared through /proc where it exists; elsewhere liveness alone decides).
    static func isLiveRun(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        func command(_ p: String) -> String? {
            guard let data = FileManager.default.contents(atPath: "/proc/\(p)/comm") else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let mine = command("self") else { return true }
        return command(String(pid)) == mine
    }
}
