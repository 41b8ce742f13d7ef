import Testing
import Foundation
@testable import Scaling

@Suite struct PowerLawTests {
    @Test func exactPowerLawHasItsSlopeAndNoCurvature() throws {
        let t = (1...1000).map(Double.init)
        let curve = Curve(label: "exact", t: t, y: t.map { 3 * pow($0, -0.37) })
        let e = try SlopeEstimate.estimate(curve)
        #expect(abs(e.slope + 0.37) < 1e-12)
        #expect(e.drift < 1e-12)
        #expect(abs(PowerLawFit.curvature(of: curve, window: 10...1000)!) < 1e-12)
    }
}
