import CriticalityCore
import Foundation

/// One line naming the processor the benchmarks ran on, for stderr: the ratios and fractions of peak
/// they print depend on it (with 128-bit floating-point units, as on first-generation Zen, every
/// 256-bit FMA takes two issue slots and the SIMD simulators lose more than NumPy's memory-bound
/// passes). Read from /proc/cpuinfo where it exists: the model name, the x86 family and model, and
/// the vector extensions that matter here; elsewhere only the architecture. Then the number of
/// threads the benchmarks use (``defaultThreadCount``, one per active processor).
func machineDescription() -> String {
    var parts: [String] = []
    if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
        var fields: [String: String] = [:]
        // The first processor's block is enough: the lines up to the first blank one.
        for line in info.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            fields[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        if let name = fields["model name"] { parts.append(name) }
        if let family = fields["cpu family"], let model = fields["model"] { parts.append("family \(family) model \(model)") }
        if let flags = fields["flags"]?.split(separator: " ").map(String.init) {
            let vector = ["avx2", "fma", "avx512f"].filter(flags.contains)
            if !vector.isEmpty { parts.append(vector.joined(separator: " ")) }
        }
    }
    if parts.isEmpty {
        #if arch(x86_64)
        parts.append("x86_64")
        #elseif arch(arm64)
        parts.append("arm64")
        #else
        parts.append("other")
        #endif
    }
    return "machine: \(parts.joined(separator: ", ")); \(defaultThreadCount) threads"
}
