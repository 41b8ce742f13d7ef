import Testing
import VectorBuiltins

/// The vector forms of the SIMD4 operations compute what the standard library's lane loops compute.
@Suite struct VectorBuiltinsTests {
    let words: [UInt64] = [0, 1, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0x0123_4567_89AB_CDEF,
                           0xDEAD_BEEF_F00D_CAFE, 0x3FF0_0000_0000_0000, 12345]

    @Test func bitwiseOperatorsAndShiftsMatchScalars() {
        for i in 0..<words.count {
            for j in 0..<words.count {
                let a = SIMD4(words[i], words[j], words[(i + 3) % 8], words[(j + 5) % 8])
                let b = SIMD4(words[j], words[i], words[(i + j) % 8], words[(7 * j + i) % 8])
                let shifts = SIMD4<UInt64>(UInt64(i * 9 % 64), UInt64(j * 7 % 64), 0, 63)
                let or = a | b, and = a & b, xor = a ^ b, not = ~a
                let right = a &>> shifts, left = a &<< shifts, right12 = a &>> 12, left62 = a &<< 62
                for k in 0..<4 {
                    #expect(or[k] == a[k] | b[k])
                    #expect(and[k] == a[k] & b[k])
                    #expect(xor[k] == a[k] ^ b[k])
                    #expect(not[k] == ~a[k])
                    #expect(right[k] == a[k] >> shifts[k])
                    #expect(left[k] == a[k] << shifts[k])
                    #expect(right12[k] == a[k] >> 12)
                    #expect(left62[k] == a[k] << 62)
                }
            }
        }
    }

    @Test func fusedMultiplyAddAndSquareRootAreCorrectlyRounded() {
        let a = SIMD4<Double>(1 + 0x1p-30, -3.5, 1e200, 0.1)
        let b = SIMD4<Double>(1 - 0x1p-30, 2.25, 1e100, 0.3)
        let c = SIMD4<Double>(-1, 0.5, -1e300, 0.7)
        let f = fusedMultiplyAdd(a, b, c)
        let r = squareRoot(SIMD4(2, 0.25, 1e-300, 7))
        for k in 0..<4 {
            #expect(f[k] == c[k].addingProduct(a[k], b[k]))
            #expect(r[k] == SIMD4<Double>(2, 0.25, 1e-300, 7)[k].squareRoot())
        }
        #expect(f[0] == -0x1p-60)  // exact: no intermediate rounding of a·b
    }
}
