import Foundation

/// An array in the IDX format of MNIST and Fashion-MNIST (plain or gzip-compressed): a big-endian
/// header — two zero bytes, the element type (0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit,
/// 0x0C 32-bit integer, 0x0D float, 0x0E double), the number of dimensions — then one 32-bit size
/// per dimension and the elements, big-endian, last index fastest. Images are 0x00000803 (N × rows
/// × columns bytes), labels 0x00000801 (N bytes).
public struct IDXFile: Sendable {
    /// The size of each dimension.
    public let shape: [Int]
    /// The elements as doubles, in file order.
    public let values: [Double]

    /// Reads an IDX file (`.idx`, `.idx.gz`, or any name: compression is recognised by content).
    public init(contentsOf path: String) throws {
        try self.init(data: try readFileData(path), source: path)
    }

    /// Parses IDX bytes; every inconsistency (a bad magic number, sizes that do not match the
    /// bytes, sizes too large to hold) is an ``InputError``, never a trap.
    public init(data: Data, source: String = "input") throws {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> InputError { InputError.invalid("\(source) is not an IDX file: \(why)") }
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else { throw fail("it does not start with two zero bytes") }
        let width: Int
        switch bytes[2] {
        case 0x08, 0x09: width = 1
        case 0x0B: width = 2
        case 0x0C, 0x0D: width = 4
        case 0x0E: width = 8
        default: throw fail(String(format: "unknown element type 0x%02x", bytes[2]))
        }
        let dims = Int(bytes[3])
        guard dims >= 1 else { throw fail("no dimensions") }
        guard bytes.count >= 4 + 4 * dims else { throw fail("the header is cut short") }
        var shape: [Int] = []
        var count = 1.0
        for d in 0..<dims {
            let o = 4 + 4 * d
            let size = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            // A zero size would describe an empty array with up to 2³² empty rows (found by fuzzing).
            guard size > 0 else { throw fail("dimension \(d + 1) has size 0") }
            shape.append(size)
            count *= Double(size)
        }
        let header = 4 + 4 * dims
        guard count * Double(width) == Double(bytes.count - header) else {
            throw fail("the sizes \(shape.map(String.init).joined(separator: " × ")) need \(formatNumber(count * Double(width))) bytes of data, the file has \(bytes.count - header)")
        }
        let n = Int(count)
        var values = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let o = header + k * width
            switch bytes[2] {
            case 0x08: values[k] = Double(bytes[o])
            case 0x09: values[k] = Double(Int8(bitPattern: bytes[o]))
            case 0x0B: values[k] = Double(Int16(bitPattern: UInt16(bytes[o]) << 8 | UInt16(bytes[o + 1])))
            case 0x0C, 0x0D:
                let bits = UInt32(bytes[o]) << 24 | UInt32(bytes[o + 1]) << 16 | UInt32(bytes[o + 2]) << 8 | UInt32(bytes[o + 3])
                values[k] = bytes[2] == 0x0C ? Double(Int32(bitPattern: bits)) : Double(Float(bitPattern: bits))
            default:
                var bits: UInt64 = 0
                for j in 0..<8 { bits = bits << 8 | UInt64(bytes[o + j]) }
                values[k] = Double(bitPattern: bits)
            }
        }
        self.shape = shape
        self.values = values
    }

    /// The data as rows: the first dimension indexes the rows, the others are flattened (an
    /// image of 28 × 28 pixels becomes a row of 784 values); a one-dimensional file gives rows of
    /// one value (labels).
    public var rows: [[Double]] {
        guard let n = shape.first, n > 0 else { return [] }
        let width = values.count / n
        return (0..<n).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }
}
