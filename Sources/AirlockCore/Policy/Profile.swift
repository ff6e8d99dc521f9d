import YAMLSource

/// A named selection of rules with its own `--fail-on` default, e.g. the `deploy` profile that
/// `airlock gate pre-deploy` runs. Defined in YAML (`kind: Profile`) in policies/profiles.yaml.
public struct Profile: Sendable {
    public var name: String
    public var description: String
    /// Rules of these categories run; empty means all categories.
    public var categories: [Category]
    /// Rules named here run too, whatever their category.
    public var rules: [String]
    public var failOn: Severity
    /// Whether a run needs the tier (`--tier`, or `global.tier` of the values): without it the
    /// rules that depend on it would not run, which a gate must not pass as a result.
    public var requiresTier = false

    /// Whether the profile selects `rule`.
    public func selects(_ rule: RuleDescriptor) -> Bool {
        (categories.isEmpty && rules.isEmpty) || categories.contains(rule.category) || rules.contains(rule.id)
    }

    /// The file of the built-in pack that holds the profiles.
    public static let builtinFile = "profiles.yaml"

    /// The profiles of the built-in pack.
    public static func builtin() -> (profiles: [Profile], errors: [Diagnostic]) {
        guard let file = BuiltinPack.files.first(where: { $0.path == builtinFile }) else { return ([], []) }
        return load(Array(file.contents.utf8), file: "builtin:policies/\(builtinFile)")
    }

    public static func load(_ bytes: [UInt8], file: String) -> (profiles: [Profile], errors: [Diagnostic]) {
        let loaded = YAMLLoader().load(bytes, file: file)
        var errors = loaded.errors.map { Diagnostic(kind: .policy, message: $0.message, location: SourceSpan(file: $0.file, line: $0.line, column: $0.column)) }
        var profiles: [Profile] = []
        for document in loaded.documents {
            var root = StrictMapping(document.root, path: "")
            guard root.string("apiVersion") == PolicyLoader.apiVersion, root.string("kind") == "Profile" else {
                errors.append(Diagnostic(kind: .policy, message: "not a profile: expected apiVersion \(PolicyLoader.apiVersion) kind Profile", location: document.root.span))
                continue
            }
            var metadata = root.mapping("metadata", required: true)
            let name = metadata?.string("name", required: true) ?? ""
            if var meta = metadata { root.absorb(&meta) }
            metadata = nil
            guard var spec = root.mapping("spec", required: true) else {
                errors += root.finish()
                continue
            }
            let description = spec.string("description") ?? ""
            var categories: [Category] = []
            for text in spec.strings("categories") {
                if let category = Category(rawValue: text) { categories.append(category) } else { spec.report("spec.categories: unknown category \"\(text)\"", at: spec.field("categories") ?? spec.node) }
            }
            let rules = spec.strings("rules")
            let failOn = spec.choice("failOn", as: Severity.self) ?? .low
            let requiresTier = spec.bool("requiresTier") ?? false
            root.absorb(&spec)
            let profileErrors = root.finish()
            errors += profileErrors
            if profileErrors.isEmpty {
                var profile = Profile(name: name, description: description, categories: categories, rules: rules, failOn: failOn)
                profile.requiresTier = requiresTier
                profiles.append(profile)
            }
        }
        return (profiles, errors)
    }
}
