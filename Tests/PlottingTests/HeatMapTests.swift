import Foundation
import Testing
@testable import Plotting

/// Heat maps, panel grids and the sample files.
struct HeatMapTests {
    @Test func heatMapWithNaNCellsAndOverlayIsWellFormed() {
        let map = SampleFigures.phaseDiagram()
        let svg = map.svg()
        let inspector = SVGInspector(svg)
        #expect(inspector.isWellFormed)
        #expect(inspector.count("rect") >= 40 * 30)
        #expect(svg.contains(Color.missing.hexString))
        #expect(inspector.texts.contains("σ_w,c(σ_b)"))
        #expect(inspector.texts.contains("ξ (layers)"))
        #expect(inspector.count("linearGradient") == 1)
    }

    @Test func cellEdgesSitBetweenCentres() {
        let edges = HeatMap.edges(of: [0, 1, 3], on: Axis(label: ""))
        #expect(edges == [-0.5, 0.5, 2, 4])
    }

    @Test func degenerateHeatMapsDoNotCrash() {
        let empty = HeatMap(title: "", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), xValues: [], yValues: [], values: [])
        #expect(SVGInspector(empty.svg()).isWellFormed)
        let allNaN = HeatMap(title: "n", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), xValues: [1], yValues: [2, 3],
                             values: [[.nan], [-1]], logColor: true)
        #expect(SVGInspector(allNaN.svg()).isWellFormed)
        let ragged = HeatMap(title: "r", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), xValues: [1, 2, 3],
                             yValues: [1, 2], values: [[1, 2], [3, 4, 5, 6], [7]])
        #expect(SVGInspector(ragged.svg()).isWellFormed)
    }

    @Test func panelGridNestsPanelsWithUniqueIDs() {
        let svg = SampleFigures.panelGrid().svg()
        let inspector = SVGInspector(svg)
        #expect(inspector.isWellFormed)
        #expect(inspector.count("svg") == 3)
        let ids = inspector.attributes.compactMap { $0["id"] }
        #expect(ids.count == Set(ids).count)
        #expect(inspector.texts.contains("Signal propagation & criticality"))
        let nested = inspector.attributes.enumerated().filter { inspector.elements[$0.offset] == "svg" }.map(\.element)
        #expect(nested[2]["x"] == "600")
    }

    @Test func sampleFiguresAreWellFormedAndOptionallyWritten() throws {
        let samples: [(String, String)] = [
            ("power-law-decay", SampleFigures.powerLawDecay().svg()),
            ("critical-lines", SampleFigures.criticalLines().svg()),
            ("phase-diagram", SampleFigures.phaseDiagram().svg()),
            ("panel-grid", SampleFigures.panelGrid().svg()),
            ("stress", SampleFigures.stress().svg()),
            ("small-numbers", SampleFigures.smallNumbers().svg()),
            ("short-log-range", SampleFigures.shortLogRange().svg()),
            ("empty", SampleFigures.empty().svg()),
            ("linear-heat-map", SampleFigures.linearHeatMap().svg()),
        ]
        for (name, svg) in samples {
            #expect(SVGInspector(svg).isWellFormed, "\(name)")
        }
        // Set PLOTTING_SAMPLES_DIR=/tmp/plotting-samples to write the files for a visual check.
        guard let folder = ProcessInfo.processInfo.environment["PLOTTING_SAMPLES_DIR"] else { return }
        let url = URL(fileURLWithPath: folder, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, svg) in samples {
            try Data(svg.utf8).write(to: url.appendingPathComponent("\(name).svg"))
        }
    }
}
