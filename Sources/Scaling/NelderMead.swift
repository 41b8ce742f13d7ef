/// The Nelder–Mead downhill simplex: a derivative-free minimiser for the few parameters of a
/// data collapse, whose quality function is not smooth (points enter and leave the overlap).
public enum NelderMead {
    /// Minimises `f` from `start`, with initial steps `steps` along each axis; stops when the
    /// simplex's values agree to `tolerance` (absolute) or after `maxEvaluations`.
    ///
    /// - Complexity: O(maxEvaluations) evaluations of `f`.
    public static func minimize(_ f: ([Double]) -> Double, start: [Double], steps: [Double], tolerance: Double = 1e-9,
                                maxEvaluations: Int = 2000) -> (point: [Double], value: Double) {
        let n = start.count
        var simplex = [start]
        for i in 0..<n {
            var p = start
            p[i] += steps[i]
            simplex.append(p)
        }
        func g(_ p: [Double]) -> Double { let v = f(p); return v.isNaN ? .infinity : v }
        var values = simplex.map(g)
        var evaluations = n + 1
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if values[n].isFinite, abs(values[n] - values[0]) <= tolerance * (1 + abs(values[0])) { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1), fr = g(reflected)
            evaluations += 1
            if fr < values[0] {
                let expanded = along(-2), fe = g(expanded)
                evaluations += 1
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected; values[n] = fr
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = g(contracted)
                evaluations += 1
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted; values[n] = fc
                } else {
                    for k in 1...n {
                        simplex[k] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
                        values[k] = g(simplex[k])
                    }
                    evaluations += n
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return (simplex[best], values[best])
    }
}
