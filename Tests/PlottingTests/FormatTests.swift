import Foundation
import Testing
@testable import Plotting

/// Number formatting for labels and coordinates.
struct FormatTests {
    @Test func fixedPointRemovesRoundingNoise() {
        #expect(NumberFormat.fixed(0.30000000000000004, decimals: 1) == "0.3")
        #expect(NumberFormat.fixed(-2.5, decimals: 2) == "\u{2212}2.50")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(0.05, decimals: 2) == "0.05")
        #expect(NumberFormat.fixed(1234, decimals: 0) == "1234")
    }

    @Test func tinyAndHugeLinearLabelsUseExponents() {
        #expect(NumberFormat.linearLabels([0, 2e-6, 4e-6], step: 2e-6) == ["0", "2e\u{2212}6", "4e\u{2212}6"])
        #expect(NumberFormat.linearLabels([1e6, 1.5e6, 2e6], step: 5e5) == ["1e6", "1.5e6", "2e6"])
        #expect(NumberFormat.linearLabels([1000, 2000], step: 1000) == ["1000", "2000"])
        #expect(NumberFormat.linearLabels([0.001, 0.002], step: 0.001) == ["0.001", "0.002"])
    }

    @Test func powersOfTenUseSuperscripts() {
        #expect(NumberFormat.powerOfTen(-3) == "10⁻³")
        #expect(NumberFormat.powerOfTen(0) == "10⁰")
        #expect(NumberFormat.powerOfTen(12) == "10¹²")
        #expect(NumberFormat.compactPower(mantissa: 2, exponent: -2) == "0.02")
        #expect(NumberFormat.compactPower(mantissa: 5, exponent: -6) == "5×10⁻⁶")
    }

    @Test func coordinatesHaveAtMostTwoDecimals() {
        #expect(svgNumber(12.3456) == "12.35")
        #expect(svgNumber(3) == "3")
        #expect(svgNumber(-0.001) == "0")
        #expect(svgNumber(-7.1) == "-7.1")
        #expect(svgNumber(0.05) == "0.05")
        #expect(svgNumber(.nan) == "0")
    }

    @Test func xmlSpecialCharactersAreEscaped() {
        #expect(SVGBuilder.escape("a<b & \"c\" > d") == "a&lt;b &amp; &quot;c&quot; &gt; d")
    }

    @Test func colorsParseHex() {
        #expect(Color(hex: "#4e79a7") == Color(r: 0x4e, g: 0x79, b: 0xa7))
        #expect(Color(hex: "fff") == .white)
        #expect(Color(hex: "nonsense") == .black)
        #expect(Color.palette.count == 8)
        #expect(Set(Color.palette).count == 8)
        #expect(Colormap.viridis(0) == Color(hex: "#440154"))
        #expect(Colormap.viridis(1) == Color(hex: "#fde725"))
    }
}
