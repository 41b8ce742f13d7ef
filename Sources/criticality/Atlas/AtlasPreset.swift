import ArgumentParser
import MeanField

/// The atlas's presets: which rows, and at which size, depth and statistics (docs/atlas.md).
enum AtlasPreset: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// About a minute: small runs of DP 1+1, an untied CNN and the MLPs, to check that the pipeline
    /// works (an installation, a cluster set-up); its numbers are too imprecise to read.
    case smoke
    /// About 5 minutes on 2 cores: the 1D CNN at C = 8 shared and untied, C = 4 and 16 shared,
    /// a 2D CNN, the MLP and both DP lattices, small lattices.
    case quick
    /// About an hour on 2 cores: C = 4 … 32 in 1D, shared and untied; 2D at C = 8; erf,
    /// hard-tanh and ReLU beside tanh; the MLPs; DP 1+1 and 2+1 with θ and z.
    case `default`
    /// For a cluster (about 1000 core-hours): every channel count in 1D and 2D, shared and untied,
    /// for tanh, erf, hard-tanh and ReLU, at larger lattices and statistics.
    case cluster

    var rows: [AtlasRow] {
        switch self {
        case .smoke:
            return [
                .dp(dim: 1, size: 2048, depth: 1000, samples: 64, spreading: 1000),
                .mlp(.tanh, width: 4096, depth: 256, samples: 64, lyapunov: 4),
                .mlp(.relu, width: 512, depth: 64, samples: 32, lyapunov: 4),
                .cnn(.tanh, dim: 1, channels: 4, untied: true, size: 32, depth: 200, samples: 16, lyapunov: 4),
            ]
        case .quick:
            return [
                .dp(dim: 1, size: 4096, depth: 2000, samples: 64, spreading: 4000),
                .dp(dim: 2, size: 128, depth: 1000, samples: 32, spreading: 2000),
                .mlp(.tanh, width: 4096, depth: 512, samples: 128, lyapunov: 16),
                .mlp(.relu, width: 4096, depth: 512, samples: 128, lyapunov: 16),
                .cnn(.tanh, dim: 1, channels: 4, untied: false, size: 128, depth: 1000, samples: 256, lyapunov: 16),
                .cnn(.tanh, dim: 1, channels: 8, untied: false, size: 128, depth: 1000, samples: 256, lyapunov: 16),
                .cnn(.tanh, dim: 1, channels: 8, untied: true, size: 128, depth: 1000, samples: 64, lyapunov: 16),
                .cnn(.tanh, dim: 1, channels: 16, untied: false, size: 128, depth: 1000, samples: 128, lyapunov: 16),
                .cnn(.tanh, dim: 2, channels: 8, untied: false, size: 24, depth: 500, samples: 64, lyapunov: 16),
            ]
        case .default:
            var rows: [AtlasRow] = [
                .dp(dim: 1, size: 16384, depth: 4000, samples: 64, spreading: 10000),
                .dp(dim: 2, size: 256, depth: 1000, samples: 32, spreading: 4000),
            ]
            // l ≤ n/8: finite-width effects reach further in (docs/results.md, the MLP rows).
            for a in [Activation.tanh, .erf, .hardTanh, .relu] { rows.append(.mlp(a, width: 4096, depth: 512, samples: 128, lyapunov: 16)) }
            for c in [4, 8, 16, 32] {
                rows.append(.cnn(.tanh, dim: 1, channels: c, untied: false, size: 256, depth: 1000, samples: c >= 32 ? 128 : 256,
                                 lyapunov: 16))
                rows.append(.cnn(.tanh, dim: 1, channels: c, untied: true, size: c >= 32 ? 128 : 256, depth: 1000,
                                 samples: c >= 16 ? 16 : 64, lyapunov: 16))
            }
            for a in [Activation.erf, .hardTanh, .relu] {
                rows.append(.cnn(a, dim: 1, channels: 8, untied: false, size: 256, depth: 1000, samples: 256, lyapunov: 16))
                rows.append(.cnn(a, dim: 1, channels: 8, untied: true, size: 256, depth: 1000, samples: 64, lyapunov: 16))
            }
            rows.append(.cnn(.tanh, dim: 2, channels: 8, untied: false, size: 32, depth: 500, samples: 128, lyapunov: 16))
            rows.append(.cnn(.tanh, dim: 2, channels: 8, untied: true, size: 32, depth: 500, samples: 16, lyapunov: 16))
            return rows
        case .cluster:
            var rows: [AtlasRow] = [
                .dp(dim: 1, size: 65536, depth: 16000, samples: 256, spreading: 100_000),
                .dp(dim: 2, size: 1024, depth: 4000, samples: 64, spreading: 20000),
            ]
            for a in [Activation.tanh, .erf, .hardTanh, .relu] { rows.append(.mlp(a, width: 16384, depth: 2048, samples: 512, lyapunov: 64)) }
            for a in [Activation.tanh, .erf, .hardTanh, .relu] {
                for c in [4, 8, 16, 32] {
                    for untied in [false, true] {
                        rows.append(.cnn(a, dim: 1, channels: c, untied: untied, size: 1024, depth: 4000, samples: untied ? 128 : 1024,
                                         lyapunov: 64, spreading: untied ? 256 : 4096))
                        rows.append(.cnn(a, dim: 2, channels: c, untied: untied, size: 64, depth: 1000, samples: untied ? 64 : 512,
                                         lyapunov: 32, spreading: untied ? 128 : 2048))
                    }
                }
            }
            return rows
        }
    }
}
