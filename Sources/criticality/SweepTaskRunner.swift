import ArgumentParser
import Campaign
import CriticalityCore
import Foundation

/// Runs one task into the store unless it is stored already or claimed by another run.
func runStoredTask(_ task: SweepTask, model: String, campaign: CampaignStore, threads: Int) throws -> TaskOutcome {
    var corrupt: String?
    switch campaign.state(of: task) {
    case .done: return .stored
    case .corrupt(let reason): corrupt = reason
    case .missing: break
    }
    switch campaign.claim(task, note: { noteOnStderr("sweep: \($0)") }) {
    case .claimed: break
    case .held(let holder, let sameHost): return .elsewhere(holder: holder, sameHost: sameHost)
    case .failed(let reason): return .failed(reason)
    }
    defer { campaign.release(task) }
    // Another run may have finished it between the check and the claim.
    if case .done = campaign.state(of: task) { return .stored }
    if let corrupt { noteOnStderr("sweep: task \(task.id): \(corrupt); recomputing") }
    let (csv, blocks, seconds, seed) = try runSweepTask(task, model: try ModelRegistry.model(named: model), threads: threads)
    try campaign.store(task, seed: seed, csv: csv, blocks: blocks, seconds: seconds, tool: "criticality",
                       version: Criticality.version)
    return corrupt == nil ? .computed : .recomputed
}


/// Runs one task through its model and returns its per-depth table and its blocks table as CSV,
/// the time it took, and its seed.
func runSweepTask(_ task: SweepTask, model: any SimulationModel.Type, threads: Int) throws -> (csv: String, blocks: String, seconds: Double, seed: UInt64) {
    let values = ModelRegistry.values(of: task, model: model)
    try model.validate(values, naming: { $0 })
    let seed = UInt64(max(0, values.integer("seed")))
    let clock = ContinuousClock()
    let begin = clock.now
    let (table, blocks) = try model.runTask(values, seed: seed, task: task.hash, threads: threads)
    return (table.csv(), blocks.csv(), (clock.now - begin) / .seconds(1), seed)
}
