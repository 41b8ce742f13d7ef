/// Why a mean-field quantity does not exist or could not be computed.
public enum MeanFieldError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The length map q ↦ σ_w² E[φ(√q z)²] + σ_b² has no finite attracting fixed point: q^l → ∞.
    case divergentLength(activation: Activation, sigmaW: Double, sigmaB: Double)
    /// χ₁ = 1 has no solution with a finite q* at this σ_b.
    case noCriticalPoint(activation: Activation, sigmaB: Double, reason: String)
    /// A parameter is outside its domain (negative, not finite, …).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// φ jumps (sign): χ₁ = σ_w² E[φ′²] is infinite, so there is no edge of chaos to compute.
    case discontinuous(activation: Activation)

    public var description: String {
        switch self {
        case let .divergentLength(a, w, b):
            "no fixed point: for \(a) with sigma_w = \(w), sigma_b = \(b) the length map diverges (q* = infinity); this network has no mean-field fixed point"
        case let .noCriticalPoint(a, b, reason):
            "no critical point for \(a) at sigma_b = \(b): \(reason)"
        case let .invalidParameter(name, value, requirement):
            "invalid \(name) = \(value): \(requirement)"
        case let .discontinuous(a):
            "\(a) is discontinuous: chi1 = sigma_w^2 E[phi'^2] is infinite, so it has no mean-field edge of chaos and no kernels; the finite simulators and trainer take it (simulate cnn, find-critical cnn with --from and --to)"
        }
    }
}

/// Checks that `value` is finite and ≥ `minimum` (or > when `strict`).
func requireParameter(_ name: String, _ value: Double, minimum: Double = 0, strict: Bool = false) throws {
    let ok = value.isFinite && (strict ? value > minimum : value >= minimum)
    guard ok else {
        throw MeanFieldError.invalidParameter(
            name: name, value: value,
            requirement: "must be a finite number \(strict ? ">" : ">=") \(minimum)")
    }
}
