import CEL
import YAMLSource

/// The run configuration file (`airlock.yaml` in the working folder, or `--config`): parameter
/// overrides, severity overrides and disabled rules. Flags given on the command line win.
///
/// ```yaml
/// apiVersion: airlock.dev/v1
/// kind: Config
/// spec:
///   params:
///     image-registry-allowed: {registries: ["registry.local:5000"]}
///   rules:
///     image-pinned: {severity: low}
///     tenant-budgetquota: {disabled: true}
/// ```
public enum ConfigFile {
    /// The file read when present and no `--config` is given.
    public static let defaultPath = "airlock.yaml"

    /// Reads `options.configFile`, or `airlock.yaml` when present and none is given, and applies
    /// it; every problem (an unreadable file included) is returned with its position.
    public static func load(into options: inout CheckOptions) -> [Diagnostic] {
        switch InputReader.readSettings(options.configFile, defaultPath: defaultPath, limit: options.limits.maxInputBytes) {
        case .failure(let error)?: return [error]
        case .success(let input)?: return apply(input.bytes, file: input.name, to: &options)
        case nil: return []
        }
    }

    /// Applies the file to `options` (a param already set there is kept); every problem is
    /// returned with its position.
    public static func apply(_ bytes: [UInt8], file: String, to options: inout CheckOptions) -> [Diagnostic] {
        var (document, errors) = SingleDocument.read(YAMLLoader().load(bytes, file: file), file: file, what: "a config file")
        guard let document else { return errors }
        var root = StrictMapping(document.root, path: "")
        let apiVersion = root.string("apiVersion", required: true)
        let kind = root.string("kind", required: true)
        if let apiVersion, let kind, apiVersion != PolicyLoader.apiVersion || kind != "Config" {
            root.report("not an airlock config: expected apiVersion \(PolicyLoader.apiVersion) kind Config, found apiVersion \(apiVersion) kind \(kind)", at: document.root)
        }
        if var spec = root.mapping("spec", required: true) {
            for (policy, entries) in entries(of: spec.field("params"), as: "spec.params", mapping: "policy ids to their params", in: &spec) {
                options.configuredRuleLocations[policy.text ?? ""] = options.configuredRuleLocations[policy.text ?? ""] ?? SourceSpan(policy)
                guard entries.kind == .mapping else {
                    spec.report("spec.params.\(policy.text ?? "") must map param names to values", at: entries)
                    continue
                }
                for (key, value) in entries.entries where options.params.values[policy.text ?? ""]?[key.text ?? ""] == nil {
                    options.params.set(
                        policy: policy.text ?? "", key: key.text ?? "", value: CELValue(yaml: value),
                        origin: .file(key: SourceSpan(key), value: SourceSpan(value)))
                }
            }
            for (rule, settings) in entries(of: spec.field("rules"), as: "spec.rules", mapping: "rule ids to settings", in: &spec) {
                let id = rule.text ?? ""
                options.configuredRuleLocations[id] = options.configuredRuleLocations[id] ?? SourceSpan(rule)
                var reader = StrictMapping(settings, path: "spec.rules.\(id)")
                if let severity = reader.choice("severity", as: Severity.self) { options.severities[id] = severity }
                if reader.bool("disabled") == true { options.disabledRules.insert(id) }
                spec.absorb(&reader)
            }
            root.absorb(&spec)
        }
        errors += root.finish().map { var error = $0; error.kind = .configuration; return error }
        return errors
    }

    /// The entries of `spec.params` or `spec.rules`; a list or a scalar there (`rules: [x]`) is
    /// an error at its place, not a section with nothing in it.
    private static func entries(of node: YAMLNode?, as path: String, mapping what: String, in spec: inout StrictMapping) -> [(key: YAMLNode, value: YAMLNode)] {
        guard let node else { return [] }
        guard node.kind == .mapping else {
            spec.report("\(path) must be a mapping of \(what)", at: node)
            return []
        }
        return node.entries
    }
}
