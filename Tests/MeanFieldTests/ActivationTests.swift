import Foundation
import MeanField
import Testing

@Suite("Activations")
struct ActivationTests {
    static let points: [Double] = [-3.1, -1.7, -0.93, -0.2, 0.07, 0.55, 1.3, 2.6]

    @Test("φ′ and φ″ match central differences of φ and φ′", arguments: Activation.allCases)
    func derivatives(activation a: Activation) {
        let h = 1e-5
        for x in Self.points where a.kinks.allSatisfy({ abs($0.position - x) > 0.01 }) {
            let d1 = (a.value(x + h) - a.value(x - h)) / (2 * h)
            let d2 = (a.derivative(x + h) - a.derivative(x - h)) / (2 * h)
            #expect(abs(a.derivative(x) - d1) < 1e-8, "\(a) φ′(\(x))")
            #expect(abs(a.secondDerivative(x) - d2) < 1e-7, "\(a) φ″(\(x))")
        }
    }

    @Test("differences stay accurate when d ≪ v", arguments: Activation.allCases)
    func differences(activation a: Activation) {
        for v in Self.points {
            for d in [1e-30, 1e-12, 1e-3, 0.1, 0.6] {
                let value = a.difference(around: v, by: d)
                if d >= 0.1 {
                    let direct = a.value(v + d / 2) - a.value(v - d / 2)
                    #expect(abs(value - direct) <= 1e-13 * max(1, abs(direct)), "\(a) Δ at v=\(v), d=\(d)")
                } else if a.kinks.allSatisfy({ abs($0.position - v) > 0.01 }) {
                    // first order: d φ′(v), relative error O(d²)
                    let linear = d * a.derivative(v)
                    #expect(abs(value - linear) <= 1e-12 * abs(d) + 0.2 * d * d * d, "\(a) Δ at v=\(v), d=\(d)")
                }
            }
        }
    }

    @Test("names and aliases parse")
    func names() {
        #expect(Activation(name: "TANH") == .tanh)
        #expect(Activation(name: "hard-tanh") == .hardTanh)
        #expect(Activation(name: "swish") == .silu)
        #expect(Activation(name: "foo") == nil)
    }
}
