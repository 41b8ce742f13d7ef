import ArgumentParser
import Campaign
import CriticalityCore
import Foundation

/// `criticality sweep …`: campaigns of many runs, stored so that no finished work is lost.
struct SweepGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Campaigns: plan, run (resumably), inspect and export sweeps described in TOML.",
        discussion: """
            A specification names the model (mlp, cnn or dp), fixed parameters and grids (lists or \
            { from = X, to = Y, steps = N }) over any parameter of that model's simulate command \
            (snake_case: sigma_w, sigma_b, width, channels, size, kernel, dim, p, protocol, q0, c0, epsilon, \
            cutoff, p_noise, untied (true or false), method, activation), with depth, samples and seed; sigma_w = "critical" takes \
            the mean-field value.
            """,
        subcommands: [SweepPlanCommand.self, SweepRunCommand.self, SweepStatusCommand.self, SweepExportCommand.self]
    )
}

