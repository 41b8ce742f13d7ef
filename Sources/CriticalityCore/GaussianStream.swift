import VectorBuiltins

/// A vectorised source of standard Gaussian numbers: four xoshiro256++ generators advanced in
/// SIMD lanes, turned into Gaussians by the ziggurat method (``ZigguratTable``).
///
/// Each call to ``next()`` returns four independent N(0, 1) variates. One 64-bit word per lane
/// gives the strip (10 bits) and a uniform u ∈ [−1, 1) with 52 random bits; 99.57 % of draws are
/// accepted as u xᵢ at once, and the others (about one call in sixty has one) are finished lane by
/// lane from a scalar xoshiro256++ stream of the same key, so the output is exact in distribution up
/// to floating-point rounding (the tail beyond R = 4.039 is sampled exactly) and a pure function of
/// the key.
public struct GaussianStream: @unchecked Sendable {
    @usableFromInline var s0, s1, s2, s3: SIMD4<UInt64>
    /// The rotation amounts of xoshiro256++ (23, 41 = 64 − 23, 45, 19 = 64 − 45), kept in a stored
    /// property so that the compiler cannot turn the shifts into a rotate: AVX2 has no 64-bit
    /// vector rotate, and LLVM would split it into four scalar `rorx` (30% slower Gaussians).
    @usableFromInline var rotations: SIMD4<UInt64>
    /// Finishes the rare lanes that the quick ziggurat test rejects.
    @usableFromInline var fallback: Xoshiro256
    /// ``ZigguratTable/normal``'s strip widths xᵢ and ratios xᵢ₊₁/xᵢ (immutable, shared by all streams).
    @usableFromInline let widths: UnsafePointer<Double>
    @usableFromInline let ratios: UnsafePointer<Double>
    /// ``ZigguratTable/normal``'s densities f(xᵢ), for the rare rejected draws.
    @usableFromInline let density: UnsafePointer<Double>

    /// The stream of `key`; the four lanes are seeded from consecutive SplitMix64 outputs, the
    /// fallback generator from the next four.
    @inlinable public init(key: StreamKey) {
        rotations = SIMD4(23, 41, 45, 19)
        var seeder = key.seeder()
        var words = [UInt64](repeating: 0, count: 16)
        for i in 0..<16 { words[i] = seeder.next() }
        s0 = SIMD4(words[0], words[1], words[2], words[3])
        s1 = SIMD4(words[4], words[5], words[6], words[7])
        s2 = SIMD4(words[8], words[9], words[10], words[11])
        s3 = SIMD4(words[12], words[13], words[14], words[15])
        fallback = Xoshiro256(seeder: &seeder)
        let table = ZigguratTable.normal
        widths = UnsafePointer(table.widths)
        ratios = UnsafePointer(table.ratios)
        density = UnsafePointer(table.density)
    }

    /// Four raw 64-bit outputs of xoshiro256++, one per lane.
    @inlinable @inline(__always)
    public mutating func nextBits() -> SIMD4<UInt64> {
        let sum = s0 &+ s3
        let result = ((sum &<< rotations[0]) | (sum &>> rotations[1])) &+ s0
        let t = s1 &<< 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 &<< rotations[2]) | (s3 &>> rotations[3])
        return result
    }

    /// Four uniforms in [0, 1) with 52 random bits each.
    @inlinable @inline(__always)
    public mutating func nextUniform() -> SIMD4<Double> {
        let bits = (nextBits() &>> 12) | SIMD4(repeating: 0x3FF0_0000_0000_0000)
        return unsafeBitCast(bits, to: SIMD4<Double>.self) - 1
    }

    /// One quick ziggurat draw per lane from the raw bits `b`: the candidate z = u xᵢ, and whether
    /// it is accepted as it stands.
    @inlinable @inline(__always)
    func quickDraw(_ b: SIMD4<UInt64>) -> (z: SIMD4<Double>, accepted: SIMDMask<SIMD4<Int64>>) {
        let (u, strip) = Self.split(b)
        let width = SIMD4(widths[strip[0]], widths[strip[1]], widths[strip[2]], widths[strip[3]])
        let inner = SIMD4(ratios[strip[0]], ratios[strip[1]], ratios[strip[2]], ratios[strip[3]])
        let magnitude = unsafeBitCast(unsafeBitCast(u, to: SIMD4<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF, to: SIMD4<Double>.self)
        return (u * width, magnitude .< inner)
    }

    /// u ∈ [−1, 1) (52 bits in the mantissa of [2, 4), minus 3) and the strip (the low 10 bits).
    @inlinable @inline(__always)
    static func split(_ b: SIMD4<UInt64>) -> (u: SIMD4<Double>, strip: SIMD4<Int>) {
        let u = unsafeBitCast((b &>> 12) | 0x4000_0000_0000_0000, to: SIMD4<Double>.self) - 3
        // 0x3FF = ZigguratTable.strips − 1.
        return (u, unsafeBitCast(b & 0x3FF, to: SIMD4<Int>.self))
    }

    /// Replaces the lanes of `z` that the quick test rejected for the raw bits `b`.
    @inlinable
    mutating func finishRejected(_ z: inout SIMD4<Double>, bits b: SIMD4<UInt64>) {
        let (u, strip) = Self.split(b)
        for j in 0..<4 where !(Swift.abs(u[j]) < ratios[strip[j]]) {
            z[j] = ZigguratTable.sampleRejected(u: u[j], strip: strip[j], widths: widths, ratios: ratios,
                                               density: density, random: &fallback)
        }
    }

    /// Four independent standard Gaussians.
    @inlinable @inline(__always)
    public mutating func next() -> SIMD4<Double> {
        let b = nextBits()
        var (z, accepted) = quickDraw(b)
        if _slowPath((.!accepted).anyLaneSet) { finishRejected(&z, bits: b) }
        return z
    }

    /// Fills `count` vectors at `z` with independent standard Gaussians, without a branch per
    /// vector: chunks of 64 are drawn by the quick test alone, noting the vectors with a rejected
    /// lane (one in sixty), which are then finished in order.
    ///
    /// - Complexity: O(count).
    @inlinable
    public mutating func fill(_ z: UnsafeMutablePointer<SIMD4<Double>>, vectors count: Int) {
        let chunk = 64
        withUnsafeTemporaryAllocation(of: (SIMD4<UInt64>, Int).self, capacity: chunk) { pending in
            var start = 0
            while start < count {
                let end = Swift.min(start + chunk, count)
                // A local copy of the generator keeps its state in registers (stores through `z`
                // could alias `self`).
                var local = self
                local.fallback = Xoshiro256(state: (0, 0, 0, 0))
                var noted = 0
                for k in start..<end {
                    let b = local.nextBits()
                    let (v, accepted) = local.quickDraw(b)
                    z[k] = v
                    pending[noted] = (b, k)
                    // The mask's lanes are −1 (accepted) or 0: r = 4 + their sum counts the rejected
                    // lanes, and (r + 3) / 4 is 1 when there is one, without a branch.
                    let rejected = 4 &+ Int(unsafeBitCast(accepted, to: SIMD4<Int64>.self).wrappedSum())
                    noted &+= (rejected &+ 3) &>> 2
                }
                (s0, s1, s2, s3) = (local.s0, local.s1, local.s2, local.s3)
                for p in 0..<noted { finishRejected(&z[pending[p].1], bits: pending[p].0) }
                start = end
            }
        }
    }

    /// Fills `buffer` with independent standard Gaussians.
    ///
    /// - Complexity: O(count).
    @inlinable
    public mutating func fill(_ buffer: UnsafeMutableBufferPointer<Double>) {
        let n = buffer.count
        withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 64) { block in
            var i = 0
            while i < n {
                let vectors = Swift.min(64, (n - i + 3) / 4)
                fill(block.baseAddress!, vectors: vectors)
                for k in 0..<Swift.min(4 * vectors, n - i) { buffer[i + k] = block[k / 4][k % 4] }
                i += 4 * vectors
            }
        }
    }
}
