import Foundation
import Testing

/// The discontinuous control, `--activation sign`, as a user meets it (docs/models.md, "The
/// discontinuous control").
@Suite struct SignActivationCLITests {
    @Test("sign: the mean-field commands refuse it in one line, and so does a search at sigma_b = 0")
    func meanFieldRefuses() throws {
        for arguments in [["meanfield", "point", "--activation", "sign", "--sigma-w", "1", "--sigma-b", "0.3"],
                          ["meanfield", "critical", "--activation", "step", "--sigma-b", "0.3"],
                          ["find-critical", "cnn", "--activation", "sign", "--sigma-b", "0", "--quiet"]] {
            let r = try runCLI(arguments)
            #expect(r.status == 2 && r.stderrLines.count == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains("sign"), "\(r.stderr)")
        }
    }

    @Test("sign: the untied CNN reaches rho = 0 exactly below its transition and stays active above it")
    func absorbingTransition() throws {
        func run(_ sigmaW: String) throws -> (rho: Double, survival: Double) {
            let r = try runCLI(["simulate", "cnn", "--untied", "--activation", "sign", "--sigma-w", sigmaW, "--channels", "8",
                                "--size", "64", "--depth", "300", "--samples", "8"])
            #expect(r.status == 0, "\(r.stderr)")
            let t = parseCSV(r.stdout)
            let rho = try #require(t.header.firstIndex(of: "rho")), survival = try #require(t.header.firstIndex(of: "survival"))
            let last = try #require(t.rows.last)
            return (try #require(Double(last[rho])), try #require(Double(last[survival])))
        }
        // Measured at S = 256 (docs/models.md): absorbed by l = 100 at sigma_w = 0.1, rho ≈ 0.14 at 0.3.
        let below = try run("0.1"), above = try run("0.3")
        #expect(below.rho == 0 && below.survival == 0, "every realisation absorbed exactly: \(below)")
        #expect(above.survival == 1 && above.rho > 0.05, "every realisation active: \(above)")
    }
}
