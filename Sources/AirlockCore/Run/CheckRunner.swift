import CEL
import Foundation

/// One whole run: read inputs, load and compile policies, evaluate, and order the results.
/// Never throws: every problem becomes a diagnostic in the result, so every report shows it.
public enum CheckRunner {
    public static func run(_ options: CheckOptions) -> CheckResult {
        var options = options
        let configErrors = ConfigFile.load(into: &options)
        let hasArtifacts = !options.packagePaths.isEmpty || !options.bundlePaths.isEmpty
        let discovered = InputDiscovery.expand(options.paths)
        let manifests = ManifestSet.load(
            discovered.sources, limits: options.limits,
            decoder: ManifestDecoder(defaultNamespace: options.defaultNamespace),
            allowEmpty: options.allowEmpty || !discovered.errors.isEmpty || (options.paths.isEmpty && hasArtifacts))
        var diagnostics = configErrors + discovered.errors + manifests.diagnostics
        var inputFiles = manifests.artifacts
        var settings = options.settings
        if !options.valuesFiles.isEmpty {
            let loaded = HelmValues.load(files: options.valuesFiles, limits: options.limits)
            diagnostics += loaded.errors
            inputFiles += loaded.artifacts
            if !loaded.errors.isEmpty {
                settings.unreadValues = "the values files could not be read, or not used together (see the errors)"
            } else {
                settings.values = loaded.values.celValue
                if settings.tier == nil, let named = loaded.values.namedTier {
                    settings.tier = named.rawValue
                } else if settings.tier == nil {
                    settings.tier = loaded.values.declaredTier
                    if let error = loaded.values.unknownTierError { diagnostics.append(error) }
                }
            }
        }
        if let profile = options.profile, profile.requiresTier, settings.tier == nil, settings.unreadValues == nil {
            diagnostics.append(Diagnostic(
                kind: .input,
                message: "the \(profile.name) profile needs the tier the platform is deployed at: give --tier (edge, datacenter or connected) or the tier's values file (global.tier); without it the rules that depend on the tier would not run",
                location: nil))
        }
        let artifacts = readArtifacts(options)
        diagnostics += artifacts.diagnostics
        for package in artifacts.inputs.packages { if let digest = package.summary?.sourceSHA256 { inputFiles.append(.init(path: package.source, sha256: digest)) } }
        for bundle in artifacts.inputs.bundles { if let digest = bundle.archiveSHA256 { inputFiles.append(.init(path: bundle.source, sha256: digest)) } }
        let inventory = combinedInventory(manifests, adding: artifacts.inputs.bundles.flatMap(\.objects), diagnostics: &diagnostics)
        settings.costLimit = settings.costLimit(forObjects: inventory.count)
        let subjects = settings.unreadValues == nil
            ? RunSubjects(inventory: inventory, settings: settings, hasPackages: !artifacts.inputs.packages.isEmpty, hasBundles: !artifacts.inputs.bundles.isEmpty)
            : nil
        let compiled = compilePolicies(options, inventory: inventory, subjects: subjects)
        diagnostics += compiled.errors + unchecked(options, manifestFiles: { filesWithObjects(manifests) }, policies: compiled.policies)
        // A bundle is built by others: its objects' annotations accept no risk of their own.
        let bundleDocuments = Set(artifacts.inputs.bundles.flatMap(\.objects).map { ObjectIdentifier($0.node.document) })
        // The accepted risks do not depend on the findings: they are read while the rules run.
        let readingExceptions = BackgroundTask { [options] in exceptionPolicy(options, inventory: inventory, ignoringAnnotationsIn: bundleDocuments) }
        let engine = PolicyEngine(policies: compiled.policies, settings: settings)
        var outcome = engine.evaluate(inventory)
        engine.evaluate(artifacts.inputs, into: &outcome)
        noteRulesMatchingNothing(&outcome.ruleRuns, policies: compiled.policies, inventory: inventory)
        let kindNotes = misspeltKindNotes(outcome.ruleRuns, policies: compiled.policies, inventory: inventory)
        diagnostics += outcome.diagnostics
        if diagnostics.isEmpty, let error = noRuleRan(outcome.ruleRuns) { diagnostics.append(error) }
        let exceptions = readingExceptions.value
        diagnostics += exceptions.errors
        if let file = exceptions.file { inputFiles.append(file) }
        // Each finding knows its object's controller: fingerprints (the baseline's too) name it.
        let notRun = Set(outcome.ruleRuns.filter { $0.notRun != nil }.map(\.rule.id))
        // A rule of inputs the run did not read (the manifests' rules in a package's run, which
        // reads the shared .airlock-exceptions.yaml too) made no finding an exception could
        // match: its exceptions are not judged, as those of a rule that did not run.
        let judged = compiled.policies.filter { subjects?.hasInputs(for: $0.policy.target) ?? true }.map(\.policy.id)
        let applied = exceptions.policy.apply(
            to: ControllerChain(inventory: inventory).assigningControllers(to: outcome.findings),
            rules: Set(judged).subtracting(notRun), known: compiled.known)
        return CheckResult(
            rules: outcome.ruleRuns + applied.extraRules,
            findings: options.foldOwned ? OwnedObjectFolding.fold(applied.findings, inventory: inventory) : applied.findings,
            diagnostics: diagnostics, artifacts: inputFiles,
            failOn: options.failOn, failOnError: options.failOnError,
            notes: discovered.skippedFolders.map(InputDiscovery.skippedFolderNote) + manifests.emptyFiles.map(ManifestSet.emptyFileNote) + compiled.notes + kindNotes,
            namesEscapingBytes: Set(discovered.sources.compactMap(\.nameEscapingBytes)))
    }

    /// Notes each rule of the user's policies (not of the built-in pack, many of whose rules
    /// apply to nothing in a given input) that evaluated none of the objects read, with why: a
    /// misspelt kind (`Deploymnet`) would otherwise pass the run as if Deployments were checked.
    /// The run's verdict stays the same: a rule may as well be meant for objects this input lacks.
    /// A values rule in a run without values is noted too: it passed in silence.
    static func noteRulesMatchingNothing(_ runs: inout [CheckResult.RuleRun], policies: [CompiledPolicy], inventory: Inventory) {
        let noted: Set<Policy.Target> = inventory.count > 0 ? [.resource, .values] : [.values]
        let userPolicies = Dictionary(policies.lazy.filter { !$0.policy.isBuiltin && noted.contains($0.policy.target) }.map { ($0.policy.id, $0.policy) }) { first, _ in first }
        for index in runs.indices where runs[index].notRun == nil && runs[index].evaluated.isEmpty {
            guard let policy = userPolicies[runs[index].rule.id] else { continue }
            runs[index].matchedNothing = policy.target == .values
                ? "it checks Helm values, and this run read none (give them with --values)"
                : MatchedNothing.reason(for: policy, in: inventory)
        }
    }

    /// A note for each rule of the user's policies that evaluated objects while one of its
    /// `kinds`, or a kind it looks up, looks misspelt (see ``MatchedNothing``); a rule that
    /// evaluated none has the hint on its kinds in its `matchedNothing` already.
    static func misspeltKindNotes(_ runs: [CheckResult.RuleRun], policies: [CompiledPolicy], inventory: Inventory) -> [String] {
        let evaluating = Set(runs.filter { !$0.evaluated.isEmpty }.map(\.rule.id))
        return policies.flatMap { compiled -> [String] in
            guard !compiled.policy.isBuiltin, compiled.policy.target == .resource, evaluating.contains(compiled.policy.id) else { return [] }
            return [MatchedNothing.misspeltKindsNote(for: compiled.policy, in: inventory), MatchedNothing.misspeltLookupsNote(for: compiled, in: inventory)]
                .compactMap { $0 }
        }
    }

    /// An error when every rule of the run was loaded but none could run (each is noted with its
    /// reason: no tier was given, its resource rules apply only to DELETE): nothing was checked.
    static func noRuleRan(_ runs: [CheckResult.RuleRun]) -> Diagnostic? {
        guard !runs.isEmpty, runs.allSatisfy({ $0.notRun != nil }) else { return nil }
        let which = runs.count == 1 ? "the only rule of this run did not run" : "none of the \(runs.count) rules of this run ran"
        return Diagnostic(kind: .policy, message: "no rule to run: \(which) (each report says why)", location: nil)
    }

    /// An error for each manifest file, package or bundle that no rule of the run reads (a
    /// folder with a `package.yaml` given to `gate pre-deploy`, whose profile runs no package
    /// rule; manifests given to `gate pre-deploy --profile verify`, which runs bundle rules
    /// alone): it would pass unread. `manifestFiles` is asked only when no rule reads manifests.
    static func unchecked(_ options: CheckOptions, manifestFiles: () -> [String], policies: [CompiledPolicy]) -> [Diagnostic] {
        let targets = Set(policies.map(\.policy.target))
        let scope = options.profile.map { "the \($0.name) profile runs none" } ?? "none is loaded"
        let manifests = !targets.isDisjoint(with: [.resource, .inventory]) ? [] : manifestFiles().map { path in
            Diagnostic(
                kind: .input, message: "read as manifests, and no rule of this run checks manifests (\(scope)): check them with `airlock check`, or `airlock gate pre-deploy` and its deploy profile",
                location: SourceSpan(file: path, line: 1, column: 1))
        }
        let packages = targets.contains(.package) ? [] : options.packagePaths.map { path in
            Diagnostic(
                kind: .input, message: "read as a domain package (it holds package.yaml), and no rule of this run checks packages (\(scope)): check it with `airlock gate pre-publish`, or give the rendered manifests instead",
                location: SourceSpan(file: path, line: 1, column: 1))
        }
        let bundles = targets.contains(.bundle) ? [] : options.bundlePaths.map { path in
            Diagnostic(
                kind: .input, message: "read as an air-gap bundle, and no rule of this run checks bundles (\(scope))",
                location: SourceSpan(file: path, line: 1, column: 1))
        }
        return manifests + packages + bundles
    }

    /// The manifest files that hold an object, in the order they were read (an empty standard
    /// input, with `--allow-empty`, holds nothing to check).
    private static func filesWithObjects(_ manifests: ManifestSet) -> [String] {
        let holding = Set(manifests.inventory.resources.map(\.node.document.file))
        return manifests.artifacts.map(\.path).filter(holding.contains)
    }

    /// The inventory of the manifests and `objects` (those of the bundles' manifests), with an
    /// error for each object defined more than once across them, which replaces the manifests'
    /// own (whose count left the bundle's copies out).
    private static func combinedInventory(_ manifests: ManifestSet, adding objects: [Resource], diagnostics: inout [Diagnostic]) -> Inventory {
        guard !objects.isEmpty else { return manifests.inventory }
        let combined = CrossDocumentChecks.inventory(of: manifests.inventory.resources + objects)
        let manifestsCopies = Set(manifests.diagnostics.filter { $0.firstDefinition != nil })
        diagnostics = diagnostics.filter { !manifestsCopies.contains($0) } + combined.errors
        return combined.inventory
    }

    /// Reads the run's packages, bundles, registry and key into facts.
    static func readArtifacts(_ options: CheckOptions) -> (inputs: ArtifactInputs, diagnostics: [Diagnostic]) {
        var read = BundleReadOptions(limits: options.bundleLimits, decoder: ManifestDecoder(defaultNamespace: options.defaultNamespace))
        var diagnostics: [Diagnostic] = []
        if let keyFile = options.publicKeyFile {
            do {
                read.publicKeyPEM = String(decoding: try FileDigest.readSmallFile(keyFile, limit: 64 << 10), as: UTF8.self)
                read.publicKeyFile = keyFile
            } catch {
                diagnostics.append(Diagnostic(kind: .configuration, message: "cannot read the public key: \(error)", location: SourceSpan(file: keyFile, line: 1, column: 1)))
            }
        }
        var inputs = ArtifactInputs(keyGiven: read.publicKeyPEM != nil)
        inputs.packages = options.packagePaths.map { PackageFacts.read($0, options: read) }
        inputs.bundles = options.bundlePaths.map { BundleFacts.read($0, options: read) }
        inputs.registry = options.registryFolder.map { PackageRegistryIndex.load(folder: $0, limits: options.bundleLimits) }
        return (inputs, diagnostics + inputs.diagnostics)
    }

    /// The default exceptions file, used when present.
    public static let defaultExceptionsFile = ".airlock-exceptions.yaml"

    /// Gathers accepted risks from the exceptions file, inline annotations (unless forbidden; not
    /// those of objects of `bundleDocuments`) and the baseline; `file` is the exceptions file read,
    /// an artifact of the run as the findings about its entries point at it.
    static func exceptionPolicy(
        _ options: CheckOptions, inventory: Inventory, ignoringAnnotationsIn bundleDocuments: Set<ObjectIdentifier> = []
    ) -> (policy: ExceptionPolicy, errors: [Diagnostic], file: CheckResult.Artifact?) {
        var risks: [AcceptedRisk] = []
        var file: CheckResult.Artifact?
        var errors: [Diagnostic] = []
        switch InputReader.readSettings(options.exceptionsFile, defaultPath: defaultExceptionsFile, limit: options.limits.maxInputBytes) {
        case .failure(let error)?: errors.append(error)
        case .success(let input)?:
            let loaded = ExceptionsFile.load(input.bytes, file: input.name)
            file = CheckResult.Artifact(path: input.name, sha256: FileDigest.sha256(of: input.bytes))
            risks += loaded.risks
            errors += loaded.errors
        case nil: break
        }
        if options.settings.allowInlineExceptions {
            for resource in inventory.resources where !bundleDocuments.contains(ObjectIdentifier(resource.node.document)) {
                let inline = InlineException.risks(of: resource)
                risks += inline.risks
                errors += inline.errors
            }
        }
        var baseline: Baseline?
        if let path = options.baselineFile {
            switch Baseline.load(path, limit: options.limits.maxInputBytes) {
            case .success(let loaded): baseline = loaded
            case .failure(let error): errors.append(error)
            }
        }
        return (ExceptionPolicy(risks: risks, baseline: baseline, today: options.today ?? Self.today()), errors, file)
    }

    /// Today's date in UTC as `YYYY-MM-DD`.
    static func today() -> String { UTCDateTime(Date()).date }

    /// The error for a rule id the configuration names and no loaded policy defines: at the
    /// config file's key, else naming the `--param` flag, with the ids it may have meant.
    private static func unknownRule(_ id: String, known: Set<String>, options: CheckOptions, params: ParamOverrides) -> Diagnostic {
        let hint = NameSuggestion.hint(for: id, among: known)
        if let location = options.configuredRuleLocations[id] {
            return Diagnostic(kind: .configuration, message: "the config file names rule \(id), which no loaded policy defines" + hint, location: location)
        }
        if let key = params.values[id]?.filter({ if case .flag? = $0.value.origin { true } else { false } }).keys.min() {
            return Diagnostic(kind: .configuration, message: "--param \(id).\(key) names rule \(id), which no loaded policy defines" + hint, location: nil)
        }
        return Diagnostic(kind: .configuration, message: "the configuration (config file or --param) names rule \(id), which no loaded policy defines" + hint, location: nil)
    }

    /// Loads the selected policies and compiles them against the run's inventory; with
    /// `subjects`, a built-in rule the run evaluates on nothing is only described (see
    /// ``RunSubjects``); `known` holds the ids of every policy loaded, selected or not; `notes`
    /// what loading noted (a Kyverno PolicyException beside the policies is not applied).
    public static func compilePolicies(
        _ options: CheckOptions, inventory: Inventory, subjects: RunSubjects? = nil
    ) -> (policies: [CompiledPolicy], errors: [Diagnostic], known: Set<String>, notes: [String]) {
        let loaded = PolicySource.load(paths: options.policyPaths, includeBuiltin: options.includeBuiltinPolicies, limit: options.limits.maxInputBytes)
        var errors = loaded.errors
        let compiler = PolicyCompiler(inventory: inventory)
        let known = Set(loaded.policies.map(\.id))
        var params = options.params
        params.regroup(known: known)
        for id in options.disabledRules.union(options.severities.keys).union(params.values.keys).subtracting(known).sorted() {
            errors.append(unknownRule(id, known: known, options: options, params: params))
        }
        var selected: [(policy: Policy, params: CELValue)] = []
        for var policy in loaded.policies {
            if options.disabledRules.contains(policy.id) { continue }
            if let profile = options.profile, !profile.selects(policy.descriptor) { continue }
            if let severity = options.severities[policy.id] {
                // The configured severity is that of every finding, a validation's own included.
                policy.descriptor.severity = severity
                for index in policy.validations.indices { policy.validations[index].severity = nil }
            }
            switch params.params(for: policy) {
            case .failure(let error): errors.append(error)
            case .success(let params): selected.append((policy, params))
            }
        }
        // A run without rules would pass anything: it cannot be trusted.
        if selected.isEmpty, errors.isEmpty {
            let reason = loaded.policies.isEmpty
                ? (options.includeBuiltinPolicies ? "no policy is loaded" : "no policy is loaded (--no-builtin, and no --policies holds one)")
                : "the configuration or the profile leaves out all \(loaded.policies.count) loaded rules"
            errors.append(Diagnostic(kind: .policy, message: "no rule to run: \(reason)", location: nil))
        }
        // Policies compile independently: on every core, on the threads that compile expressions.
        let toCompile = selected
        let overrides = params.values
        let givenParams = Set(overrides.keys)
        let results = ResultSlots<Result<CompiledPolicy, DiagnosticList>>(count: toCompile.count)
        CompilerThread.concurrentPerform(iterations: toCompile.count) { index in
            let (policy, policyParams) = toCompile[index]
            if let subjects, policy.isBuiltin, !givenParams.contains(policy.id), !subjects.mayEvaluate(policy) {
                results[index] = .success(CompiledPolicy(evaluatingNothing: policy, params: policyParams))
            } else {
                results[index] = compiler.compile(policy, params: policyParams, overrides: overrides[policy.id] ?? [:])
            }
        }
        var compiled: [CompiledPolicy] = []
        for result in results.values {
            switch result {
            case .success(let program): compiled.append(program)
            case .failure(let list): errors += list.diagnostics
            }
        }
        let unboundParams = selected.compactMap { policy, params -> String? in
            guard let kind = policy.paramKind, case .null = params, policy.binding?.paramRef == nil else { return nil }
            if let binding = policy.binding { return "rule \(policy.id) has a paramKind (\(kind)) but its binding \(binding.name) has no paramRef: params is null" }
            return "rule \(policy.id) has a paramKind (\(kind)) but no params, as no --param-file gives them: params is null, as for a binding without a paramRef"
        }
        let requesters = compiled.filter(\.readsRequester).map { policy in
            "rule \(policy.descriptor.id) reads request.userInfo, which a manifest does not carry: it sees the user \(AdmissionRequest.username) "
                + "in the group \(AdmissionRequest.groups.joined(separator: ", ")), not whoever will apply the manifest"
        }
        let notes = loaded.notes + unboundParams + requesters.sorted() + [unreadParamFileNote(params, policies: selected.map(\.policy))].compactMap { $0 }
        return (compiled.sorted { $0.descriptor.id < $1.descriptor.id }, errors, known, notes)
    }

    /// A note when `--param-file` gives params that no policy takes: every ValidatingAdmissionPolicy
    /// with a paramKind is bound, and takes its params from its binding.
    private static func unreadParamFileNote(_ params: ParamOverrides, policies: [Policy]) -> String? {
        if case .null = params.admissionParams { return nil }
        let withParamKind = policies.filter { $0.paramKind != nil }
        guard !withParamKind.isEmpty, withParamKind.allSatisfy({ $0.binding != nil }) else { return nil }
        return "--param-file is not read: every ValidatingAdmissionPolicy with a paramKind is bound by a ValidatingAdmissionPolicyBinding among the policy files, "
            + "and takes its params from the binding's paramRef"
    }
}
