import CriticalityCore
import Foundation
@testable import Propagation
import Testing

/// Directed percolation with temporal disorder (docs/models.md, "Directed percolation with
/// temporal disorder"): one bond probability per time step for the whole lattice.
@Suite struct TemporalDisorderTests {
    func run(_ noise: Double, p: Double = DirectedPercolationConfiguration.criticalP, dim: Int = 1, size: Int = 512) -> LatticeSeries {
        var config = DirectedPercolationConfiguration(dim: dim, size: size, p: p, depth: 400, start: .homogeneous)
        config.pNoise = noise
        let c = config
        return LatticeSimulation.run(depth: c.depth, samples: 64, seed: 5, blockSize: 16, threads: 2, recordField: false) { key, _ in
            runDirectedPercolation(c, key: key, recordField: false)
        }
    }

    @Test("p_noise = 0 is plain DP; with noise the realisations spread far more, in 1+1 and 2+1")
    func spread() throws {
        var plain = DirectedPercolationConfiguration(size: 512, p: DirectedPercolationConfiguration.criticalP, depth: 400, start: .homogeneous)
        let key = StreamKey(seed: 5, realisation: 0)
        let a = runDirectedPercolation(plain, key: key, recordField: false)
        plain.pNoise = 0
        #expect(runDirectedPercolation(plain, key: key, recordField: false).rho == a.rho)
        for dim in [1, 2] {
            let p = DirectedPercolationConfiguration.critical(dim: dim), size = dim == 1 ? 512 : 64
            let clean = run(0, p: p, dim: dim, size: size), noisy = run(dim == 1 ? 0.1 : 0.05, p: p, dim: dim, size: size)
            let l = 399
            // A clean lattice self-averages (sd of ln ρ well below 1); a shared p_t moves every site together.
            #expect(clean.logRho[l].variance.squareRoot() < 0.5, "\(dim)D clean: \(clean.logRho[l].variance.squareRoot())")
            #expect(noisy.logRho[l].variance.squareRoot() > 2 * clean.logRho[l].variance.squareRoot(),
                    "\(dim)D: \(noisy.logRho[l].variance.squareRoot()) vs \(clean.logRho[l].variance.squareRoot())")
        }
        var bad = plain
        bad.pNoise = 2
        #expect(throws: PropagationError.self) { try bad.validate() }
    }

    @Test("the same numbers on any thread count")
    func reproducible() {
        let one = run(0.05)
        let two = LatticeSimulation.run(depth: 400, samples: 64, seed: 5, blockSize: 16, threads: 1, recordField: false) { key, _ in
            var d = DirectedPercolationConfiguration(size: 512, p: DirectedPercolationConfiguration.criticalP, depth: 400, start: .homogeneous)
            d.pNoise = 0.05
            return runDirectedPercolation(d, key: key, recordField: false)
        }
        #expect(one.rho.map(\.value) == two.rho.map(\.value))
    }

    @Test("binary law: p_t is p + X or p - X, about half each, held for K steps; bad hold refused")
    func binaryHold() throws {
        var config = DirectedPercolationConfiguration(size: 64, p: 0.68, depth: 100, start: .homogeneous)
        config.pNoise = 0.15
        config.pNoiseLaw = .binary
        config.pNoiseHold = 4
        var d = TemporalDisorder(config, key: StreamKey(seed: 3, realisation: 0))
        let values = (0..<4000).compactMap { _ in d.next() }
        #expect(Set(values.map { ($0 * 1000).rounded() }) == [530, 830])
        let high = values.filter { $0 > 0.68 }.count
        #expect(abs(Double(high) / 4000 - 0.5) < 0.05, "\(high)")
        for block in stride(from: 0, to: 4000, by: 4) { #expect(Set(values[block..<block + 4]).count == 1) }
        // A new value every step by default.
        config.pNoiseHold = 1
        var e = TemporalDisorder(config, key: StreamKey(seed: 3, realisation: 0))
        let steps = (0..<400).compactMap { _ in e.next() }
        #expect(zip(steps, steps.dropFirst()).contains { $0 != $1 })
        config.pNoiseHold = 0
        #expect(throws: PropagationError.self) { try config.validate() }
    }
}
