import Foundation
import Testing
@testable import Plotting

/// Tick selection on linear and log axes.
struct TickTests {
    @Test func unitIntervalGetsTenthSteps() {
        let ticks = TickGenerator.linear(lo: 0, hi: 1)
        #expect(ticks.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func asymmetricRangeGetsNiceSteps() {
        let ticks = TickGenerator.linear(lo: -3.7, hi: 12.1)
        #expect((5...8).contains(ticks.count))
        #expect(ticks.map(\.value) == [-2, 0, 2, 4, 6, 8, 10, 12])
        #expect(ticks.first?.label == "\u{2212}2")
        #expect(ticks.allSatisfy { $0.value >= -3.7 && $0.value <= 12.1 })
    }

    @Test func linearStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (lo, hi) in [(0.0, 7.3), (-0.013, 0.042), (1e3, 7.7e4), (0.001, 0.0013), (-250.0, -3.0)] {
            let ticks = TickGenerator.linear(lo: lo, hi: hi)
            #expect((4...8).contains(ticks.count), "\(lo)...\(hi): \(ticks.count) ticks")
            let step = ticks[1].value - ticks[0].value
            let mantissa = step / pow(10, floor(log10(step) + 1e-9))
            #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
            #expect(Set(ticks.compactMap(\.label)).count == ticks.count, "labels distinct")
        }
    }

    @Test func labelsHaveNoFloatingPointNoise() {
        let ticks = TickGenerator.linear(lo: 0.1, hi: 0.7)
        #expect(ticks.compactMap(\.label).allSatisfy { $0.count <= 4 })
        #expect(ticks.compactMap(\.label).contains("0.3"))
    }

    @Test func logRangeGetsDecades() {
        let ticks = TickGenerator.log(lo: 1e-4, hi: 1)
        let majors = ticks.filter(\.isMajor)
        #expect(majors.count == 5)
        #expect(majors.compactMap(\.label) == ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"])
        let minors = ticks.filter { !$0.isMajor }
        #expect(minors.count == 4 * 8)
        #expect(minors.allSatisfy { $0.label == nil })
    }

    @Test func manyDecadesAreThinned() {
        let ticks = TickGenerator.log(lo: 1e-12, hi: 1e6, fit: LabelFit(length: 400, horizontal: false))
        let labelled = ticks.filter { $0.label != nil }
        #expect(ticks.filter(\.isMajor).count == 19)
        #expect(labelled.count <= 10 && labelled.count >= 2)
        #expect(labelled.contains { $0.label == "10⁰" })
    }

    @Test func shortLogRangeLabelsMinorTicks() {
        for (lo, hi) in [(2.0, 5.0), (0.3, 0.9), (1.5e-5, 8e-5), (3.1, 3.4)] {
            let ticks = TickGenerator.log(lo: lo, hi: hi, fit: LabelFit(length: 500, horizontal: true))
            let labelled = ticks.filter { $0.label != nil }
            #expect(labelled.count >= 2, "\(lo)...\(hi)")
            #expect(labelled.allSatisfy { $0.value >= lo * 0.999 && $0.value <= hi * 1.001 })
        }
    }

    @Test func longAxisLabelsDoNotOverlap() {
        let length = 220.0
        let ticks = TickGenerator.linear(lo: 123_456, hi: 987_654, fit: LabelFit(length: length, horizontal: true))
        let labelled = ticks.filter { $0.label != nil }
        #expect(labelled.count >= 2)
        for (a, b) in zip(labelled, labelled.dropFirst()) {
            let gap = (b.value - a.value) / (987_654 - 123_456) * length
            let needed = (TextMetrics.width(a.label!, fontSize: 13) + TextMetrics.width(b.label!, fontSize: 13)) / 2
            #expect(gap > needed, "\(a.label!) and \(b.label!) overlap")
        }
    }

    @Test func crowdedLogAxisLabelsDoNotOverlap() {
        let fit = LabelFit(length: 150, horizontal: true)
        let ticks = TickGenerator.log(lo: 1e-8, hi: 1e2, fit: fit)
        let position: (Double) -> Double = { (log10($0) + 8) / 10 }
        #expect(fit.fits(ticks, position: position))
        #expect(ticks.filter { $0.label != nil }.count >= 2)
    }
}
