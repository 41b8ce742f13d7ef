#if MPI
import Campaign
import CMPI
import CriticalityCore
import Foundation

/// `sweep run --mpi`: dynamic task distribution over MPI ranks. Rank 0 hands out task indices to
/// whichever rank asks next (tasks differ widely in cost, so a static split would leave ranks idle)
/// and collects the counts; the other ranks compute, each writing its results into the shared store
/// exactly as a threaded run does (claims included), so the store and its export do not depend on
/// the number of ranks. With a single rank the tasks run locally.
func runSweepOverMPI(spec: SweepSpecification, tasks: [SweepTask], campaign: CampaignStore, threads: Int) throws {
    MPI_Init(nil, nil)
    defer { MPI_Finalize() }
    var rank: Int32 = 0, size: Int32 = 1
    MPI_Comm_rank(cmpi_comm_world(), &rank)
    MPI_Comm_size(cmpi_comm_world(), &size)
    let clock = ContinuousClock()
    let start = clock.now
    let requestTag: Int32 = 1, taskTag: Int32 = 2
    if size == 1 {
        try runSweep(spec, tasks: tasks, campaign: campaign, threads: threads, quiet: true)
        return
    }
    if rank == 0 {
        // Requests carry the sender's outcome counts so far: computed, recomputed, stored, not done.
        var next = 0, active = Int(size) - 1
        var message = [Int64](repeating: 0, count: 5)
        var totals = [Int64](repeating: 0, count: 4)
        while active > 0 {
            var status = MPI_Status()
            MPI_Recv(&message, 5, cmpi_long_long(), cmpi_any_source(), requestTag, cmpi_comm_world(), &status)
            let source = status.MPI_SOURCE
            var reply: Int64 = next < tasks.count ? Int64(next) : -1
            if reply >= 0 { next += 1 } else {
                active -= 1
                for k in 0..<4 { totals[k] += message[k + 1] }
            }
            MPI_Send(&reply, 1, cmpi_long_long(), source, taskTag, cmpi_comm_world())
        }
        var tally = SweepTally()
        tally.computed = Int(totals[0]); tally.recomputed = Int(totals[1]); tally.skipped = Int(totals[2])
        noteOnStderr(tally.summary(name: spec.name, of: tasks.count, seconds: (clock.now - start) / .seconds(1),
                                   extra: " (MPI, \(size) ranks)"))
        // Every worker has finished: whatever is not stored now was held by another run or could not be claimed.
        let undone = tasks.filter { if case .done = campaign.state(of: $0) { false } else { true } }
        if !undone.isEmpty {
            throw SweepIncomplete(name: spec.name, total: tasks.count, undone: undone.map {
                ($0.id, campaign.isHeldElsewhere($0) ? "held by another run" : "not stored")
            })
        }
    } else {
        var tally = SweepTally()
        var notDone = 0
        while true {
            var message: [Int64] = [Int64(rank), Int64(tally.computed), Int64(tally.recomputed), Int64(tally.skipped), Int64(notDone)]
            MPI_Send(&message, 5, cmpi_long_long(), 0, requestTag, cmpi_comm_world())
            var index: Int64 = -1
            MPI_Recv(&index, 1, cmpi_long_long(), 0, taskTag, cmpi_comm_world(), cmpi_status_ignore())
            guard index >= 0 else { break }
            let outcome = try runStoredTask(tasks[Int(index)], model: spec.model, campaign: campaign, threads: threads)
            tally.add(outcome)
            if !outcome.isDone { notDone += 1 }
        }
    }
}
#endif
