import VectorBuiltins

/// A convolution over a periodic lattice in d = 1 or 2 dimensions with a centred K^d window, laid
/// out so that it runs as a register-blocked matrix product (docs/algorithms.md, "CNN layers"):
///
///     out[α, x] = Σ_β Σ_{k ∈ window} W[α, β, k] in[β, x + k]  (+ b[α])
///
/// Inputs live in halo-padded channel planes (``inputPlane``), so that every row of the im2col
/// matrix is a contiguous, shifted view of one plane and nothing is copied. The micro-kernel keeps a
/// 4 (output channels) × 12 (sites) block of accumulators in twelve 256-bit registers: per input
/// channel and window offset it loads three vectors of sites, broadcasts four weights and issues
/// twelve fused multiply-adds. Rows are padded to a multiple of 12 sites and output channels to a
/// multiple of 4 (zero weights), so the kernel never needs a remainder path; the padding is computed
/// and ignored.
///
/// - Complexity: O(P C_out C_in K^d) per call.
public struct PeriodicConvolution: Sendable {
    public static let siteBlock = 12
    public static let channelBlock = 4

    public let dim: Int
    public let size: Int
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: Int
    /// (K − 1)/2.
    public let radius: Int
    /// Sites per output row, rounded up to a multiple of ``siteBlock``.
    public let rowLength: Int
    /// Output rows: 1 (d = 1) or S (d = 2).
    public let rows: Int
    /// Doubles per padded input row: ``rowLength`` + 2 · radius.
    public let inputRowLength: Int
    /// Padded input rows: 1 (d = 1) or S + 2 · radius.
    public let inputRows: Int
    /// Output channels rounded up to a multiple of ``channelBlock``.
    public let paddedOutChannels: Int
    /// The K^d window offsets, in doubles, within a padded input plane.
    public let offsets: [Int]

    public init(dim: Int, size: Int, inChannels: Int, outChannels: Int, kernel: Int) {
        precondition((dim == 1 || dim == 2) && size >= 1 && kernel % 2 == 1 && kernel <= size)
        self.dim = dim
        self.size = size
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        radius = (kernel - 1) / 2
        rowLength = (size + Self.siteBlock - 1) / Self.siteBlock * Self.siteBlock
        rows = dim == 1 ? 1 : size
        inputRowLength = rowLength + 2 * radius
        inputRows = dim == 1 ? 1 : size + 2 * radius
        paddedOutChannels = (outChannels + Self.channelBlock - 1) / Self.channelBlock * Self.channelBlock
        var o: [Int] = []
        if dim == 1 {
            for kx in 0..<kernel { o.append(kx) }
        } else {
            for ky in 0..<kernel { for kx in 0..<kernel { o.append(ky * (rowLength + 2 * radius) + kx) } }
        }
        offsets = o
    }

    /// Doubles per padded input plane (one channel).
    public var inputPlane: Int { Self.planeStride(inputRows * inputRowLength) }
    /// Doubles per output plane (one channel, rows padded to ``rowLength``).
    public var outputPlane: Int { Self.planeStride(rows * rowLength) }

    /// `count` rounded up to an odd number of 64-byte cache lines, so that the same site of
    /// consecutive channel planes falls in different L1 sets (a stride near a multiple of 4 KiB would
    /// make the 4 × 12 kernel's input slice evict itself).
    static func planeStride(_ count: Int) -> Int {
        let lines = (count + 7) / 8
        return 8 * (lines % 2 == 0 ? lines + 1 : lines)
    }
    /// Doubles of the blocked weights: paddedOutChannels × inChannels × K^d.
    public var weightCount: Int { paddedOutChannels * inChannels * offsets.count }

    /// The index, within a padded input plane, of lattice site (x, y) (y = 0 for d = 1).
    @inlinable public func inputIndex(x: Int, y: Int = 0) -> Int {
        dim == 1 ? x + radius : (y + radius) * inputRowLength + x + radius
    }

    /// The index, within an output plane, of lattice site (x, y).
    @inlinable public func outputIndex(x: Int, y: Int = 0) -> Int { y * rowLength + x }

    /// The index of W[α, β, k] in the blocked weight layout [α/4][β][k][α mod 4].
    @inlinable public func weightIndex(out alpha: Int, in beta: Int, offset k: Int) -> Int {
        (((alpha / 4) * inChannels + beta) * offsets.count + k) * 4 + alpha % 4
    }

    /// Copies the periodic images into the halo (and zeros the row padding) of `planes` input planes.
    public func fillHalo(_ input: UnsafeMutablePointer<Double>, planes: Int) {
        let r = radius, s = size
        for c in 0..<planes {
            let plane = input + c * inputPlane
            for row in 0..<inputRows {
                // Interior rows of the padded plane hold lattice row y = row − r (d = 2).
                let line = plane + row * inputRowLength
                if dim == 2 && (row < r || row >= s + r) { continue }
                for k in 0..<r {
                    line[k] = line[r + s - r + k]      // sites −r … −1 ← S − r … S − 1
                    line[r + s + k] = line[r + k]      // sites S … S + r − 1 ← 0 … r − 1
                }
                for x in (2 * r + s)..<inputRowLength { line[x] = 0 }
            }
            if dim == 2 {
                for k in 0..<r {
                    (plane + k * inputRowLength).update(from: plane + (s + k) * inputRowLength, count: inputRowLength)
                    (plane + (s + r + k) * inputRowLength).update(from: plane + (r + k) * inputRowLength, count: inputRowLength)
                }
            }
        }
    }

    /// Sites per packed tile: the input slice of a tile (C_in · K^{d−1} rows of tile + 2r doubles)
    /// is copied into a contiguous buffer of at most 128 KiB, so that the micro-kernel's loads stay
    /// within a few pages and the L2 cache (in 1D with at most 32 input channels the planes are read
    /// in place instead; see ``apply(weights:bias:input:output:)``).
    public var tileSites: Int {
        let rowsPerChannel = dim == 1 ? 1 : kernel
        let fit = 16384 / max(1, inChannels * rowsPerChannel) - 2 * radius
        return min(rowLength, max(Self.siteBlock, fit / Self.siteBlock * Self.siteBlock))
    }

    /// out = W ∗ in (+ bias when given), over all output rows and blocks.
    public func apply(
        weights: UnsafePointer<Double>, bias: UnsafePointer<Double>?, input: UnsafePointer<Double>,
        output: UnsafeMutablePointer<Double>
    ) {
        // The micro-kernel is inlined with the kernel width as a constant for the usual widths, so
        // that its tap loop unrolls into straight-line loads and FMAs (measured for C = 16, K = 3:
        // 22 GFLOP/s with the width read at run time against 34 with it constant).
        switch kernel {
        case 1: applyTiles(weights: weights, bias: bias, input: input, output: output, taps: KernelWidth1.self)
        case 3: applyTiles(weights: weights, bias: bias, input: input, output: output, taps: KernelWidth3.self)
        case 5: applyTiles(weights: weights, bias: bias, input: input, output: output, taps: KernelWidth5.self)
        default: applyTiles(weights: weights, bias: bias, input: input, output: output, taps: AnyKernelWidth.self)
        }
    }

    /// ``apply(weights:bias:input:output:)`` specialised for a kernel width `W` (``AnyKernelWidth``
    /// reads ``kernel`` at run time).
    func applyTiles<W: KernelWidth>(
        weights: UnsafePointer<Double>, bias: UnsafePointer<Double>?, input: UnsafePointer<Double>,
        output: UnsafeMutablePointer<Double>, taps: W.Type
    ) {
        let taps = W.value ?? kernel
        let tile = tileSites
        let rowsPerChannel = dim == 1 ? 1 : kernel
        // Packed rows and planes are an odd number of cache lines long, so that the micro-kernel's
        // loads from consecutive channels fall in different L1 sets: with the natural length
        // (tile + 2r doubles, 16 bytes short of a whole number of lines) the rows of all channels
        // crowded into a few sets and the kernel ran at about 30 instead of about 40 GFLOP/s per core.
        let packedRow = rowsPerChannel == 1 ? tile + 2 * radius : Self.planeStride(tile + 2 * radius)
        let packedPlane = Self.planeStride(rowsPerChannel * packedRow)
        // In 1D with up to 32 input channels the kernel reads the channel planes in place: its loads
        // then touch one row in each of at most 32 planes (an odd number of cache lines apart), and
        // skipping the copy made the C = 8, 16 and 32 simulators 6, 4 and 3% faster. With 64
        // channels reading in place was 8% slower than packing (more pages per block).
        let inPlace = rowsPerChannel == 1 && inChannels <= 32
        let packed = UnsafeMutablePointer<Double>.allocate(capacity: inPlace ? 0 : inChannels * packedPlane)
        defer { packed.deallocate() }
        let blockWeights = inChannels * offsets.count * 4
        for row in 0..<rows {
            for t0 in stride(from: 0, to: rowLength, by: tile) {
                let width = min(tile, rowLength - t0)
                if !inPlace {
                    for beta in 0..<inChannels {
                        for ky in 0..<rowsPerChannel {
                            (packed + beta * packedPlane + ky * packedRow).update(
                                from: input + beta * inputPlane + (row + ky) * inputRowLength + t0, count: width + 2 * radius)
                        }
                    }
                }
                let source = inPlace ? input + row * inputRowLength + t0 : UnsafePointer(packed)
                let sourcePlane = inPlace ? inputPlane : packedPlane
                for x0 in stride(from: 0, to: width, by: Self.siteBlock) {
                    for block in 0..<(paddedOutChannels / 4) {
                        let out = output + block * 4 * outputPlane + row * rowLength + t0 + x0
                        let b: SIMD4<Double> = bias.map { UnsafeRawPointer($0 + 4 * block).loadUnaligned(as: SIMD4<Double>.self) } ?? .zero
                        Self.microKernel(weights: weights + block * blockWeights, input: source + x0, inputPlane: sourcePlane,
                                         inputRow: packedRow, inChannels: inChannels, rowsPerChannel: rowsPerChannel, taps: taps,
                                         output: out, outputPlane: outputPlane, bias: b)
                    }
                }
            }
        }
    }

    /// One 4 × 12 block: out[i][j] = bias[i] + Σ_β Σ_{ky, kx} w[β][ky K + kx][i] · in[β][ky][kx + j],
    /// walking the input and the weights by pointer increments.
    @inline(__always)
    static func microKernel(
        weights: UnsafePointer<Double>, input: UnsafePointer<Double>, inputPlane: Int, inputRow: Int, inChannels: Int,
        rowsPerChannel: Int, taps: Int, output: UnsafeMutablePointer<Double>, outputPlane: Int, bias: SIMD4<Double>
    ) {
        let zero = SIMD4<Double>.zero
        var c00 = zero, c01 = zero, c02 = zero, c10 = zero, c11 = zero, c12 = zero
        var c20 = zero, c21 = zero, c22 = zero, c30 = zero, c31 = zero, c32 = zero
        var w = weights
        var plane = UnsafeRawPointer(input)
        for _ in 0..<inChannels {
            var line = plane
            for _ in 0..<rowsPerChannel {
                for kx in 0..<taps {
                    let p = line + 8 &* kx
                    let v0 = p.loadUnaligned(as: SIMD4<Double>.self)
                    let v1 = p.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
                    let v2 = p.loadUnaligned(fromByteOffset: 64, as: SIMD4<Double>.self)
                    let w0 = SIMD4(repeating: w[0]), w1 = SIMD4(repeating: w[1])
                    let w2 = SIMD4(repeating: w[2]), w3 = SIMD4(repeating: w[3])
                    c00 = fusedMultiplyAdd(w0, v0, c00); c01 = fusedMultiplyAdd(w0, v1, c01); c02 = fusedMultiplyAdd(w0, v2, c02)
                    c10 = fusedMultiplyAdd(w1, v0, c10); c11 = fusedMultiplyAdd(w1, v1, c11); c12 = fusedMultiplyAdd(w1, v2, c12)
                    c20 = fusedMultiplyAdd(w2, v0, c20); c21 = fusedMultiplyAdd(w2, v1, c21); c22 = fusedMultiplyAdd(w2, v2, c22)
                    c30 = fusedMultiplyAdd(w3, v0, c30); c31 = fusedMultiplyAdd(w3, v1, c31); c32 = fusedMultiplyAdd(w3, v2, c32)
                    w += 4
                }
                line += 8 &* inputRow
            }
            plane += 8 &* inputPlane
        }
        @inline(__always) func store(_ row: Int, _ a: SIMD4<Double>, _ b: SIMD4<Double>, _ c: SIMD4<Double>) {
            let base = UnsafeMutableRawPointer(output + row * outputPlane)
            let shift = SIMD4(repeating: bias[row])
            base.storeBytes(of: a + shift, as: SIMD4<Double>.self)
            base.storeBytes(of: b + shift, toByteOffset: 32, as: SIMD4<Double>.self)
            base.storeBytes(of: c + shift, toByteOffset: 64, as: SIMD4<Double>.self)
        }
        store(0, c00, c01, c02); store(1, c10, c11, c12); store(2, c20, c21, c22); store(3, c30, c31, c32)
    }
}

/// A kernel width known to the compiler, so that the micro-kernel's tap loop unrolls.
protocol KernelWidth { static var value: Int? { get } }
enum KernelWidth1: KernelWidth { static var value: Int? { 1 } }
enum KernelWidth3: KernelWidth { static var value: Int? { 3 } }
enum KernelWidth5: KernelWidth { static var value: Int? { 5 } }
/// Any other width, read at run time.
enum AnyKernelWidth: KernelWidth { static var value: Int? { nil } }
