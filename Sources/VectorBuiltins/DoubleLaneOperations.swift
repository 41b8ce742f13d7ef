import Swift

// `addingProduct` and `squareRoot()` on `SIMD4<Double>` are generic lane loops in the standard
// library (only `+ - * /` and the comparisons are lowered to vector instructions); these call the
// LLVM vector intrinsics directly, so a chain of them stays in 256-bit registers (vfmadd…pd ymm,
// vsqrtpd ymm). Both are correctly rounded, like their scalar counterparts.

/// a·b + c lane by lane with a single rounding.
@_transparent
public func fusedMultiplyAdd(_ a: SIMD4<Double>, _ b: SIMD4<Double>, _ c: SIMD4<Double>) -> SIMD4<Double> {
    var r = SIMD4<Double>()
    r._storage._value = Builtin.int_fma_Vec4xFPIEEE64(a._storage._value, b._storage._value, c._storage._value)
    return r
}

/// The correctly rounded square root, lane by lane.
@_transparent
public func squareRoot(_ a: SIMD4<Double>) -> SIMD4<Double> {
    var r = SIMD4<Double>()
    r._storage._value = Builtin.int_sqrt_Vec4xFPIEEE64(a._storage._value)
    return r
}
