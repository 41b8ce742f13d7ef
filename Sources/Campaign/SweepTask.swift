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
}

/// FNV-1a, 64 bits.
public func fnv1a(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return h
}
