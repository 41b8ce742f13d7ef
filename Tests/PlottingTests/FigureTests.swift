import Foundation
import Testing
@testable import Plotting

/// Rendering of line/scatter figures.
struct FigureTests {
    @Test func figureWithSeveralSeriesIsWellFormed() {
        let svg = SampleFigures.powerLawDecay().svg()
        let inspector = SVGInspector(svg)
        #expect(inspector.isWellFormed)
        #expect(inspector.texts.contains("N = 64"))
        #expect(inspector.texts.contains("1/(0.23 l)"))
        #expect(inspector.texts.contains("10⁰"))
        #expect(inspector.count("clipPath") == 1)
        #expect(svg.contains("stroke-dasharray"))
    }

    @Test func specialCharactersAreEscapedAndNothingCrashes() {
        let svg = SampleFigures.stress().svg()
        let inspector = SVGInspector(svg)
        #expect(inspector.isWellFormed)
        #expect(inspector.texts.contains("loss < 1e-3 & \"trained\""))
        #expect(inspector.texts.contains { $0.contains("<v2>") })
    }

    @Test func nonFiniteAndNonPositiveValuesBreakTheLine() {
        let series = Series(name: "gappy", x: [1, 2, 3, 4, 5, 6, .nan, 8], y: [1, 2, .nan, 4, -5, 6, 7, .infinity])
        let figure = Figure(title: "gaps", xAxis: Axis(label: "x", scale: .log), yAxis: Axis(label: "y", scale: .log),
                            series: [series])
        let svg = figure.svg()
        #expect(SVGInspector(svg).isWellFormed)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        let renderer = SeriesRenderer(series: series, color: .black,
                                      x: AxisMapping(scale: .log, range: 1...10, start: 0, end: 100),
                                      y: AxisMapping(scale: .log, range: 1...10, start: 100, end: 0))
        let path = renderer.linePath()
        #expect(path.filter { $0 == "M" }.count == 3)   // 1-2 | 4 | 6
        #expect(path.filter { $0 == "L" }.count == 1)
    }

    @Test func errorBarsBelowZeroAreClippedOnLogAxes() {
        let series = Series(name: "", x: [1, 10, 100], y: [1, 0.1, 0.01], yError: [2, 0.05, .nan], style: .markers)
        let figure = Figure(title: "", xAxis: Axis(label: "x", scale: .log), yAxis: Axis(label: "y", scale: .log),
                            series: [series])
        let svg = figure.svg()
        #expect(SVGInspector(svg).isWellFormed)
        #expect(!svg.contains("nan"))
        let yRange = figure.yAxis.resolvedRange(for: series.yValues(xAxis: figure.xAxis, yAxis: figure.yAxis))
        // The data (with error bars) span 0.01…3: whole decades 0.01…10 would add an almost empty
        // decade, so the axis is padded instead, and nothing below zero is drawn.
        #expect(yRange.lowerBound > 0.005 && yRange.lowerBound < 0.01 && yRange.upperBound > 3 && yRange.upperBound < 5, "\(yRange)")
    }

    @Test func emptyFigureIsStillAPlot() {
        let svg = Figure(title: "", xAxis: Axis(label: "x"), yAxis: Axis(label: "y", scale: .log)).svg()
        let inspector = SVGInspector(svg)
        #expect(inspector.isWellFormed)
        #expect(inspector.texts.contains("x"))
        #expect(inspector.texts.contains("10⁰"))
        #expect(inspector.count("rect") >= 2)
    }

    @Test func outputIsDeterministic() {
        #expect(SampleFigures.powerLawDecay().svg() == SampleFigures.powerLawDecay().svg())
        #expect(SampleFigures.phaseDiagram().svg() == SampleFigures.phaseDiagram().svg())
    }

    @Test func coordinatesAreShort() {
        let svg = SampleFigures.criticalLines().svg()
        let numbers = svg.split(whereSeparator: { !"0123456789.".contains($0) }).filter { $0.contains(".") }
        #expect(numbers.allSatisfy { $0.split(separator: ".", omittingEmptySubsequences: false).last!.count <= 2 })
    }

    @Test func automaticLegendAvoidsData() {
        // Data fill the top-right corner: the legend must go elsewhere.
        let x = (0..<50).map { Double($0) }
        let series = [Series(name: "rising", x: x, y: x.map { $0 * $0 }, style: .markers)]
        let figure = Figure(title: "", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), series: series)
        let inspector = SVGInspector(figure.svg())
        let legendText = inspector.attributes[inspector.elements.lastIndex(of: "text")!]
        #expect(Double(legendText["x"]!)! < 380)
    }

    @Test func yAxisLabelClearsTickLabels() {
        let series = [Series(name: "", x: [0, 1], y: [-123_456.5, 987_654.25])]
        let layout = AxesLayout(width: 760, height: 500, title: "", xAxis: Axis(label: "x"), xRange: 0...1,
                                yAxis: Axis(label: "a long y label"), yRange: series[0].y.min()!...series[0].y.max()!)
        let widest = layout.yTicks.compactMap(\.label).map { TextMetrics.width($0, fontSize: 13) }.max()!
        let labelRight = AxesLayout.edge + 15 * 1.2
        #expect(layout.plot.left - AxesLayout.majorTickLength - AxesLayout.tickLabelGap - widest >= labelRight)
    }

}
