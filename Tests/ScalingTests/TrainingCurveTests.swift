import Foundation
import Testing
@testable import Scaling

@Suite struct TrainingCurveTests {
    /// A sigmoid in ln x, like a test error that rises with depth.
    static func f(_ x: Double) -> Double { 0.01 + 0.08 / (1 + exp(-(log(x) - 4))) }

    @Test("CollapseSpread: curves that are one function of κL spread 0 against κL and not against L")
    func spread() {
        let depths = (0...40).map { pow(10, Double($0) / 10) }
        let kappas = [0.05, 0.2, 1.0]
        let byDepth = kappas.map { k in (x: depths, y: depths.map { Self.f(k * $0) }, error: Optional(depths.map { _ in 0.001 })) }
        let byKappaDepth = kappas.map { k in (x: depths.map { k * $0 }, y: depths.map { Self.f(k * $0) }, error: Optional(depths.map { _ in 0.001 })) }
        let l = CollapseSpread(curves: byDepth), kl = CollapseSpread(curves: byKappaDepth)
        #expect(l.rms > 0.01 && l.quality > 100)
        // Linear interpolation between points 0.1 decades apart: small, not exactly 0.
        #expect(kl.rms < 2e-4 && kl.quality < 0.1, "\(kl)")
        #expect(kl.comparisons > 0 && kl.comparisons < l.comparisons)
        // Without errors the quality is undefined, the rms the same.
        let bare = CollapseSpread(curves: byDepth.map { ($0.x, $0.y, nil) })
        #expect(bare.quality.isNaN && abs(bare.rms - l.rms) < 1e-15)
    }

    @Test("DepthErrorCurve: best depth, the 5% window around it, the depth where the error doubles")
    func summaries() throws {
        let depth: [Double] = [2, 5, 10, 20, 50, 100, 200]
        let value = [0.0105, 0.0101, 0.0100, 0.0104, 0.0150, 0.0300, 0.0600]
        let c = DepthErrorCurve(depth: depth.reversed(), value: value.reversed(), error: depth.map { _ in 0.001 })
        #expect(c.bestIndex.map { c.depth[$0] } == 10)
        #expect(c.window() == 2...20)
        #expect(c.window(tolerance: 0.02) == 5...10)
        // 0.02 is reached between 50 (0.015) and 100 (0.03), a third of the way in ln depth.
        let doubled = try #require(c.depthWhereErrorReaches(factor: 2))
        #expect(abs(doubled - 50 * pow(2, 1.0 / 3)) < 1e-9)
        #expect(c.depthWhereErrorReaches(factor: 10) == nil)
    }
}
