/// Stable identities for findings, so that CI systems (GitHub code scanning, GitLab) recognise
/// the same problem across runs even when unrelated edits move it to another line.
public enum Fingerprint {
    /// The key under which SARIF `partialFingerprints` carries the value.
    public static let sarifKey = "airlockFingerprint/v1"

    /// SHA-256 (hex) of rule id, resource identity (apiVersion, kind, namespace, name) and message.
    /// Line and column are deliberately left out, and so is the file: a finding with no resource (of
    /// the values, a bundle, the inventory as a whole) is known by its rule and message alone, so
    /// that renaming the export or bundle, or reordering the inputs (which moves an inventory
    /// rule's "first object" to another file), keeps its fingerprint. For a
    /// finding of an object a controller made (a Pod), the identity is the root controller's
    /// (an empty apiVersion, its kind, namespace and name) and the message is read as the
    /// controller's (`Finding.messageAsController`), so that the fingerprint outlives the object's
    /// generated name. The hashed text is `airlock/v1`, the rule id, the identity and the message
    /// with U+001E between them, the identity's parts with U+001F, gathered as UTF-8 without
    /// joining strings.
    public static func base(of finding: Finding) -> String {
        var text = Array("airlock/v1".utf8)
        text.append(0x1E)
        text.append(contentsOf: finding.ruleID.utf8)
        text.append(0x1E)
        if let controller = finding.controller {
            for (index, part) in ["", controller.kind, controller.namespace, controller.name].enumerated() {
                if index > 0 { text.append(0x1F) }
                text.append(contentsOf: part.utf8)
            }
        } else if let resource = finding.resource {
            for (index, part) in [resource.apiVersion, resource.kind, resource.namespace, resource.name].enumerated() {
                if index > 0 { text.append(0x1F) }
                text.append(contentsOf: part.utf8)
            }
        }
        text.append(0x1E)
        text.append(contentsOf: finding.messageAsController.utf8)
        return FileDigest.sha256(of: text)
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
