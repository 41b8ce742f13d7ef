/// Sixty-four independent Bernoulli(p) bits in one word, exactly for any double p.
///
/// Each bit compares a uniform U = 0.r₁r₂… (its binary digits drawn lazily, one random word per
/// digit position for all 64 lanes) with p = 0.p₁p₂…: the lane succeeds (U < p) at the first digit
/// where rⱼ = 0 and pⱼ = 1, and fails where rⱼ = 1 and pⱼ = 0. All lanes are decided after about
/// log₂ 64 + 2 ≈ 8 words on average, and at the latest when p's expansion ends.
///
/// - Complexity: O(1) expected random words per call.
@frozen
public struct BernoulliBits: Sendable {
    public let p: Double

    @inlinable public init(p: Double) { self.p = p }

    @inlinable
    public func next<G: RandomNumberGenerator>(using random: inout G) -> UInt64 {
        if !(p > 0) { return 0 }
        if p >= 1 { return ~0 }
        var result: UInt64 = 0
        var undecided: UInt64 = ~0
        var rest = p
        while undecided != 0 && rest > 0 {
            rest *= 2
            let r = random.next()
            if rest >= 1 {
                rest -= 1
                result |= undecided & ~r
                undecided &= r
            } else {
                undecided &= ~r
            }
        }
        return result
    }
}
