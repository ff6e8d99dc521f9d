import CEL
import YAMLSource

/// Run-time parameter overrides (`--param policy.key=value`, config files): each value is read as
/// YAML, so `--param registry-locality.registries=[a, b]` gives a list.
public struct ParamOverrides: Sendable {
    /// Where an override was set, so that its errors name the flag or the config file's line
    /// rather than the policy it overrides.
    public enum Origin: Sendable, Hashable {
        /// `--param policy.key=value`, with the value as given.
        case flag(value: String)
        /// A config file: the positions of the param's key and of its value.
        case file(key: SourceSpan, value: SourceSpan)
    }

    /// One override: the value and where it was set (nil: not known, errors name the policy).
    public struct Override: Sendable {
        public var value: CELValue
        public var origin: Origin?
    }

    /// policy id → param name → override.
    public private(set) var values: [String: [String: Override]] = [:]
    /// The `params` of ValidatingAdmissionPolicies (`--param-file`), as a binding would supply them.
    public var admissionParams: CELValue = .null

    public init() {}

    /// Parses `policy.key=value`; the key follows the last dot, as a policy name may hold dots
    /// (`team.limits.max=3`) and a param name does not.
    public mutating func add(assignment: String) throws(Diagnostic) {
        guard let equals = assignment.firstIndex(of: "="),
              let dot = assignment[..<equals].lastIndex(of: ".") else {
            throw Diagnostic(kind: .configuration, message: "--param takes policy.key=value, got \"\(assignment)\"", location: nil)
        }
        let policy = String(assignment[..<dot])
        let key = String(assignment[assignment.index(after: dot)..<equals])
        let text = String(assignment[assignment.index(after: equals)...])
        let loaded = YAMLLoader().load(Array(text.utf8), file: "--param \(policy).\(key)")
        if let error = loaded.errors.first {
            throw Diagnostic(kind: .configuration, message: "--param \(policy).\(key): \(error.message)", location: nil)
        }
        guard loaded.documents.count <= 1 else {
            throw Diagnostic(kind: .configuration, message: "--param \(policy).\(key): the value holds \(loaded.documents.count) YAML documents, not one (a later one would be ignored)", location: nil)
        }
        // `null`, `~` and nothing at all are YAML's null, a document the loader skips.
        set(policy: policy, key: key, value: loaded.documents.first.map { CELValue(yaml: $0.root) } ?? .null, origin: .flag(value: text))
    }

    /// Reads a `--param-file`, whose one document is the `params` of ValidatingAdmissionPolicies;
    /// every problem (a second document included) is returned with its position.
    public mutating func setAdmissionParams(yaml bytes: [UInt8], file: String) -> [Diagnostic] {
        let (document, errors) = SingleDocument.read(YAMLLoader().load(bytes, file: file), file: file, what: "a --param-file")
        admissionParams = document.map { CELValue(yaml: $0.root) } ?? .null
        return errors
    }

    /// `--param a.b.c=v` is read as policy `a.b`, key `c`; when no policy of `known` is `a.b`
    /// but one is `a`, it is that policy's `b.c` (which the policy then says it has no param of,
    /// naming those it has).
    mutating func regroup(known: Set<String>) {
        for policy in values.keys where !known.contains(policy) {
            var prefix = Substring(policy)
            while let dot = prefix.lastIndex(of: ".") {
                prefix = prefix[..<dot]
                guard known.contains(String(prefix)) else { continue }
                let rest = policy.dropFirst(prefix.count + 1)
                for (key, override) in values.removeValue(forKey: policy) ?? [:] {
                    values[String(prefix), default: [:]][rest + "." + key] = override
                }
                break
            }
        }
    }

    public mutating func set(policy: String, key: String, value: CELValue, origin: Origin? = nil) {
        values[policy, default: [:]][key] = Override(value: value, origin: origin)
    }

    /// The params of `policy`: its defaults with overrides applied. Overriding a param the policy
    /// does not declare is an error (a typo would otherwise be silently ignored), and so is a
    /// value of another shape than the default's (a string for a list: the rule would fail on
    /// every object), or a list or map holding another kind than the default's elements all are
    /// (`[53, dns]` for strings); the error names the flag or the config file's position.
    /// A ValidatingAdmissionPolicy's params are the one document of `--param-file`, as a binding's
    /// paramRef would supply them: a `--param` or config override of one is an error, not ignored.
    public func params(for policy: Policy) -> Result<CELValue, Diagnostic> {
        let overrides = values[policy.id] ?? [:]
        if policy.isAdmissionPolicy {
            // A bound policy's params are its binding's: selected by its paramRef, else null.
            guard let key = overrides.keys.min(), let override = overrides[key] else { return .success(policy.binding == nil ? admissionParams : .null) }
            return .failure(Self.diagnostic(
                "policy \(policy.id) is a ValidatingAdmissionPolicy: its params are the document of --param-file, not params by key",
                of: override, key: key, in: policy, atValue: false))
        }
        var merged: [String: CELValue] = [:]
        if let defaults = policy.params {
            for (key, value) in defaults.entries { merged[key.text ?? ""] = CELValue(yaml: value) }
        }
        for key in overrides.keys.sorted() {
            guard let override = overrides[key] else { continue }
            func failure(_ message: String, atValue: Bool) -> Result<CELValue, Diagnostic> {
                .failure(Self.diagnostic(message, of: override, key: key, in: policy, atValue: atValue))
            }
            guard let defaultValue = merged[key] else {
                let known = merged.isEmpty ? "it has none" : "it has: " + merged.keys.sorted().joined(separator: ", ")
                return failure("policy \(policy.id) has no param \"\(key)\" (\(known))", atValue: false)
            }
            if let mismatch = ParamShape.mismatch(of: override.value, against: defaultValue) {
                return failure("param \(key) of policy \(policy.id) \(mismatch)", atValue: true)
            }
            merged[key] = override.value
        }
        if policy.params == nil, merged.isEmpty { return .success(.null) }
        return .success(.map(merged))
    }

    /// `policy`'s params with `overrides` but that of `key`, whose param keeps its default: what
    /// an expression failing with the run's params is tried again with, to tell whether that
    /// override is to blame. Nil when they cannot be made.
    static func params(of policy: Policy, overriddenBy overrides: [String: Override], but key: String) -> CELValue? {
        var others = ParamOverrides()
        for (other, override) in overrides where other != key { others.set(policy: policy.id, key: other, value: override.value) }
        return try? others.params(for: policy).get().materialized
    }

    /// The error `message` of an expression of `policy` that fails with the override of `key`
    /// (it reads only params, that one among them, or it compiles with the default): the
    /// override's fault, so it names the flag and its value, or is placed at the config file's
    /// value, rather than at the policy's expression.
    static func diagnostic(ofExpressionReading override: Override, key: String, in policy: Policy, _ message: String) -> Diagnostic {
        guard case .flag(let value)? = override.origin else {
            return diagnostic("param \(key) of policy \(policy.id): \(message)", of: override, key: key, in: policy, atValue: true)
        }
        return Diagnostic(kind: .configuration, message: "--param \(policy.id).\(key)=\(value): \(message)", location: nil)
    }

    /// An error about the override of `key` of `policy`, placed where the override was set.
    private static func diagnostic(_ message: String, of override: Override, key: String, in policy: Policy, atValue: Bool) -> Diagnostic {
        switch override.origin {
        case .flag?:
            Diagnostic(kind: .configuration, message: "--param \(policy.id).\(key): \(message)", location: nil)
        case .file(let keySpan, let valueSpan)?:
            Diagnostic(kind: .configuration, message: message, location: atValue ? valueSpan : keySpan)
        case nil:
            Diagnostic(kind: .configuration, message: message, location: policy.location)
        }
    }
}
