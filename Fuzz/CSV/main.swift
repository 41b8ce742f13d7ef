import CriticalityCore
import FuzzDriver
import Scaling

// The CSV readers: numeric data files (simulate --input) and tidy tables (the analysis commands),
// and the curves the analysis builds from a table. Any input may be rejected with an error; none
// may crash, hang or trap.
runFuzzer { data, size in
    let text = fuzzText(data, size)
    _ = try? NumericCSV(parsing: text)
    if let table = try? TidyTable(parsing: text) {
        for selection in [CurveSelection(), CurveSelection(value: table.columns.last ?? "rho", depth: table.columns.first)] {
            if let curves = try? selection.curves(from: table) {
                for curve in curves.prefix(4) {
                    _ = try? SlopeEstimate.estimate(curve, replicates: 4)
                }
            }
        }
    }
    return 0
}
