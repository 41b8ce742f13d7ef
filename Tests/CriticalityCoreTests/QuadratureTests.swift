import CriticalityCore
import Foundation
import Testing

@Suite("Quadrature rules")
struct QuadratureTests {
    /// E[z^{2k}] = (2k − 1)!! for a standard normal z.
    static func doubleFactorial(_ n: Int) -> Double { n <= 0 ? 1 : Double(n) * doubleFactorial(n - 2) }

    @Test("Gauss–Hermite is exact for normal moments up to degree 2n − 1", arguments: [1, 2, 5, 16, 48, 160, 320])
    func hermiteMoments(count: Int) {
        let rule = GaussHermiteRule(count: count)
        #expect(rule.nodes.count == count)
        #expect(abs(rule.weights.reduce(0, +) - 1) < 1e-13)
        for k in 0...min(count - 1, 12) {
            let moment = rule.expectation { pow($0, Double(2 * k)) }
            let exact = Self.doubleFactorial(2 * k - 1)
            #expect(abs(moment - exact) <= 1e-12 * exact, "E[z^\(2 * k)] with \(count) nodes")
            let odd = rule.expectation { pow($0, Double(2 * k + 1)) }
            #expect(abs(odd) <= 1e-12 * Self.doubleFactorial(2 * k + 1))
        }
    }

    @Test("Gauss–Hermite converges exponentially for a smooth integrand")
    func hermiteSmooth() {
        // E[cos(a z)] = exp(−a²/2)
        let rule = GaussHermiteRule(count: 64)
        for a in [0.5, 1.0, 2.0] {
            #expect(abs(rule.expectation { cos(a * $0) } - exp(-a * a / 2)) < 1e-14)
        }
    }

    @Test("Gauss–Legendre integrates polynomials exactly", arguments: [1, 3, 8, 16, 20])
    func legendre(count: Int) {
        let rule = GaussLegendreRule(count: count)
        #expect(abs(rule.weights.reduce(0, +) - 2) < 1e-14)
        for k in 0..<(2 * count) {
            let value = rule.integral(from: 0, to: 2) { pow($0, Double(k)) }
            let exact = pow(2, Double(k + 1)) / Double(k + 1)
            #expect(abs(value - exact) <= 1e-13 * exact)
        }
    }

    @Test("Piecewise rule: kinked integrands to 1e-13")
    func piecewise() {
        let rule = PiecewiseGaussianRule()
        // E[max(z − a, 0)] = φ(a) − a (1 − Φ(a))
        for a in [-1.5, 0.0, 0.3, 2.0] {
            let exact = exp(-a * a / 2) / (2 * Double.pi).squareRoot() - a * 0.5 * erfc(a / 2.0.squareRoot())
            let value = rule.expectation(breakpoints: [a]) { max($0 - a, 0) }
            #expect(abs(value - exact) < 1e-13)
        }
        // P(|z| < 1)
        let inside = rule.expectation(breakpoints: [-1, 1]) { abs($0) < 1 ? 1 : 0 }
        #expect(abs(inside - erf(1 / 2.0.squareRoot())) < 1e-13)
    }
}

@Suite("Root finding")
struct RootFindingTests {
    @Test("Brent finds roots to machine precision")
    func brent() throws {
        #expect(abs(try brentRoot(in: 1, 2) { $0 * $0 - 2 } - 2.0.squareRoot()) < 1e-15)
        #expect(abs(try brentRoot(in: 0, 3) { cos($0) - $0 } - 0.7390851332151607) < 1e-15)
        #expect(abs(try brentRoot(in: -1, 5) { pow($0, 3) } - 0) < 1e-10)
        // a root at an end point
        #expect(try brentRoot(in: 0, 1) { $0 } == 0)
    }

    @Test("Brent refuses an interval that does not bracket a root")
    func notBracketed() {
        #expect(throws: RootFindingError.self) { try brentRoot(in: 0, 1) { $0 * $0 + 1 } }
    }
}

@Suite("Grids, tables, JSON and parallel loops")
struct UtilityTests {
    @Test("FROM:TO:STEPS grids")
    func grids() {
        #expect(ParameterGrid(parsing: "0:1:5")?.values == [0, 0.25, 0.5, 0.75, 1])
        #expect(ParameterGrid(parsing: "0.3")?.values == [0.3])
        for bad in ["", "a:b:c", "0:1", "0:1:0", "0:1:1", "nan", "0:inf:3", "1:2:x"] {
            #expect(ParameterGrid(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("CSV and JSON of a tidy table")
    func table() {
        var t = Table(columns: ["name", "x", "n"])
        t.append([.text("a,b"), .number(0.1), .integer(3)])
        t.append([.text("c"), .number(.infinity), .missing])
        #expect(t.csv() == "name,x,n\n\"a,b\",0.1,3\nc,inf,\n")
        #expect(t.json().rendered(pretty: false) == #"[{"name":"a,b","x":0.1,"n":3},{"name":"c","x":null,"n":null}]"#)
        #expect(t.numbers("x")[0] == 0.1)
    }

    @Test("JSON escapes and numbers round-trip")
    func json() {
        let v = JSONValue.object(["s": .string("a\"b\n"), "x": .number(1.3955839751553187), "k": .number(2.0)])
        #expect(v.rendered(pretty: false) == #"{"s":"a\"b\n","x":1.3955839751553187,"k":2}"#)
        #expect(v["x"] == .number(1.3955839751553187))
    }

    @Test("parallelMap gives the same result for every thread count")
    func parallel() {
        let one = parallelMap(1000, threads: 1) { sin(Double($0)) }
        for threads in [2, 3, 8] {
            #expect(parallelMap(1000, threads: threads) { sin(Double($0)) } == one)
        }
    }
}
