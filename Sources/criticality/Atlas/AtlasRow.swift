import CriticalityCore
import Foundation
import MeanField

/// One row of the universality atlas: a network (or the DP lattice) and how precisely it is
/// measured (docs/atlas.md).
struct AtlasRow: Sendable {
    enum Kind: String, Sendable { case mlp, cnn, dp }

    var kind: Kind
    /// The activation (nil for the DP lattice).
    var activation: Activation?
    /// Spatial dimension: 0 for the MLP, 1 or 2 for CNNs and DP.
    var dim: Int
    /// Channels C (CNNs only).
    var channels: Int? = nil
    var untied = false
    /// Width n (MLP) or linear lattice size S.
    var size: Int
    var depth: Int
    /// Realisations per control value of the critical-point search.
    var samples: Int
    var steps = 7
    var rounds = 3
    /// Realisations for the replica Lyapunov exponent at σ_w,c (0: not measured).
    var lyapunovSamples = 0
    /// Realisations of a spreading run at the critical point, for θ and z (0: not run).
    var spreadingSamples = 0
    var sigmaB = 0.3
    var seed: UInt64 = 1

    static func mlp(_ activation: Activation, width: Int, depth: Int, samples: Int, lyapunov: Int) -> AtlasRow {
        AtlasRow(kind: .mlp, activation: activation, dim: 0, size: width, depth: depth, samples: samples, lyapunovSamples: lyapunov)
    }

    static func cnn(_ activation: Activation, dim: Int, channels: Int, untied: Bool, size: Int, depth: Int, samples: Int,
                    lyapunov: Int, spreading: Int = 0) -> AtlasRow {
        AtlasRow(kind: .cnn, activation: activation, dim: dim, channels: channels, untied: untied, size: size, depth: depth,
                 samples: samples, lyapunovSamples: lyapunov, spreadingSamples: spreading)
    }

    static func dp(dim: Int, size: Int, depth: Int, samples: Int, spreading: Int) -> AtlasRow {
        AtlasRow(kind: .dp, activation: nil, dim: dim, size: size, depth: depth, samples: samples, spreadingSamples: spreading)
    }

    /// A name for files and `--rows`: `mlp-tanh`, `cnn-1d-shared-c8-tanh`, `dp-1+1`.
    var id: String {
        switch kind {
        case .mlp: "mlp-\(activation?.rawValue ?? "")"
        case .cnn: "cnn-\(dim)d-\(untied ? "untied" : "shared")-c\(channels ?? 0)-\(activation?.rawValue ?? "")"
        case .dp: "dp-\(dim)+1"
        }
    }

    /// The row as a reader names it: "CNN 1D, shared, C = 8, tanh".
    var label: String {
        switch kind {
        case .mlp: "MLP, \(activation?.rawValue ?? "")"
        case .cnn: "CNN \(dim)D, \(untied ? "untied" : "shared"), C = \(channels ?? 0), \(activation?.rawValue ?? "")"
        case .dp: "DP \(dim)+1 (calibration)"
        }
    }

    /// Every setting that changes the row's numbers, so that a stored row is reused only for the same settings.
    var settings: String {
        var parts = ["kind=\(kind.rawValue)", "dim=\(dim)", "size=\(size)", "depth=\(depth)", "samples=\(samples)",
                     "steps=\(steps)", "rounds=\(rounds)", "lyapunov=\(lyapunovSamples)", "spreading=\(spreadingSamples)",
                     "seed=\(seed)"]
        if let activation { parts += ["activation=\(activation.rawValue)", "sigma_b=\(formatNumber(sigmaB))"] }
        if let channels { parts += ["channels=\(channels)", "untied=\(untied)"] }
        return parts.joined(separator: ";")
    }

    /// The critical-point search, or why the row has no transition in σ_w (the mean-field χ₁ never
    /// reaches 1 at finite q*, as for ReLU with σ_b > 0).
    func search() -> Result<CriticalSearch, Error> {
        Result {
            switch kind {
            case .mlp:
                try CriticalSearch.mlp(activation: activation ?? .tanh, sigmaB: sigmaB, width: size, depth: depth, samples: samples, seed: seed)
            case .cnn:
                try CriticalSearch.cnn(activation: activation ?? .tanh, sigmaB: sigmaB, dim: dim, size: size, channels: channels ?? 8,
                                       kernel: 3, protocol: "homogeneous", depth: depth, samples: samples, seed: seed, untied: untied)
            case .dp:
                CriticalSearch.dp(dim: dim, size: size, protocol: "homogeneous", depth: depth, samples: samples, seed: seed)
            }
        }
    }

    /// The search's work, for the cost estimate of `--list`: multiply-adds for CNNs, unit-layers for
    /// MLPs (the exact sampler costs O(n) a layer), site updates for DP.
    var work: Double {
        let runs = Double(steps * rounds) * Double(samples) * Double(depth)
        let sites = dim == 2 ? Double(size * size) : Double(size)
        switch kind {
        case .mlp: return runs * Double(size)
        case .cnn: return runs * sites * Double((channels ?? 8) * (channels ?? 8)) * 3 * (dim == 2 ? 3 : 1) * 2
        case .dp: return runs * sites
        }
    }
}
