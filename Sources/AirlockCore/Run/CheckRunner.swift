import CEL

/// One whole run: read inputs, load and compile policies, evaluate, and order the results.
/// Never throws: every problem becomes a diagnostic in the result, so every report shows it.
public enum CheckRunner {
    public static func run(_ options: CheckOptions) -> CheckResult {
        let discovered = InputDiscovery.expand(options.paths)
        let manifests = ManifestSet.load(
            discovered.sources, limits: options.limits,
            decoder: ManifestDecoder(defaultNamespace: options.defaultNamespace),
            allowEmpty: options.allowEmpty || !discovered.errors.isEmpty)
        var diagnostics = discovered.errors + manifests.diagnostics
        let compiled = compilePolicies(options, inventory: manifests.inventory)
        diagnostics += compiled.errors
        let engine = PolicyEngine(policies: compiled.policies, settings: options.settings)
        let outcome = engine.evaluate(manifests.inventory)
        diagnostics += outcome.diagnostics
        return CheckResult(
            rules: outcome.ruleRuns, findings: ResultOrdering.sorted(outcome.findings),
            diagnostics: ResultOrdering.sorted(diagnostics), artifacts: manifests.artifacts,
            failOn: options.failOn, failOnError: options.failOnError)
    }

    /// Loads the selected policies and compiles them against the run's inventory.
    public static func compilePolicies(_ options: CheckOptions, inventory: Inventory) -> (policies: [CompiledPolicy], errors: [Diagnostic]) {
        let loaded = PolicySource.load(paths: options.policyPaths, includeBuiltin: options.includeBuiltinPolicies)
        var errors = loaded.errors
        let compiler = PolicyCompiler(functions: InventoryFunctions.all(inventory))
        var compiled: [CompiledPolicy] = []
        for var policy in loaded.policies {
            if options.disabledRules.contains(policy.id) { continue }
            if let only = options.onlyRules, !only.contains(policy.id) { continue }
            if let severity = options.severities[policy.id] { policy.descriptor.severity = severity }
            switch options.params.params(for: policy) {
            case .failure(let error): errors.append(error)
            case .success(let params):
                switch compiler.compile(policy, params: params) {
                case .success(let program): compiled.append(program)
                case .failure(let list): errors += list.diagnostics
                }
            }
        }
        return (compiled.sorted { $0.descriptor.id < $1.descriptor.id }, errors)
    }
}

/// The one ordering of findings and diagnostics: by file, line, column, rule, resource, message.
public enum ResultOrdering {
    public static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.sorted { lhs, rhs in
            key(lhs.location, lhs.ruleID, lhs.resource, lhs.message) < key(rhs.location, rhs.ruleID, rhs.resource, rhs.message)
        }
    }

    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { lhs, rhs in
            key(lhs.location, lhs.ruleID ?? "", lhs.resource, lhs.message) < key(rhs.location, rhs.ruleID ?? "", rhs.resource, rhs.message)
        }
    }

    private static func key(_ location: SourceSpan?, _ rule: String, _ resource: ResourceRef?, _ message: String) -> SortKey {
        SortKey(file: location?.file ?? "", line: location?.line ?? 0, column: location?.column ?? 0, rule: rule, resource: resource?.qualifiedName ?? "", message: message)
    }

    private struct SortKey: Comparable {
        var file: String
        var line: Int
        var column: Int
        var rule: String
        var resource: String
        var message: String

        static func < (lhs: SortKey, rhs: SortKey) -> Bool {
            (lhs.file, lhs.line, lhs.column, lhs.rule, lhs.resource, lhs.message) < (rhs.file, rhs.line, rhs.column, rhs.rule, rhs.resource, rhs.message)
        }
    }
}
