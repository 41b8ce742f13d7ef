import Foundation

/// How much memory a run may plan to use: 80% of the machine's physical memory. Runs that would
/// need more are refused before they start, with one line that says how much they would need
/// (instead of an allocation failure minutes later, or a machine swapping to a halt).
enum MemoryBudget {
    static var available: Double { 0.8 * Double(ProcessInfo.processInfo.physicalMemory) }

    /// Throws unless `bytes` (an estimate, computed in floating point so that absurd sizes cannot
    /// overflow) fits the budget; `what` names the run ("this run", "the grid").
    static func require(_ bytes: Double, for what: String) throws {
        guard bytes.isFinite, bytes <= available else {
            throw ModelError(description: "\(what) would need about \(format(bytes)) of memory; this machine allows \(format(available)) (80% of its \(format(Double(ProcessInfo.processInfo.physicalMemory))))")
        }
    }

    /// A byte count in the largest unit that keeps it above 1.
    static func format(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "more than can be counted" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == units.count - 1 && value >= 1024 ? String(format: "%.3g EiB", value) : String(format: "%.3g %@", value, units[unit])
    }
}
