import CriticalityCore
import Foundation
import MeanField
import VectorBuiltins

/// With `untied`, every site draws its own W and b in every layer (a locally connected network,
/// the control of docs/models.md, "Untied control": all noise is local), at the cost of C² K^d Gaussians per site.
///
/// One realisation of a finite-channel CNN (docs/models.md, "Convolutional network (CNN)"), propagating signal a and the difference
/// Δ = h_b − h_a through the same weights: h_a ← W ∗ φ(h_a) + b, Δ ← W ∗ [φ(h_a + Δ) − φ(h_a)],
/// with Δφ from the pair kernels (no cancellation), so ρ_x stays accurate when the signals nearly
/// agree. Fresh W ~ N(0, σ_w²/(C K^d)) and b ~ N(0, σ_b²) in every layer, shared by all sites, from
/// the realisation's Gaussian stream; inputs from a second stream of the same key.
///
/// Per layer: ρ = mean over sites of ρ_x, N = the active sites (ρ_x > ε, and their channel vectors
/// differ in some bit: fl(h_a + Δ) ≠ h_a), and for spreading runs Σ |x − x₀|² over them. At inactive sites the two
/// signals are identical in double precision, so Δ is set to exactly zero there (ρ_x = 0): the
/// absorbing state is absorbing, and a run whose difference has died everywhere stays dead
/// (W ∗ 0 = 0), so its remaining layers are filled in without work. ρ_x uses |h_a|²|Δ|² − (h_a·Δ)²
/// for the perpendicular part, accurate unless Δ is nearly parallel to h_a.
///
/// - Complexity: O(L P C² K^d) time, O(P C) memory.
public func runCNNRealisation(_ config: CNNConfiguration, key: StreamKey, recordField: Bool) -> LatticeTrace {
    switch config.activation {
    case .tanh: runCNN(config, key, recordField, TanhKernel())
    case .linear: runCNN(config, key, recordField, LinearKernel())
    case .relu: runCNN(config, key, recordField, ReLUKernel())
    default: runCNN(config, key, recordField, ScalarKernel(config.activation))
    }
}

func runCNN<K: PairActivationKernel>(_ config: CNNConfiguration, _ key: StreamKey, _ recordField: Bool, _ kernel: K) -> LatticeTrace {
    let work = CNNWorkspace(config)
    work.prepareInputs(key: key.derived(1))
    var weightStream = GaussianStream(key: key)
    var trace = LatticeTrace(depth: config.depth)
    var field = recordField ? LatticeField(latticeSites: config.size, depth: config.depth) : nil
    let spreading = config.start == .spreading
    for l in 1...config.depth {
        if config.untied { work.convolveUntied(&weightStream) } else { work.convolveShared(&weightStream) }
        let activate = l < config.depth
        work.sumAndActivate(kernel, activate: activate)
        let layer = work.observe(layer: l, clearInactive: activate, field: &field)
        trace.record(layer: l, rho: layer.rhoSum / Double(config.sites), active: layer.active,
                     spread: spreading ? layer.spread : .nan)
        if layer.differing == 0 {
            // Δ is zero everywhere and stays zero (W ∗ 0 = 0): the absorbing state.
            trace.fillAbsorbed(after: l, spreading: spreading)
            break
        }
    }
    trace.field = field
    return trace
}
