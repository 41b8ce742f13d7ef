/// A universality class of absorbing phase transitions, by its critical exponents (docs/analysis.md, "Universality classes"):
/// δ = β/ν∥ (decay of ρ and of the survival probability), θ (initial slip N(t) ~ t^θ),
/// z = ν∥/ν⊥ (spreading R²(t) ~ t^{2/z}), β, ν⊥, ν∥.
public struct UniversalityClass: Sendable, Equatable {
    /// A short identifier (`dp-1+1`) and a display name (`DP 1+1`).
    public var id: String
    public var name: String
    /// Exponent name (`delta`, `theta`, `z`, `beta`, `nu_perp`, `nu_par`) → value.
    public var exponents: [String: Double]

    public init(id: String, name: String, exponents: [String: Double]) {
        self.id = id
        self.name = name
        self.exponents = exponents
    }

    public static let dp1 = UniversalityClass(id: "dp-1+1", name: "DP 1+1", exponents: [
        "beta": 0.276486, "nu_perp": 1.096854, "nu_par": 1.733847, "delta": 0.159464, "z": 1.580745, "theta": 0.313686])
    public static let dp2 = UniversalityClass(id: "dp-2+1", name: "DP 2+1", exponents: [
        "beta": 0.5834, "nu_perp": 0.7333, "nu_par": 1.2950, "delta": 0.4505, "z": 1.7660, "theta": 0.2295])
    public static let dp3 = UniversalityClass(id: "dp-3+1", name: "DP 3+1", exponents: [
        "beta": 0.813, "nu_perp": 0.584, "nu_par": 1.110, "delta": 0.732, "z": 1.901, "theta": 0.114])
    public static let meanField = UniversalityClass(id: "mean-field", name: "mean field", exponents: [
        "beta": 1, "nu_perp": 0.5, "nu_par": 1, "delta": 1, "z": 2, "theta": 0])

    /// Mean field with a kinked activation (ReLU, hard-tanh): φ″ has Dirac deltas, so the leading
    /// nonlinearity of the ρ-map is ρ^{3/2}, ρ′ = χ₁ρ − κ₃/₂ ρ^{3/2} (docs/mean-field.md, "Kinked
    /// activations"). At χ₁ = 1, ρ ≈ 4/(κ₃/₂ l)² (δ = 2); above it ρ* = ((χ₁ − 1)/κ₃/₂)² (β = 2);
    /// the relaxation time diverges as 1/|χ₁ − 1| on both sides (ν∥ = 1). An MLP has no space, so
    /// ν⊥, z and θ are not defined: the class is judged on δ (and β, ν∥ where measured).
    public static let meanFieldKinked = UniversalityClass(id: "mean-field-kinked", name: "kinked mean field (δ = 2)", exponents: [
        "beta": 2, "nu_par": 1, "delta": 2])

    /// The classes a verdict chooses from unless told otherwise.
    public static let known: [UniversalityClass] = [.dp1, .dp2, .dp3, .meanField, .meanFieldKinked]
}

/// A measured exponent with the error a verdict uses (statistical and systematic combined).
public struct MeasuredExponent: Sendable, Equatable {
    public var value: Double
    public var error: Double
    public init(value: Double, error: Double) {
        self.value = value
        self.error = error
    }
}
