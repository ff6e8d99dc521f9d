/// Stable identities for findings, so that CI systems (GitHub code scanning, GitLab) recognise
/// the same problem across runs even when unrelated edits move it to another line.
public enum Fingerprint {
    /// The key under which SARIF `partialFingerprints` carries the value.
    public static let sarifKey = "airlockFingerprint/v1"

    /// SHA-256 (hex) of rule id, resource identity (apiVersion, kind, namespace, name; the file
    /// when there is no resource) and message. Line and column are deliberately left out.
    public static func base(of finding: Finding) -> String {
        let identity: String
        if let resource = finding.resource {
            identity = [resource.apiVersion, resource.kind, resource.namespace, resource.name]
                .joined(separator: "\u{1F}")
        } else {
            identity = finding.location?.file ?? ""
        }
        return FileDigest.sha256(of: Array(["airlock/v1", finding.ruleID, identity, finding.message].joined(separator: "\u{1E}").utf8))
    }

    /// Fingerprints for findings in report order: `base:n`, where `n` counts earlier findings with
    /// the same base (1 for the first), so identical findings stay distinct.
    public static func occurrences(of findings: [Finding]) -> [String] {
        var seen: [String: Int] = [:]
        return findings.map { finding in
            let base = base(of: finding)
            let count = (seen[base] ?? 0) + 1
            seen[base] = count
            return "\(base):\(count)"
        }
    }
}
