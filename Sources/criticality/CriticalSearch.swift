import Campaign
import CriticalityCore
import Foundation
import MeanField
import Scaling

/// What a model contributes to a critical-point search: its fixed sweep parameters, control name and range.
struct CriticalSearch {
    var model: String
    var control: String
    var fixed: [(String, String)]
    var range: ClosedRange<Double>
    var upperLimit: Double
    var observable: Observable
    /// Whether the model can draw every control value from the same streams (lattice models).
    var commonStreams = false

    /// The sweep's TOML: `name`, the model, the fixed parameters (those in `replacing` with the
    /// value given there), common streams when asked, and the control as `controlValue` (a number
    /// or a list).
    func specificationText(name: String, controlValue: String, commonStreams: Bool, replacing: [String: String] = [:]) -> String {
        var text = "name = \"\(name)\"\nmodel = \"\(model)\"\n"
        for (key, value) in fixed { text += "\(key) = \(replacing[key] ?? value)\n" }
        if commonStreams { text += "common_streams = true\n" }
        return text + "\(control) = \(controlValue)\n"
    }

    /// The first scan: `factors` times the mean-field σ_w,c, or for the discontinuous `sign`, which
    /// has none, 0.3 to 1.8 times σ_b (φ is scale-free, so only σ_w/σ_b matters; docs/models.md,
    /// "The discontinuous control").
    static func firstScan(_ activation: Activation, sigmaB: Double, factors: ClosedRange<Double>) throws -> ClosedRange<Double> {
        guard activation.isContinuous else {
            guard sigmaB > 0 else {
                throw InputError.invalid("\(activation) with sigma_b = 0 has no transition in sigma_w: the network is the same at every scale of the weights")
            }
            return 0.3 * sigmaB...1.8 * sigmaB
        }
        let mf = try CriticalLine.sigmaWCritical(activation: activation, sigmaB: sigmaB)
        return factors.lowerBound * mf...factors.upperBound * mf
    }

    /// A finite-width MLP; default scan 0.9 to 1.1 times the mean-field σ_w,c.
    static func mlp(activation: Activation, sigmaB: Double, width: Int, depth: Int, samples: Int, seed: UInt64) throws -> CriticalSearch {
        let range = try firstScan(activation, sigmaB: sigmaB, factors: 0.9...1.1)
        return CriticalSearch(model: "mlp", control: "sigma_w", fixed: [
            ("activation", "\"\(activation.rawValue)\""), ("sigma_b", formatNumber(sigmaB)), ("width", "\(width)"),
            ("depth", "\(depth)"), ("samples", "\(samples)"), ("seed", "\(seed)")],
            range: range, upperLimit: 100, observable: .rho)
    }

    /// A CNN with shared or untied weights; default scan 1 to 1.5 times the mean-field σ_w,c.
    static func cnn(activation: Activation, sigmaB: Double, dim: Int, size: Int, channels: Int, kernel: Int, protocol: String,
                    depth: Int, samples: Int, seed: UInt64, untied: Bool) throws -> CriticalSearch {
        let range = try firstScan(activation, sigmaB: sigmaB, factors: 1...1.5)
        var fixed = [("activation", "\"\(activation.rawValue)\""), ("sigma_b", formatNumber(sigmaB)), ("dim", "\(dim)"),
                     ("size", "\(size)"), ("channels", "\(channels)"), ("kernel", "\(kernel)"), ("protocol", "\"\(`protocol`)\""),
                     ("depth", "\(depth)"), ("samples", "\(samples)"), ("seed", "\(seed)")]
        if untied { fixed.append(("untied", "true")) }
        return CriticalSearch(model: "cnn", control: "sigma_w", fixed: fixed, range: range, upperLimit: 100,
                              observable: `protocol` == "spreading" ? .survival : .rho, commonStreams: true)
    }

    /// Bond directed percolation; default scan 0.62 to 0.67 in 1+1, 0.27 to 0.30 in 2+1.
    static func dp(dim: Int, size: Int, protocol: String, depth: Int, samples: Int, seed: UInt64) -> CriticalSearch {
        CriticalSearch(model: "dp", control: "p", fixed: [
            ("dim", "\(dim)"), ("size", "\(size)"), ("protocol", "\"\(`protocol`)\""), ("depth", "\(depth)"),
            ("samples", "\(samples)"), ("seed", "\(seed)")],
            range: dim == 1 ? 0.62...0.67 : 0.27...0.30, upperLimit: 1, observable: `protocol` == "spreading" ? .survival : .rho,
            commonStreams: true)
    }
}

/// How a search scans: the first range (nil: the model's), values per round, rounds, the folder of
/// its stores, the fitting window, the bootstrap, the streams and the threads.
struct SearchSettings {
    var from: Double?
    var to: Double?
    var steps = 7
    var rounds = 3
    var folder: String
    var window: ClosedRange<Double>? = nil
    var replicates = 200
    var independentStreams = false
    var quiet = false
    var threads: Int
}

/// A search's estimate and the runs behind it.
struct SearchResult {
    var estimate: CriticalPoint
    /// Every run of every round, one curve per control value, in control order.
    var curves: [Curve]
    /// The runs' log_rho_sd curves (lattice models), for the realisation spread at the estimate.
    var spreads: [Curve]
    /// The lattice dimension of the runs (nil: no lattice).
    var dimension: Int?
    /// The round stores, in order.
    var stores: [String]
    var seconds: Double
}

/// Runs the rounds of a search: each round is a campaign store `folder/round-K`, so an
/// interrupted search resumes where it stopped (docs/analysis.md, "Find-critical").
func searchCriticalPoint(_ search: CriticalSearch, settings o: SearchSettings) throws -> SearchResult {
    var lo = o.from ?? search.range.lowerBound, hi = o.to ?? search.range.upperBound
    var all: [Double: Curve] = [:]
    var spreads: [Double: Curve] = [:]
    var estimate: CriticalPoint? = nil
    var dimension: Int? = nil
    var lastError: Error? = nil
    var stores: [String] = []
    // After a round that found the sign change, the next one scans the inside of the bracket
    // between the nearest runs on either side (endpoints already run), so the bracket shrinks by
    // a factor steps + 1 every round (docs/analysis.md, "Find-critical").
    var inside = false
    let clock = ContinuousClock(), begin = clock.now
    for round in 1...o.rounds {
        // A scan moved past one end starts at that end, which has run already: it is not run twice
        // (two runs at one control value would make the analysis of the stores together ambiguous).
        let values = (0..<o.steps).map { k in
            let f = inside ? Double(k + 1) / Double(o.steps + 1) : Double(k) / Double(o.steps - 1)
            let v = lo + (hi - lo) * f
            return Double(String(format: "%.6g", v)) ?? v
        }.filter { all[$0] == nil }
        let text = search.specificationText(name: "find-critical-\(search.model)-round-\(round)",
                                            controlValue: "[\(values.map { formatNumber($0) }.joined(separator: ", "))]",
                                            commonStreams: search.commonStreams && !o.independentStreams)
        let spec = try ModelRegistry.specification(text: text)
        let campaign = ModelRegistry.store((o.folder as NSString).appendingPathComponent("round-\(round)"))
        try campaign.prepare(for: spec, tool: "criticality", version: Criticality.version)
        stores.append(campaign.path)
        if !o.quiet { noteOnStderr("find-critical: round \(round): \(search.control) = \(values.map { formatNumber($0) }.joined(separator: ", "))") }
        try runSweep(spec, tasks: spec.tasks, campaign: campaign, threads: o.threads, quiet: o.quiet, summary: !o.quiet)
        let data = try AnalysisData.load([campaign.path])
        dimension = latticeDimension(data)
        let curves = try data.curves(CurveSelection(value: search.observable.rawValue, control: search.control),
                                     widthLimit: true, blocks: true)
        for c in curves { if let x = c.control { all[x] = c } }
        for c in RealisationSpread.curves(data, columns: CurveSelection(control: search.control)) ?? [] { if let x = c.control { spreads[x] = c } }
        do {
            let cp = try CriticalPoint.locate(all.values.sorted { $0.control! < $1.control! }, window: o.window,
                                              replicates: o.replicates, seed: 1)
            estimate = cp
            let controls = all.keys.sorted()
            lo = controls.last { $0 < cp.control } ?? cp.control - (hi - lo) / 6
            hi = controls.first { $0 > cp.control } ?? cp.control + (hi - lo) / 6
            inside = true
            if !o.quiet { noteOnStderr("find-critical: round \(round): \(search.control)_c = \(formatEstimate(cp.control, cp.error))") }
        } catch let error as ScalingError {
            // Every curve bends the same way: move the scan towards the side they point to.
            guard case .oneSidedScan(_, let active) = error else { throw error }
            lastError = error
            let span = hi - lo
            if active { hi = lo; lo = max(lo - span, 1e-6) } else { lo = hi; hi = min(hi + span, search.upperLimit) }
            inside = false
            if !o.quiet { noteOnStderr("find-critical: round \(round): \(error); next scan \(formatShort(lo))…\(formatShort(hi))") }
        }
    }
    guard let cp = estimate else {
        throw lastError ?? ScalingError.insufficientData("no critical point found")
    }
    return SearchResult(estimate: cp, curves: all.keys.sorted().compactMap { all[$0] },
                        spreads: spreads.keys.sorted().compactMap { spreads[$0] }, dimension: dimension, stores: stores,
                        seconds: (clock.now - begin) / .seconds(1))
}

/// What a 1% critical point would cost when the search did not reach it: the bootstrap error falls
/// as 1/√samples, so the realisations per value (and the time of this search) grow by
/// (error / 1%)².
func costNote(_ cp: CriticalPoint, search: CriticalSearch, seconds: Double) -> String? {
    let relative = cp.error / abs(cp.control)
    guard relative.isFinite, relative > 0.01,
          let samples = search.fixed.first(where: { $0.0 == "samples" }).flatMap({ Double($0.1) }) else { return nil }
    let factor = (relative / 0.01) * (relative / 0.01)
    return "\(search.control)_c is known to \(String(format: "%.1f", 100 * relative))%; the error falls as 1/sqrt(samples), "
        + "so 1% needs about \(formatShort((samples * factor).rounded(.up))) samples per value "
        + "(about \(String(format: "%.1f", seconds * factor / 3600)) hours for the same search on this machine's \(ProcessInfo.processInfo.activeProcessorCount) cores)"
}
