import CEL

/// The packages and bundles of a run, read into facts, with what their policies may consult.
public struct ArtifactInputs: Sendable {
    public var packages: [PackageFacts]
    public var bundles: [BundleFacts]
    /// The registry of `--registry`, bound as `registry` (else `null`).
    public var registry: PackageRegistryIndex?
    /// Whether `--key` was given, so signatures were verified (`bundle.keyGiven`).
    public var keyGiven: Bool

    public init(packages: [PackageFacts] = [], bundles: [BundleFacts] = [], registry: PackageRegistryIndex? = nil, keyGiven: Bool = false) {
        self.packages = packages
        self.bundles = bundles
        self.registry = registry
        self.keyGiven = keyGiven
    }

    public var isEmpty: Bool { packages.isEmpty && bundles.isEmpty }

    /// Everything that could not be read: the result cannot be trusted.
    public var diagnostics: [Diagnostic] {
        packages.flatMap(\.diagnostics) + bundles.flatMap(\.diagnostics) + (registry?.diagnostics ?? [])
    }
}

extension PolicyEngine {
    /// Evaluates `target: package` policies once per package and `target: bundle` policies once
    /// per bundle, with `object` bound to the same value as `package` or `bundle`, and `target:
    /// values` policies once per tier values file of a bundle (as the tier it is installed at:
    /// `BundleTierValues.tier(bundleTier:)`); adds the results to `outcome` (whose rule runs are in this engine's policy order).
    public func evaluate(_ artifacts: ArtifactInputs, into outcome: inout Outcome) {
        guard !artifacts.isEmpty else { return }
        let registry = artifacts.registry?.celValue ?? .null
        // `manifestProblem`: why a bundle's manifest is not known, so the policies reading it skip it.
        var subjects: [(target: Policy.Target, label: String, subject: Subject, engine: PolicyEngine, manifestProblem: String?)] = []
        var notEvaluated: [Policy.Target: [CheckResult.RuleRun.Skip]] = [:]
        for package in artifacts.packages where package.wasRead {
            if let reason = package.notEvaluatedReason {
                notEvaluated[.package, default: []].append(.init(subject: package.source, reason: reason))
                continue
            }
            let value = package.celValue(registry: artifacts.registry)
            subjects.append((.package, package.source, .artifact(["object": value, "package": value, "bundle": .null, "registry": registry]), self, nil))
        }
        for bundle in artifacts.bundles where bundle.wasRead {
            if let reason = bundle.notEvaluatedReason {
                notEvaluated[.bundle, default: []].append(.init(subject: bundle.source, reason: reason))
                continue
            }
            let value = bundle.celValue(keyGiven: artifacts.keyGiven)
            subjects.append((.bundle, bundle.source, .artifact(["object": value, "bundle": value, "package": .null, "registry": registry]), self, bundle.manifestProblem))
            for tierValues in bundle.tierValues {
                var valuesSettings = settings
                valuesSettings.values = tierValues.values.celValue
                valuesSettings.tier = tierValues.tier(bundleTier: bundle.tier)
                subjects.append((.values, tierValues.displayName, .values, PolicyEngine(policies: policies, settings: valuesSettings), nil))
            }
        }
        // A tier file outside the charts is evaluated once per chart: what it sets itself is found
        // once, not once per chart.
        var reported: Set<Finding> = []
        var reportedErrors: Set<Diagnostic> = []
        for (index, policy) in policies.enumerated() {
            var skipped = notEvaluated[policy.policy.target, default: []]
            for subject in subjects where subject.target == policy.policy.target {
                if let problem = subject.manifestProblem, policy.readsBundleManifest {
                    skipped.append(.init(subject: subject.label, reason: problem))
                    continue
                }
                var chunk = ChunkOutcome(policyCount: 0)
                let activation = PolicyActivation(costLimit: subject.engine.settings.costLimit)
                let evaluated = subject.engine.evaluate(policy, index: index, subject: subject.subject, activation: activation, into: &chunk)
                outcome.findings += chunk.findings.filter { reported.insert($0).inserted }
                outcome.diagnostics += chunk.diagnostics.filter { reportedErrors.insert($0).inserted }
                if evaluated, index < outcome.ruleRuns.count {
                    outcome.ruleRuns[index].evaluated = EvaluatedObjects(Set(outcome.ruleRuns[index].evaluated + [subject.label]).sorted())
                }
            }
            // A package or bundle not read whole, or a bundle whose manifest is not known for a
            // rule that reads it, is not evaluated: say so rather than pass, for the rule as a
            // whole when it evaluated nothing else.
            guard !skipped.isEmpty, index < outcome.ruleRuns.count, outcome.ruleRuns[index].notRun == nil else { continue }
            if outcome.ruleRuns[index].evaluated.isEmpty {
                outcome.ruleRuns[index].notRun = skipped.map(\.reason).joined(separator: "; ")
            } else {
                outcome.ruleRuns[index].skipped = skipped
            }
        }
    }
}
