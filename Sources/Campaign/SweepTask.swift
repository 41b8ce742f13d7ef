import Foundation
import CriticalityCore

/// One task of a sweep: a full set of parameters, with an id that depends on them only (so the
/// same parameters keep their id when a grid grows).
public struct SweepTask: Sendable {
    public let index: Int
    public let parameters: [(name: String, value: ParameterValue)]

    public init(index: Int, parameters: [(String, ParameterValue)]) {
        self.index = index
        self.parameters = parameters.map { (name: $0.0, value: $0.1) }
    }

    public subscript(_ name: String) -> ParameterValue? { parameters.first { $0.name == name }?.value }

    /// "name=value;…" in alphabetical order: what the id is computed from.
    public var canonical: String { parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ";") }

    /// FNV-1a of ``canonical``, also the `task` component of the random streams' keys.
    public var hash: UInt64 { fnv1a(canonical) }

    /// 12 hexadecimal digits of ``hash``.
    public var id: String {
        let hex = String(hash, radix: 16)
        return String(String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(12).description
    }

    /// The work of the task in model units (neuron-layers, site-layer multiply-adds, site-steps).
    public func cost(model: String) -> Double {
        let depth = self["depth"]?.double ?? 0, samples = self["samples"]?.double ?? 0
        switch model {
        case "mlp":
            return (self["width"]?.double ?? 256) * depth * samples
        case "cnn":
            let dim = self["dim"]?.double ?? 1, size = self["size"]?.double ?? 256
            let c = self["channels"]?.double ?? 8, k = self["kernel"]?.double ?? 3
            let sites = dim == 2 ? size * size : size
            return sites * depth * samples * (2 * c * c * Foundation.pow(k, dim) + 20 * c)
        default:
            let dim = self["dim"]?.double ?? 1, size = self["size"]?.double ?? (dim == 2 ? 256 : 4096)
            // Spreading runs visit only their cluster: about 100 site-steps per layer and run (measured at p_c).
            if case .text("spreading")? = self["protocol"] { return 100 * depth * samples }
            return (dim == 2 ? size * size : size) * depth * samples
        }
    }
}

/// FNV-1a, 64 bits.
public func fnv1a(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return h
}
