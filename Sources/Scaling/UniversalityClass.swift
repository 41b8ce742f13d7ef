/// A universality class of absorbing phase transitions, by its critical exponents (docs/analysis.md, "Universality classes"):
/// δ = β/ν∥ (decay of ρ and of the survival probability), θ (initial slip N(t) ~ t^θ),
/// z = ν∥/ν⊥ (spreading R²(t) ~ t^{2/z}), β, ν⊥, ν∥, and ψ (growth of the spread of ln ρ over
/// realisations, sd(ln ρ) ~ t^ψ, for classes whose realisations do not self-average).
public struct UniversalityClass: Sendable, Equatable {
    /// Whether the realisations of a large system self-average (a clean class: the spread of ln ρ
    /// shrinks with the system) or a noise shared by the whole system keeps them apart (temporal
    /// disorder: the distribution of ln ρ broadens without bound; docs/analysis.md, "Typical decay
    /// and self-averaging").
    public enum Noise: String, Sendable { case clean, temporal }

    /// How ⟨ρ⟩ decays at the critical point: as a power of l (judged by the exponents), or
    /// logarithmically, 1/⟨ρ⟩ = a + b ln l (judged by ``LogarithmicDecay``, since no power of l
    /// describes it).
    public enum Decay: String, Sendable { case powerLaw = "power-law", logarithmic }

    /// A short identifier (`dp-1+1`) and a display name (`DP 1+1`).
    public var id: String
    public var name: String
    /// Exponent name (`delta`, `theta`, `z`, `beta`, `nu_perp`, `nu_par`, `psi`) → value.
    public var exponents: [String: Double]
    /// The standard errors of values that are themselves measured (exponent name → error); a
    /// verdict adds them in quadrature to the measured errors. Exact and series values have none.
    public var errors: [String: Double]
    /// The spatial dimension the class belongs to (`1` for DP 1+1); nil for classes of any
    /// dimension (mean field: zero-dimensional systems, and the limit of many channels or sites).
    public var dimension: Int?
    public var noise: Noise
    public var decay: Decay = .powerLaw
    /// Where the values come from.
    public var reference: String

    public init(id: String, name: String, exponents: [String: Double], errors: [String: Double] = [:], dimension: Int? = nil,
                noise: Noise = .clean, reference: String = "") {
        self.id = id
        self.name = name
        self.exponents = exponents
        self.errors = errors
        self.dimension = dimension
        self.noise = noise
        self.reference = reference
    }

    /// Whether data of spatial dimension `d` (nil: unknown) can belong to the class.
    public func admits(dimension d: Int?) -> Bool {
        guard let d, let own = dimension else { return true }
        return own == d
    }

    static let dpReference = "series and Monte Carlo estimates as tabulated in Hinrichsen, Adv. Phys. 49, 815 (2000)"

    public static let dp1 = UniversalityClass(id: "dp-1+1", name: "DP 1+1", exponents: [
        "beta": 0.276486, "nu_perp": 1.096854, "nu_par": 1.733847, "delta": 0.159464, "z": 1.580745, "theta": 0.313686],
        dimension: 1, reference: dpReference)
    public static let dp2 = UniversalityClass(id: "dp-2+1", name: "DP 2+1", exponents: [
        "beta": 0.5834, "nu_perp": 0.7333, "nu_par": 1.2950, "delta": 0.4505, "z": 1.7660, "theta": 0.2295],
        dimension: 2, reference: dpReference)
    public static let dp3 = UniversalityClass(id: "dp-3+1", name: "DP 3+1", exponents: [
        "beta": 0.813, "nu_perp": 0.584, "nu_par": 1.110, "delta": 0.732, "z": 1.901, "theta": 0.114],
        dimension: 3, reference: dpReference)
    public static let meanField = UniversalityClass(id: "mean-field", name: "mean field", exponents: [
        "beta": 1, "nu_perp": 0.5, "nu_par": 1, "delta": 1, "z": 2, "theta": 0],
        reference: "exact (docs/mean-field.md)")

    /// Mean field with a kinked activation (ReLU, hard-tanh): φ″ has Dirac deltas, so the leading
    /// nonlinearity of the ρ-map is ρ^{3/2}, ρ′ = χ₁ρ − κ₃/₂ ρ^{3/2} (docs/mean-field.md, "Kinked
    /// activations"). At χ₁ = 1, ρ ≈ 4/(κ₃/₂ l)² (δ = 2); above it ρ* = ((χ₁ − 1)/κ₃/₂)² (β = 2);
    /// the relaxation time diverges as 1/|χ₁ − 1| on both sides (ν∥ = 1). An MLP has no space, so
    /// ν⊥, z and θ are not defined: the class is judged on δ (and β, ν∥ where measured).
    public static let meanFieldKinked = UniversalityClass(id: "mean-field-kinked", name: "kinked mean field (δ = 2)", exponents: [
        "beta": 2, "nu_par": 1, "delta": 2], reference: "exact (docs/analysis.md)")

    /// Mean field under temporal noise: a growth rate that fluctuates from layer to layer, shared
    /// by the whole system, ρ′ = min(1, e^{μ + σξ} ρ(1 − ρ/2)). At μ = 0, ln ρ is a random walk
    /// below a reflecting wall at ln ρ ≈ 0: the mass near the wall falls as t^{−1/2}, so
    /// ⟨ρ⟩ ~ t^{−1/2} (δ = 1/2), while ln ρ_typ = ⟨ln ρ⟩ ~ −σ√(2t/π) and sd(ln ρ) ~ σ√((1 − 2/π) t)
    /// (ψ = 1/2); the relaxation time off μ = 0 is σ²/μ² (ν∥ = 2). Exact for the walk (docs/analysis.md,
    /// "Temporal noise"); the tool's calibration model is `simulate noisy-map`.
    public static let temporalNoiseMeanField = UniversalityClass(id: "temporal-noise-mf", name: "temporal-noise mean field",
        exponents: ["delta": 0.5, "nu_par": 2, "psi": 0.5], noise: .temporal,
        reference: "exact for the reflected random walk (docs/analysis.md); Vojta & Hoyos, EPL 112, 30002 (2015)")

    /// Multiplicative noise (bounded KPZ) in 1+1 dimensions: the synchronisation transition of two
    /// replicas of a chain of smooth units under common noise (Grassberger 1999; Ahlers & Pikovsky
    /// 2002), with the transverse Lyapunov exponent zero at the transition (Muñoz & Pastor-Satorras
    /// 2003). The published exponents could not be read at source here, so δ is the tool's own
    /// measurement on its calibration model `simulate mn-lattice` (σ = 1, ε = 1/2, S = 4096,
    /// l = 256…8192, 3 μ × 192 realisations at each of two seeds, the two δ combined by their
    /// errors; docs/analysis.md, "Multiplicative noise in one dimension"), with its error, which a
    /// verdict adds to the data's.
    public static let multiplicativeNoise1 = UniversalityClass(id: "mn-1+1", name: "MN 1+1 (bounded KPZ)",
        exponents: ["delta": 1.155], errors: ["delta": 0.033], dimension: 1,
        reference: "measured by the tool on simulate mn-lattice (docs/results.md); published values not checked at source")

    /// Infinite-noise criticality in 1+1 dimensions: the contact process (and DP) under temporal
    /// disorder, where the noise's effective strength grows without bound at large time scales, the
    /// distribution of ln ρ broadens without bound and "the average density and survival
    /// probability decay only logarithmically with time" (Vojta & Hoyos, EPL 112, 30002, 2015;
    /// Barghathi, Hoyos & Vojta, PRE 94, 022111, 2016). Judged by the form 1/⟨ρ⟩ = a + b ln l
    /// (``LogarithmicDecay``) and by the realisations not self-averaging. Its candidate calibration,
    /// bond DP 1+1 with two-valued temporal disorder (`simulate dp --p-noise 0.15 --p-noise-law
    /// binary`), has not reached the class at the sizes run so far (docs/analysis.md,
    /// "Infinite-noise criticality").
    public static let infiniteNoise1: UniversalityClass = {
        var u = UniversalityClass(id: "infinite-noise-1+1", name: "infinite-noise 1+1", exponents: [:], dimension: 1,
                                  noise: .temporal,
                                  reference: "logarithmic decay: Barghathi, Hoyos & Vojta, PRE 94, 022111 (2016); not yet calibrated by the tool (docs/analysis.md)")
        u.decay = .logarithmic
        return u
    }()

    /// The classes a verdict chooses from unless told otherwise.
    public static let known: [UniversalityClass] = [.dp1, .dp2, .dp3, .meanField, .meanFieldKinked, .temporalNoiseMeanField,
                                                    .multiplicativeNoise1, .infiniteNoise1]
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
