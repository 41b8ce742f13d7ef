import CriticalityCore
import Foundation
import Scaling

/// The demo's table of the paper's claims (docs/analysis.md, "The paper's claims"): each claim of
/// Tamai et al. with the finding of the tool's own best evidence — the demo's runs for the MLP,
/// the metric factors, finite-width scaling and the κL window, the shipped precision campaign for
/// the CNN (the demo's own CNN run is too small to decide: its realisations spread by e⁹ in ρ).
enum DemoClaims {
    /// The store of `examples/cnn-c8-scan.toml`, as a gzipped tar archive shipped with the package
    /// (data/evidence/README.md): the store, not its CSV export, because its per-block means give
    /// the block-bootstrap errors that `classify` uses on the store.
    static let cnnEvidence = "data/evidence/cnn-c8-scan.tar.gz"
    static let cnnEvidenceDescription = "examples/cnn-c8-scan.toml: 1D CNN, C = 8, K = 3, tanh, sigma_b = 0.3, S = 128, l <= 1000, 9 sigma_w x 8192 realisations"

    static let mlpClaim = "Critical MLPs are in the mean-field class (δ = 1)"
    static let cnnClaim = "Critical CNNs are in the directed-percolation class (1D: DP 1+1, δ = 0.1595)"

    static func claims(runs: [TrajectoryRun]?, depth: Int, mlp: DemoVerdicts.Classified?, cnn: DemoVerdicts.Classified?,
                       cnnEvidencePath: String, widthCollapse: DataCollapse?, training: PaperClaim?) -> [PaperClaim] {
        var claims: [PaperClaim] = []
        if let mlp {
            claims.append(.universality(id: "mlp-mean-field", claim: mlpClaim, expected: .meanField, verdict: mlp.verdict,
                                        measured: mlp.measured, source: "stores/mlp-critical (this run: tanh, n = 4096, 128 realisations, l <= 512)"))
        } else {
            claims.append(notMeasured("mlp-mean-field", mlpClaim, why: "the verdict runs were not run or failed"))
        }
        if let cnn {
            claims.append(.universality(id: "cnn-directed-percolation", claim: cnnClaim, expected: .dp1, verdict: cnn.verdict,
                                        measured: cnn.measured, source: "\(cnnEvidencePath) (\(cnnEvidenceDescription))"))
        } else {
            claims.append(notMeasured("cnn-directed-percolation", cnnClaim, why: "\(cnnEvidencePath) not found (run the demo from the package folder, or give --evidence FILE)"))
        }
        if let runs {
            claims.append(.metricFactorCollapse(values: runs.map { ($0.point.activation.rawValue, $0.kappaLRho(at: depth)) },
                                                depth: depth, source: "trajectories.csv (this run, mean field)"))
        } else {
            claims.append(notMeasured("metric-factor-collapse", "At criticality ρ(l) ≈ 1/(κ l): depth in units of 1/κ is universal", why: "the trajectories failed"))
        }
        if let c = widthCollapse {
            claims.append(.finiteWidthScaling(a: c.parameters[0], aError: c.errors[0], b: c.parameters[1], bError: c.errors[1],
                                              source: "finite_width.csv (this run)"))
        } else {
            claims.append(notMeasured("finite-width-scaling", "Finite-width MLPs at criticality collapse as ρ(l; n) = n^−1 F(l/n)", why: "the finite-width runs failed"))
        }
        claims.append(training ?? notMeasured("kappa-depth-window", "On the boundary the test error is a function of κL with a best window: criticality is necessary, not sufficient",
                                              why: "the training part was not run or failed"))
        return claims
    }

    /// Unpacks the shipped store `archive` (a tar.gz holding one folder) into `folder`/stores/evidence
    /// and returns the store's path; an earlier copy there is replaced.
    static func unpackEvidence(_ archive: String, into folder: String) throws -> String {
        let target = (folder as NSString).appendingPathComponent("stores/evidence")
        let store = (target as NSString).appendingPathComponent(((archive as NSString).lastPathComponent as NSString)
            .deletingPathExtension.replacingOccurrences(of: ".tar", with: ""))
        try? FileManager.default.removeItem(atPath: store)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar", "-xzf", URL(fileURLWithPath: archive).standardizedFileURL.path, "-C", target]
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw InputError.unreadable(path: archive, reason: "it is a tar archive and tar is not available")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: store) else {
            throw InputError.unreadable(path: archive, reason: "a damaged archive (tar exited with \(process.terminationStatus), or it holds no folder \((store as NSString).lastPathComponent))")
        }
        return store
    }

    static func notMeasured(_ id: String, _ claim: String, why: String) -> PaperClaim {
        PaperClaim(id: id, claim: claim, finding: .open, evidence: "not measured: \(why)", source: "")
    }

    /// The terminal table: the finding, the claim, then the deciding figure and its source.
    static func table(_ claims: [PaperClaim]) -> [String] {
        var lines = ["The paper's claims (Tamai et al., arXiv:2307.02284), as the tool's own best evidence finds them:"]
        for c in claims {
            lines.append("  " + c.finding.rawValue.uppercased().padding(toLength: 16, withPad: " ", startingAt: 0) + c.claim)
            lines.append(String(repeating: " ", count: 18) + c.evidence)
            if !c.source.isEmpty { lines.append(String(repeating: " ", count: 18) + "from " + c.source) }
        }
        lines.append("  (confirmed: agrees within its errors; not reproduced: excluded beyond 3 errors; open: not precise enough to decide)")
        return lines
    }

    /// The same as an HTML table for the top of the report.
    static func html(_ claims: [PaperClaim]) -> String {
        var s = "<h2>The paper's claims</h2>\n<p>Tamai et al., arXiv:2307.02284, as the tool's own best evidence finds them. "
        s += "<i>Confirmed</i>: agrees within its errors; <i>not reproduced</i>: excluded beyond 3 errors; <i>open</i>: not precise enough to decide.</p>\n"
        s += "<table><tr><th class=\"text\">claim</th><th class=\"text\">finding</th><th class=\"text\">deciding figure</th><th class=\"text\">from</th></tr>\n"
        for c in claims {
            let colour = switch c.finding {
            case .confirmed: "#e3f1e3"
            case .notReproduced: "#f8e0dc"
            case .open: "#fbf1e6"
            }
            s += "<tr><td class=\"text\">\(escape(c.claim))</td><td class=\"text\" style=\"background: \(colour)\"><b>\(c.finding.rawValue)</b></td>"
            s += "<td class=\"text\">\(escape(c.evidence))</td><td class=\"text note\">\(escape(c.source))</td></tr>\n"
        }
        return s + "</table>\n<h2>Verdicts of the demo's runs</h2>\n"
    }

    static func json(_ c: PaperClaim) -> JSONValue {
        .object(["id": .string(c.id), "claim": .string(c.claim), "finding": .string(c.finding.rawValue),
                 "evidence": .string(c.evidence), "source": .string(c.source)])
    }
}
