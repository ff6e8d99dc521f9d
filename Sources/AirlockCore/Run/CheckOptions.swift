import YAMLSource

/// Everything that decides a `check` run, gathered from flags and the config file.
public struct CheckOptions: Sendable {
    public var paths: [String] = []
    public var defaultNamespace = "default"
    public var allowEmpty = false
    public var limits = YAMLLimits()
    /// Helm values files, merged in order (`--values`).
    public var valuesFiles: [String] = []
    public var policyPaths: [String] = []
    public var includeBuiltinPolicies = true
    /// The config file (`--config`); `airlock.yaml` is used when present and none is given.
    /// Its params apply under those already set (flags win).
    public var configFile: String?
    public var params = ParamOverrides()
    /// Rule ids to leave out.
    public var disabledRules: Set<String> = []
    /// Severity overrides by rule id.
    public var severities: [String: Severity] = [:]
    /// Where the config file first names each rule id it sets (a key of `spec.params` or
    /// `spec.rules`), so that an id no policy defines is an error at its place.
    public var configuredRuleLocations: [String: SourceSpan] = [:]
    /// Only the rules this profile selects run, when set.
    public var profile: Profile?
    public var settings = EvaluationSettings()
    /// The exceptions file; `.airlock-exceptions.yaml` is used when present and none is given.
    public var exceptionsFile: String?
    /// Findings recorded by `--write-baseline` to report as suppressed.
    public var baselineFile: String?
    /// `YYYY-MM-DD` that exception expiry is judged against (`--now`; today otherwise).
    public var today: String?
    public var failOn: Severity = .low
    /// Whether the findings of ReplicaSets and Pods fold into their controller's (see ``OwnedObjectFolding``).
    public var foldOwned = true
    public var failOnError = true
    /// Domain packages to check (folders or tarballs holding package.yaml).
    public var packagePaths: [String] = []
    /// Air-gap bundles to check (folders or tarballs holding manifest.yaml).
    public var bundlePaths: [String] = []
    /// Registry folder holding index.yaml (`--registry`), bound as `registry`.
    public var registryFolder: String?
    /// PEM public key file that bundle signatures are verified with (`--key`).
    public var publicKeyFile: String?
    public var bundleLimits = BundleLimits()

    public init() {}
}
