import CriticalityCore
import Foundation
import FuzzDriver

// The IDX reader (MNIST's images and labels): any bytes are rejected or read, never a trap.
runFuzzer { data, size in
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    if let file = try? IDXFile(data: bytes) { _ = file.rows.count }
    return 0
}
