import CriticalityCore

/// One realisation of bond DP in 2+1 dimensions (the bcc lattice of
/// ``DirectedPercolationConfiguration``), 64 sites of a row to a word: the new site is
/// (s & B₁) | (s_x & B₂) | (s_y & B₃) | (s_xy & B₄), with s_x, s_y, s_xy the previous layer shifted
/// by one site in x, y and both, and B words of Bernoulli(p) bonds. Words whose four inputs are all
/// inactive draw no bonds, and only the rows the cluster has reached (and their neighbours) are
/// visited.
///
/// - Complexity: O(L S² / 64) words per realisation at most.
func runDirectedPercolation2D(_ config: DirectedPercolationConfiguration, key: StreamKey, recordField: Bool) -> LatticeTrace {
    let s = config.size, depth = config.depth
    let (words, lastBits, lastMask) = packedRow(sites: s)
    var random = Xoshiro256(key: key)
    var bonds = BernoulliBits(p: config.p)
    var disorder = TemporalDisorder(config, key: key)
    var current = [UInt64](repeating: 0, count: words * s)
    var next = current
    let seed = s / 2
    var rowLo: Int, rowHi: Int
    switch config.start {
    case .homogeneous:
        for y in 0..<s {
            for w in 0..<words { current[y * words + w] = ~0 }
            current[y * words + words - 1] &= lastMask
        }
        (rowLo, rowHi) = (0, s - 1)
    case .spreading:
        current[seed * words + seed / 64] = 1 << UInt64(seed % 64)
        (rowLo, rowHi) = (seed, seed)
    }
    var trace = LatticeTrace(depth: depth)
    var field = recordField ? LatticeField(latticeSites: s, depth: depth) : nil

    /// Site x + 1 (even steps) or x − 1 (odd steps) of row `base`, moved to bit x, periodically.
    @inline(__always) func shifted(_ row: [UInt64], _ base: Int, _ w: Int, even: Bool) -> UInt64 {
        if even {
            if w == words - 1 { return ((row[base + w] >> 1) | ((row[base] & 1) << UInt64(lastBits - 1))) & lastMask }
            return (row[base + w] >> 1) | (row[base + w + 1] << 63)
        }
        let previous = w == 0 ? (row[base + words - 1] >> UInt64(lastBits - 1)) & 1 : row[base + w - 1] >> 63
        return ((row[base + w] << 1) | previous) & (w == words - 1 ? lastMask : ~0)
    }

    for t in 0..<depth {
        if let p = disorder.next() { bonds = BernoulliBits(p: p) }
        let even = t % 2 == 0
        // Rows that can be active after this step; the range only grows, so rows outside it are
        // zero in both layers.
        let all = rowHi - rowLo + 3 >= s
        let first = all ? 0 : rowLo - 1, last = all ? s - 1 : rowHi + 1
        var count = 0, sum = 0.0
        var newLo = Int.max, newHi = Int.min
        for yy in first...last {
            let y = (yy % s + s) % s
            let other = even ? (y + 1) % s : (y - 1 + s) % s
            let here = y * words, there = other * words
            var rowActive = false
            for w in 0..<words {
                let a = current[here + w], b = shifted(current, here, w, even: even)
                let c = current[there + w], d = shifted(current, there, w, even: even)
                if a | b | c | d == 0 { next[here + w] = 0; continue }
                let b1 = bonds.next(using: &random), b2 = bonds.next(using: &random)
                let b3 = bonds.next(using: &random), b4 = bonds.next(using: &random)
                let value = ((a & b1) | (b & b2) | (c & b3) | (d & b4)) & (w == words - 1 ? lastMask : ~0)
                next[here + w] = value
                guard value != 0 else { continue }
                rowActive = true
                count += value.nonzeroBitCount
                var bitsLeft = value
                while bitsLeft != 0 {
                    let x = 64 * w + bitsLeft.trailingZeroBitCount
                    bitsLeft &= bitsLeft - 1
                    if config.start == .spreading {
                        let dx = periodicDistance(x - seed, s), dy = periodicDistance(y - seed, s)
                        sum += Double(dx * dx + dy * dy)
                    }
                    if y == seed { field?.record(layer: t + 1, site: x, 1) }
                }
            }
            if rowActive { newLo = min(newLo, yy); newHi = max(newHi, yy) }
        }
        let spreading = config.start == .spreading
        trace.record(layer: t + 1, rho: Double(count) / Double(s * s), active: count, spread: spreading ? sum : .nan)
        swap(&current, &next)
        if count == 0 {
            trace.fillAbsorbed(after: t + 1, spreading: spreading)
            break
        }
        if !all { rowLo = min(rowLo, newLo); rowHi = max(rowHi, newHi) }
    }
    trace.field = field
    return trace
}
