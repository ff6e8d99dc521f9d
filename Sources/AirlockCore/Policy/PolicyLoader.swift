import CEL
import YAMLSource

/// Reads policy documents (`airlock.dev/v1` `Policy`, Kubernetes' `ValidatingAdmissionPolicy`,
/// Kyverno's `ValidatingPolicy` and the CEL rules of its `ClusterPolicy` and `Policy`) from YAML,
/// reporting every problem of a file at once with its position.
public struct PolicyLoader: Sendable {
    public init() {}

    public static let apiVersion = "airlock.dev/v1"

    /// The fields of an imported policy (a ValidatingAdmissionPolicy, a Kyverno policy) beside its
    /// `spec`: `status` is what the API server writes, which a policy exported from a cluster
    /// (`kubectl get validatingadmissionpolicies -o yaml`) has; it is not read.
    static let importedObjectFields: Set<String> = ["apiVersion", "kind", "metadata", "status"]

    /// The policies in `bytes` and every error found; a policy with an error is left out of
    /// `policies`, but its name and place are in `definitions` with the others' (in document
    /// order), so that a later copy of it is still known as one. `kyvernoExceptions` are the
    /// Kyverno `PolicyException`s, which are not applied (see ``unappliedExceptionReason``).
    /// `bindings` are the ValidatingAdmissionPolicyBindings, which ``AdmissionPolicyBindings``
    /// applies once every policy file is read.
    public func load(_ bytes: [UInt8], file: String) -> (
        policies: [Policy], errors: [Diagnostic], definitions: [(id: String, location: SourceSpan)],
        kyvernoExceptions: [(name: String?, location: SourceSpan)], bindings: [AdmissionPolicyBinding]
    ) {
        let loaded = YAMLLoader().load(bytes, file: file)
        var errors = loaded.errors.map { Diagnostic(kind: .policy, message: $0.message, location: SourceSpan(file: $0.file, line: $0.line, column: $0.column)) }
        var policies: [Policy] = []
        var definitions: [(id: String, location: SourceSpan)] = []
        var kyvernoExceptions: [(name: String?, location: SourceSpan)] = []
        var bindings: [AdmissionPolicyBinding] = []
        let fileText = PolicyFileText(bytes)
        for document in loaded.documents {
            for root in Self.policyObjects(of: document.root) {
                // A Kyverno exception only exempts objects from policies: unapplied, it leaves
                // their findings reported, never a policy unchecked.
                if root["kind"]?.string == "PolicyException", Self.isKyverno(root["apiVersion"]?.string) {
                    kyvernoExceptions.append((root["metadata"]?["name"]?.string, SourceSpan(file: file, line: root.line, column: root.column)))
                    continue
                }
                if root["kind"]?.string == "ValidatingAdmissionPolicyBinding", Self.admissionAPIVersions.contains(root["apiVersion"]?.string ?? "") {
                    let (binding, bindingErrors) = AdmissionPolicyBinding.read(root)
                    errors += bindingErrors
                    bindings += [binding].compactMap { $0 }
                    continue
                }
                let (read, policyErrors) = readObject(root, file: file, fileText: fileText)
                errors.append(contentsOf: policyErrors)
                definitions += read.filter { !$0.id.isEmpty }.map { ($0.id, $0.location) }
                if policyErrors.isEmpty { policies += read }
            }
        }
        return (policies, errors, definitions, kyvernoExceptions, bindings)
    }

    /// The versions of `admissionregistration.k8s.io` whose policies and bindings are read.
    private static let admissionAPIVersions: Set = ["admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1"]

    /// Why a Kyverno `PolicyException` given with the policies is not applied, and what to do
    /// instead: said in the error for a policy path holding nothing else and in the note for one
    /// beside policies.
    public static let unappliedExceptionReason =
        "airlock applies only its own exceptions, which record a justification, an owner and an expiry, "
        + "so the findings it would exempt are reported: accept them in the exceptions file (.airlock-exceptions.yaml, or --exceptions FILE) instead"

    /// The policies of one policy object and the errors of its form (the errors of their
    /// expressions too when it has any, so that one run shows every error of the file).
    private func readObject(_ root: YAMLNode, file: String, fileText: PolicyFileText) -> (policies: [Policy], errors: [Diagnostic]) {
        let kind = root["kind"]?.string
        let apiVersion = root["apiVersion"]?.string
        var policyErrors: [Diagnostic]
        var read: [Policy] = []
        var policy: Policy?
        switch (apiVersion, kind) {
        case (Self.apiVersion, "Policy"):
            (policy, policyErrors) = readPolicy(root, fileText: fileText)
        case ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"),
             ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy"):
            (policy, policyErrors) = ValidatingAdmissionPolicyImporter.read(root, fileText: fileText)
        case ("policies.kyverno.io/v1alpha1", "ValidatingPolicy"), ("policies.kyverno.io/v1beta1", "ValidatingPolicy"),
             ("policies.kyverno.io/v1", "ValidatingPolicy"):
            (policy, policyErrors) = ValidatingAdmissionPolicyImporter.read(root, fileText: fileText, dialect: .kyverno(namespaced: false))
        case ("policies.kyverno.io/v1beta1", "NamespacedValidatingPolicy"), ("policies.kyverno.io/v1", "NamespacedValidatingPolicy"):
            (policy, policyErrors) = ValidatingAdmissionPolicyImporter.read(root, fileText: fileText, dialect: .kyverno(namespaced: true))
        case ("kyverno.io/v1", "ClusterPolicy"), ("kyverno.io/v2beta1", "ClusterPolicy"), ("kyverno.io/v1", "Policy"), ("kyverno.io/v2beta1", "Policy"):
            (read, policyErrors) = KyvernoClusterPolicyImporter.read(root, fileText: fileText, namespaced: kind == "Policy")
        default:
            let place = Self.misstatedField(of: root, apiVersion: apiVersion, kind: kind)
            policyErrors = [Diagnostic(
                kind: .policy,
                message: "not a policy: \(Self.describe(apiVersion: apiVersion, kind: kind)); expected apiVersion \(Self.apiVersion) kind Policy, "
                    + "a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, v1beta1), a Kyverno ValidatingPolicy (policies.kyverno.io/v1, v1beta1, v1alpha1) "
                    + "or a Kyverno ClusterPolicy or Policy (kyverno.io/v1, v2beta1)" + Self.whereReadInstead(apiVersion: apiVersion, kind: kind),
                location: SourceSpan(file: file, line: place.line, column: place.column))]
        }
        if let policy {
            read = [policy]
            policyErrors += Self.variableNameErrors(root["spec"]?["variables"]?.items ?? [])
                + Self.multilineMessages(root["spec"]?["validations"]?.items ?? [])
        }
        // An object with an error of its form runs none of its policies; their expressions'
        // errors are still reported, so that one run shows every error of the file.
        if !policyErrors.isEmpty { policyErrors += read.flatMap(Self.expressionErrors) }
        return (read, policyErrors)
    }

    /// The policy objects of a document: the document, or the items of a `kind: List` (what
    /// `kubectl get validatingadmissionpolicies -o yaml` or `kubectl get clusterpolicies -o yaml`
    /// exports), each of which states its own apiVersion and kind.
    private static func policyObjects(of root: YAMLNode) -> [YAMLNode] {
        guard root["kind"]?.string == "List", root["apiVersion"]?.string == "v1", let items = root["items"], items.kind == .sequence else { return [root] }
        return items.items
    }

    /// What a document that is no policy states it is, so that a kind airlock reads at a version
    /// it does not (a `v1alpha1` ValidatingAdmissionPolicy) is not told it should be that kind.
    private static func describe(apiVersion: String?, kind: String?) -> String {
        if apiVersion == nil && kind == nil { return "it states no apiVersion and kind" }
        return "it is apiVersion \(apiVersion ?? "(none)") kind \(kind ?? "(none)")"
    }

    /// Where a document that is no policy goes wrong: at its `kind` when its apiVersion is one a
    /// policy has (`kind: Polcy`), at its `apiVersion` when its kind is a policy's
    /// (`airlock.dev/v1beta1`), else (a manifest among the policies) at the document.
    private static func misstatedField(of root: YAMLNode, apiVersion: String?, kind: String?) -> YAMLNode {
        if let apiVersion, policyAPIVersions.contains(apiVersion) { return root["kind"] ?? root }
        if let kind, policyKinds.contains(kind) { return root["apiVersion"] ?? root }
        return root
    }

    /// Where airlock reads one of its own documents that is no policy, when it is one: a test or
    /// a config among the policies (a test file beside its policy rather than in `tests/`).
    private static func whereReadInstead(apiVersion: String?, kind: String?) -> String {
        guard apiVersion == Self.apiVersion else { return "" }
        switch kind {
        case "PolicyTest": return ". A PolicyTest is read by `airlock policy test` from a tests/ folder beside its policies"
        case "Config": return ". A Config is read with --config, or as airlock.yaml in the working folder"
        default: return ""
        }
    }

    private static let policyAPIVersions: Set = [
        apiVersion, "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1", "policies.kyverno.io/v1alpha1",
        "policies.kyverno.io/v1beta1", "policies.kyverno.io/v1", "kyverno.io/v1", "kyverno.io/v2beta1",
    ]
    private static let policyKinds: Set = ["Policy", "ValidatingAdmissionPolicy", "ValidatingPolicy", "NamespacedValidatingPolicy", "ClusterPolicy"]

    /// Whether `apiVersion` is one of Kyverno's groups (`kyverno.io`, `policies.kyverno.io`).
    private static func isKyverno(_ apiVersion: String?) -> Bool {
        apiVersion.map { $0.hasPrefix("kyverno.io/") || $0.hasPrefix("policies.kyverno.io/") } ?? false
    }

    private func readPolicy(_ root: YAMLNode, fileText: PolicyFileText) -> (Policy?, [Diagnostic]) {
        var document = StrictMapping(root, path: "")
        _ = document.string("apiVersion")
        _ = document.string("kind")
        var metadata = document.mapping("metadata", required: true)
        let id = metadata?.string("name", required: true) ?? ""
        if var meta = metadata { document.absorb(&meta) }
        metadata = nil
        guard var spec = document.mapping("spec", required: true) else { return (nil, document.finish()) }
        if !id.isEmpty, !PolicyLoader.isValidRuleID(id) {
            document.report("metadata.name \"\(id)\" must be a DNS subdomain: labels of lower-case letters, digits and dashes that start and end with a letter or digit, separated by single dots, at most 253 bytes in all", at: root["metadata"]?["name"] ?? root)
        }
        let category = spec.choice("category", as: Category.self) ?? .general
        let severity = spec.choice("severity", as: Severity.self) ?? .medium
        if spec.field("category") == nil { spec.report("spec.category is required", at: spec.node) }
        if spec.field("severity") == nil { spec.report("spec.severity is required", at: spec.node) }
        let title = spec.string("title", required: true) ?? ""
        let description = spec.string("description") ?? ""
        let remediation = spec.string("remediation") ?? ""
        let controls = spec.strings("controls")
        let target = spec.choice("target", as: Policy.Target.self) ?? .resource
        var match = MatchCriteria()
        if var matchReader = spec.mapping("match") {
            match = readMatch(&matchReader)
            spec.absorb(&matchReader)
        }
        let params = spec.field("params")
        if let params, params.kind != .mapping { spec.report("spec.params must be a mapping", at: params) }
        let variables = spec.list("variables").compactMap { readVariable($0, into: &spec, fileText: fileText) }
        let validationNodes = spec.list("validations")
        if validationNodes.isEmpty {
            spec.report("spec.validations must list at least one validation", at: spec.field("validations") ?? spec.node)
        }
        let validations = validationNodes.compactMap { readValidation($0, into: &spec, fileText: fileText) }
        document.absorb(&spec)
        let errors = document.finish()
        let policy = Policy(
            descriptor: RuleDescriptor(
                id: id, title: title, description: description, remediation: remediation,
                category: category, severity: severity, controls: controls),
            target: target, match: match, params: params, variables: variables, validations: validations,
            location: SourceSpan(file: root.document.file, line: root.line, column: root.column))
        return (policy, errors)
    }

    private func readMatch(_ reader: inout StrictMapping) -> MatchCriteria {
        var match = MatchCriteria()
        func kindPatterns(_ key: String) -> [MatchCriteria.KindPattern] {
            reader.stringItems(key).compactMap { text, item in
                guard let pattern = MatchCriteria.KindPattern(text) else {
                    reader.report("spec.match.\(key): \"\(text)\" is not Kind or group/version/Kind", at: item)
                    return nil
                }
                if let group = pattern.groupWrittenAsVersion {
                    reader.report(
                        "spec.match.\(key): \"\(text)\" reads as version \(group) of the core group (version/Kind), which no object has: a kind of group \(group) is written \(group)/*/\(pattern.kind)",
                        at: item)
                    return nil
                }
                return pattern
            }
        }
        match.kinds = kindPatterns("kinds")
        match.customResources = reader.bool("customResources") ?? false
        match.excludeKinds = kindPatterns("excludeKinds")
        func namespaceNames(_ key: String) -> [String] {
            reader.stringItems(key).compactMap { text, item in
                guard FactFunctions.isDNSLabel(text) else {
                    reader.report(
                        "spec.match.\(key): \"\(text)\" is no namespace name (a DNS-1123 label: lower-case letters, digits and '-'); namespaces are matched by their exact names, without wildcards: list them, or select them by their labels with namespaceSelector",
                        at: item)
                    return nil
                }
                return text
            }
        }
        match.namespaces = namespaceNames("namespaces")
        match.excludeNamespaces = namespaceNames("excludeNamespaces")
        match.tiers = reader.choices("tiers", as: Tier.self).map(\.rawValue)
        if var selector = reader.mapping("namespaceSelector") {
            match.namespaceSelector = LabelSelectorReader.read(&selector)
            reader.absorb(&selector)
        }
        if var selector = reader.mapping("objectSelector") {
            match.objectSelector = LabelSelectorReader.read(&selector)
            reader.absorb(&selector)
        }
        return match
    }

    private func readVariable(_ node: YAMLNode, into spec: inout StrictMapping, fileText: PolicyFileText) -> Variable? {
        var reader = StrictMapping(node, path: "spec.variables[]")
        let name = reader.string("name", required: true)
        let expression = reader.stringNode("expression", required: true).map { fileText.expression($0) }
        spec.absorb(&reader)
        guard let name, let expression else { return nil }
        return Variable(name: name, expression: expression)
    }

    private func readValidation(_ node: YAMLNode, into spec: inout StrictMapping, fileText: PolicyFileText) -> Validation? {
        var reader = StrictMapping(node, path: "spec.validations[]")
        let expression = reader.stringNode("expression", required: true).map { fileText.expression($0) }
        let forEach = reader.stringNode("forEach").map { fileText.expression($0) }
        let forEachName = reader.string("as") ?? "item"
        let forEachNameNode = reader.field("as")
        let message = reader.string("message")
        let messageExpression = reader.stringNode("messageExpression").map { fileText.expression($0) }
        let path = reader.dottedPath("path")
        let pathExpression = reader.stringNode("pathExpression").map { fileText.expression($0) }
        let severity = reader.choice("severity", as: Severity.self)
        spec.absorb(&reader)
        guard let expression else { return nil }
        return Validation(
            expression: expression, forEach: forEach, forEachName: forEachName, forEachNameNode: forEachNameNode, message: message,
            messageExpression: messageExpression, path: path, pathExpression: pathExpression, severity: severity)
    }

    /// Each variable of a policy (either form) whose name is no CEL identifier (Kubernetes
    /// refuses `bad-name`: only `variables['bad-name']` could read it), or named like an earlier
    /// one (expressions could read only one of the two), at its name.
    static func variableNameErrors(_ variables: [YAMLNode]) -> [Diagnostic] {
        var first: [String: YAMLNode] = [:]
        var errors: [Diagnostic] = []
        for variable in variables {
            // A name that is no string is reported as such where the variable is read.
            guard let node = variable["name"], let name = node.string else { continue }
            if let conflict = CELNameConflict.ofIdentifier(name) {
                errors.append(Diagnostic(
                    kind: .policy, message: "spec.variables: \"\(name)\" \(PolicyCompiler.describe(conflict))",
                    location: SourceSpan(file: node.document.file, line: node.line, column: node.column)))
            } else if let earlier = first[name] {
                errors.append(Diagnostic(
                    kind: .policy, message: "spec.variables: \"\(name)\" is declared twice (first at line \(earlier.line))",
                    location: SourceSpan(file: node.document.file, line: node.line, column: node.column)))
            } else {
                first[name] = node
            }
        }
        return errors
    }

    /// The errors of `policy`'s expressions (syntax, undeclared names, unknown functions), as a
    /// run would report them, with its default params.
    public static func expressionErrors(of policy: Policy) -> [Diagnostic] {
        let params = (try? ParamOverrides().params(for: policy).get()) ?? .null
        guard case .failure(let list) = PolicyCompiler(inventory: Inventory()).compile(policy, params: params) else { return [] }
        return list.diagnostics
    }

    /// Each static validation message (either form) that holds a line break, at the message:
    /// Kubernetes rejects them, and a report line would break. (A block scalar `|` ends in one.)
    static func multilineMessages(_ validations: [YAMLNode]) -> [Diagnostic] {
        validations.compactMap { validation in
            guard let node = validation["message"], let text = node.string, text.contains(where: \.isNewline) else { return nil }
            return Diagnostic(
                kind: .policy, message: "spec.validations[].message must be one line (fold a long one with >-)",
                location: SourceSpan(file: node.document.file, line: node.line, column: node.column))
        }
    }

    /// Rule ids appear in annotations, fingerprints and file names: keep them DNS-label-like.
    /// A DNS subdomain, as Kubernetes names objects: at most 253 bytes, dot-separated labels of
    /// lower-case letters, digits and dashes, each starting and ending with a letter or digit (so
    /// no leading, trailing or doubled dot, and no `-a` or `a-`).
    static func isValidRuleID(_ id: String) -> Bool {
        KubernetesNames.isDNSSubdomain(id)
    }
}
