import Swift

// Swift's standard library lowers `&+ &- &*` and the comparisons of `SIMD4<UInt64>` to LLVM vector
// instructions, but its bitwise operators and shifts are generic lane-by-lane loops. LLVM's SLP
// vectoriser rebuilds those loops two lanes wide, and every floating-point operation fed by them
// inherits the split (measured: half of the Gaussian stream's instructions ran on 128-bit
// registers). These overloads are more specific than the generic ones, so plain `a | b` in a module
// that imports this one becomes a single 256-bit instruction. They compute exactly what the generic
// operators compute: shifts by less than 64 (the only amounts used) agree with `&>>` and `&<<`.

extension SIMD4 where Scalar == UInt64 {
    @_transparent public static func | (a: Self, b: Self) -> Self {
        var r = Self()
        r._storage._value = Builtin.or_Vec4xInt64(a._storage._value, b._storage._value)
        return r
    }

    @_transparent public static func & (a: Self, b: Self) -> Self {
        var r = Self()
        r._storage._value = Builtin.and_Vec4xInt64(a._storage._value, b._storage._value)
        return r
    }

    @_transparent public static func ^ (a: Self, b: Self) -> Self {
        var r = Self()
        r._storage._value = Builtin.xor_Vec4xInt64(a._storage._value, b._storage._value)
        return r
    }

    /// Logical right shift lane by lane; every amount must be below 64.
    @_transparent public static func &>> (a: Self, b: Self) -> Self {
        var r = Self()
        r._storage._value = Builtin.lshr_Vec4xInt64(a._storage._value, b._storage._value)
        return r
    }

    /// Left shift lane by lane; every amount must be below 64.
    @_transparent public static func &<< (a: Self, b: Self) -> Self {
        var r = Self()
        r._storage._value = Builtin.shl_Vec4xInt64(a._storage._value, b._storage._value)
        return r
    }

    @_transparent public static func | (a: Self, b: UInt64) -> Self { a | Self(repeating: b) }
    @_transparent public static func & (a: Self, b: UInt64) -> Self { a & Self(repeating: b) }
    @_transparent public static func ^ (a: Self, b: UInt64) -> Self { a ^ Self(repeating: b) }
    @_transparent public static func &>> (a: Self, b: UInt64) -> Self { a &>> Self(repeating: b & 63) }
    @_transparent public static func &<< (a: Self, b: UInt64) -> Self { a &<< Self(repeating: b & 63) }
    @_transparent public static prefix func ~ (a: Self) -> Self { a ^ Self(repeating: ~0) }
    @_transparent public static func |= (a: inout Self, b: Self) { a = a | b }
    @_transparent public static func &= (a: inout Self, b: Self) { a = a & b }
    @_transparent public static func ^= (a: inout Self, b: Self) { a = a ^ b }
}

extension SIMDMask where Storage == SIMD4<Int64> {
    /// Whether any lane is set, as one vector reduction (`vptest`/`vmovmskpd` on x86) instead of
    /// the standard library's lane-by-lane loop (four extractions to general registers).
    @_transparent public var anyLaneSet: Bool {
        let lanes = unsafeBitCast(self, to: SIMD4<Int64>.self)
        return Int64(Builtin.int_vector_reduce_or_Vec4xInt64(lanes._storage._value)) != 0
    }
}
