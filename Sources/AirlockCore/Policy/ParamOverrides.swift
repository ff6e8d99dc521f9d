import CEL
import YAMLSource

/// Run-time parameter overrides (`--param policy.key=value`, config files): each value is read as
/// YAML, so `--param registry-locality.registries=[a, b]` gives a list.
public struct ParamOverrides: Sendable {
    /// policy id → param name → value.
    public private(set) var values: [String: [String: CELValue]] = [:]
    /// The `params` of ValidatingAdmissionPolicies (`--param-file`), as a binding would supply them.
    public var admissionParams: CELValue = .null

    public init() {}

    /// Parses `policy.key=value`.
    public mutating func add(assignment: String) throws(Diagnostic) {
        guard let equals = assignment.firstIndex(of: "="),
              let dot = assignment[..<equals].firstIndex(of: ".") else {
            throw Diagnostic(kind: .configuration, message: "--param takes policy.key=value, got \"\(assignment)\"", location: nil)
        }
        let policy = String(assignment[..<dot])
        let key = String(assignment[assignment.index(after: dot)..<equals])
        let text = String(assignment[assignment.index(after: equals)...])
        let loaded = YAMLLoader().load(Array(text.utf8), file: "--param \(policy).\(key)")
        if let error = loaded.errors.first {
            throw Diagnostic(kind: .configuration, message: "--param \(policy).\(key): \(error.message)", location: nil)
        }
        // `null`, `~` and nothing at all are YAML's null, a document the loader skips.
        set(policy: policy, key: key, value: loaded.documents.first.map { CELValue(yaml: $0.root) } ?? .null)
    }

    public mutating func set(policy: String, key: String, value: CELValue) {
        values[policy, default: [:]][key] = value
    }

    /// The params of `policy`: its defaults with overrides applied. Overriding a param the policy
    /// does not declare is an error (a typo would otherwise be silently ignored).
    public func params(for policy: Policy) -> Result<CELValue, Diagnostic> {
        if policy.isAdmissionPolicy { return .success(admissionParams) }
        var merged: [String: CELValue] = [:]
        if let defaults = policy.params {
            for (key, value) in defaults.entries { merged[key.text ?? ""] = CELValue(yaml: value) }
        }
        for (key, value) in values[policy.id] ?? [:] {
            guard merged[key] != nil else {
                return .failure(Diagnostic(
                    kind: .configuration,
                    message: "policy \(policy.id) has no param \"\(key)\" (it has: \(merged.keys.sorted().joined(separator: ", ")))",
                    location: policy.location))
            }
            merged[key] = value
        }
        if policy.params == nil, merged.isEmpty { return .success(.null) }
        return .success(.map(merged))
    }
}
