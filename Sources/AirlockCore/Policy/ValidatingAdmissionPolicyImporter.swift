import YAMLSource

/// Reads a Kubernetes `ValidatingAdmissionPolicy` as an airlock policy, unchanged: its
/// validations, variables, matchConditions and matchConstraints keep their Kubernetes meaning.
/// Annotations `airlock.dev/severity` and `airlock.dev/category` set what Kubernetes has no
/// field for (defaults: medium, general). A Kyverno `ValidatingPolicy`, a ValidatingAdmissionPolicy
/// with Kyverno's fields besides (see ``KyvernoPolicyFields``), is read the same way.
enum ValidatingAdmissionPolicyImporter {
    /// Which kind of admission policy a document is.
    enum Dialect: Equatable {
        /// Kubernetes' ValidatingAdmissionPolicy.
        case kubernetes
        /// Kyverno's ValidatingPolicy, or its NamespacedValidatingPolicy, which checks only the
        /// objects of its own namespace.
        case kyverno(namespaced: Bool)
    }

    static func read(_ root: YAMLNode, fileText: PolicyFileText, dialect: Dialect = .kubernetes) -> (Policy?, [Diagnostic]) {
        var document = StrictMapping(root, path: "")
        var errors: [Diagnostic] = []
        let name = root.value(at: ["metadata", "name"])?.string ?? ""
        guard var spec = document.mapping("spec", required: true) else { return (nil, document.finish(allowing: PolicyLoader.importedObjectFields)) }
        let annotations = PolicyAnnotations(root, readingKyverno: dialect != .kubernetes, into: &spec)
        var match = MatchCriteria()
        if var constraints = spec.mapping("matchConstraints", required: true) {
            match = matchResources(&constraints)
            if match.resourceRules.isEmpty {
                // The API server needs one to know the type of the objects the policy checks.
                constraints.report("spec.matchConstraints.resourceRules must list at least one rule", at: constraints.field("resourceRules") ?? constraints.node)
            }
            spec.absorb(&constraints)
        }
        let variables = namedExpressions(spec.list("variables"), path: "spec.variables[]", into: &spec, fileText: fileText).map(\.variable)
        let conditions = namedExpressions(spec.list("matchConditions"), path: "spec.matchConditions[]", into: &spec, fileText: fileText)
        errors += duplicateNames(conditions, of: "spec.matchConditions")
        let auditAnnotations = namedExpressions(
            spec.list("auditAnnotations"), path: "spec.auditAnnotations[]", name: "key", expression: "valueExpression", into: &spec, fileText: fileText)
        errors += duplicateNames(auditAnnotations, of: "spec.auditAnnotations")
        for annotation in auditAnnotations where !KubernetesNames.isQualifiedNamePart(annotation.variable.name) {
            errors.append(Diagnostic(
                kind: .policy,
                message: "spec.auditAnnotations[].key \"\(annotation.variable.name)\" must be a qualified name of at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit)",
                location: span(annotation.nameNode)))
        }
        let validations = spec.list("validations").compactMap { validation($0, path: "spec.validations[]", into: &spec, fileText: fileText) }
        // Present and no empty list (a field that is no list is an error of its own).
        let lists = { (key: String) in spec.field(key).map { $0.kind != .sequence || !$0.items.isEmpty } ?? false }
        if !lists("validations") && !lists("auditAnnotations") {
            spec.report(
                "spec.validations or spec.auditAnnotations must list at least one item (Kubernetes refuses a policy with neither)",
                at: spec.field("validations") ?? spec.field("auditAnnotations") ?? root["spec"] ?? root)
        }
        var podTemplateControllers: [PodTemplateController] = []
        var declaresParams = true
        var paramKind: (apiVersion: String, kind: String)?
        switch dialect {
        case .kubernetes:
            paramKind = readParamKind(&spec)
            declaresParams = paramKind != nil
            _ = spec.choice("failurePolicy", as: KyvernoPolicyFields.FailurePolicy.self)
        case .kyverno(let namespaced):
            let kyverno = KyvernoPolicyFields.read(&spec)
            if namespaced { match.namespaces = [root.value(at: ["metadata", "namespace"])?.string ?? "default"] }
            if PodTemplateController.autogenApplies(to: match), let podRule = match.resourceRules.first {
                podTemplateControllers = kyverno.podControllers ?? PodTemplateController.all
                match.resourceRules += podTemplateControllers.map { $0.resourceRule(from: podRule) }
            }
        }
        document.absorb(&spec)
        errors += document.finish(allowing: PolicyLoader.importedObjectFields)
        let kindName = dialect == .kubernetes ? "ValidatingAdmissionPolicy" : "ValidatingPolicy"
        var policy = Policy(
            descriptor: annotations.descriptor(id: name, title: "\(kindName) \(name)", description: "Imported \(kindName) \(name)."),
            target: .resource, match: match, params: nil, variables: variables, validations: validations,
            location: span(root))
        policy.conditions = conditions.map(\.variable)
        policy.auditAnnotations = auditAnnotations.map(\.variable)
        policy.isAdmissionPolicy = true
        policy.declaresParams = declaresParams
        policy.paramKind = paramKind?.kind
        policy.paramAPIVersion = paramKind?.apiVersion
        policy.acceptsBindings = dialect == .kubernetes
        policy.podTemplateControllers = podTemplateControllers
        return (policy, errors)
    }

    /// The `matchConstraints` of a policy, or the `matchResources` of a binding, as the API server
    /// reads them: `resourceRules`, `excludeResourceRules`, `matchPolicy` and the label selectors
    /// (an empty one selects everything).
    static func matchResources(_ constraints: inout StrictMapping) -> MatchCriteria {
        var match = MatchCriteria()
        let equivalent = (constraints.choice("matchPolicy", as: MatchPolicy.self) ?? .equivalent) == .equivalent
        match.resourceRules = AdmissionResourceRuleReader.read("resourceRules", of: &constraints, equivalent: equivalent)
        match.excludeResourceRules = AdmissionResourceRuleReader.read("excludeResourceRules", of: &constraints, equivalent: equivalent)
        match.namespaceSelector = selector("namespaceSelector", of: &constraints)
        match.objectSelector = selector("objectSelector", of: &constraints)
        return match
    }

    /// The label selector at `key`, nil when it is absent or selects everything.
    static func selector(_ key: String, of reader: inout StrictMapping) -> LabelSelector? {
        guard var selector = reader.mapping(key) else { return nil }
        let parsed = LabelSelectorReader.read(&selector)
        reader.absorb(&selector)
        return parsed.matchLabels.isEmpty && parsed.matchExpressions.isEmpty ? nil : parsed
    }

    /// A validation (`expression`, `message`, `messageExpression`, `reason`, `fieldPath`) read as
    /// the API server reads it, at `path` (`spec.validations[]`).
    static func validation(_ node: YAMLNode, path: String, into spec: inout StrictMapping, fileText: PolicyFileText) -> Validation? {
        var reader = StrictMapping(node, path: path)
        let expression = reader.stringNode("expression", required: true).map(fileText.expression)
        let message = reader.string("message")
        let messageExpression = reader.stringNode("messageExpression").map(fileText.expression)
        // Checked as the API server checks it; a finding has no use for it.
        _ = reader.choice("reason", as: AdmissionDenialReason.self)
        // A relative JSON path from the object, as Kubernetes writes it: no numeric index.
        let keys = reader.dottedPath("fieldPath", indices: false)
        spec.absorb(&reader)
        guard let expression else { return nil }
        return Validation(
            expression: expression, forEach: nil, forEachName: "item", message: message, messageExpression: messageExpression,
            path: keys, pathExpression: nil, severity: nil)
    }

    /// A named expression with the node of its name, where errors about the name point.
    struct NamedExpression {
        let variable: Variable
        let nameNode: YAMLNode
    }

    /// The `name` and `expression` strings of each item (`key` and `valueExpression` for audit
    /// annotations), read strictly: a missing one, one of another type, or an unknown key is an error.
    static func namedExpressions(
        _ nodes: [YAMLNode], path: String, name: String = "name", expression: String = "expression", into spec: inout StrictMapping,
        fileText: PolicyFileText
    ) -> [NamedExpression] {
        nodes.compactMap { node in
            var reader = StrictMapping(node, path: path)
            let nameNode = reader.stringNode(name, required: true)
            let value = reader.stringNode(expression, required: true)
            spec.absorb(&reader)
            guard let nameNode, let text = nameNode.text, let value else { return nil }
            return NamedExpression(variable: Variable(name: text, expression: fileText.expression(value)), nameNode: nameNode)
        }
    }

    /// The policy's `paramKind` (apiVersion, kind), read as the API server reads it: a mapping of a
    /// non-empty `apiVersion` and `kind` and nothing else. Without one, Kubernetes declares no
    /// `params` to its expressions.
    private static func readParamKind(_ spec: inout StrictMapping) -> (apiVersion: String, kind: String)? {
        guard var paramKind = spec.mapping("paramKind") else { return nil }
        for key in ["apiVersion", "kind"] where paramKind.string(key, required: true)?.isEmpty == true {
            paramKind.report("spec.paramKind.\(key) must not be empty", at: paramKind.field(key) ?? paramKind.node)
        }
        let node = paramKind.node
        spec.absorb(&paramKind)
        return (node.value(at: ["apiVersion"])?.string ?? "", node.value(at: ["kind"])?.string ?? "")
    }

    /// An error at each item's name given to an earlier one, as the API server reports it.
    static func duplicateNames(_ items: [NamedExpression], of field: String) -> [Diagnostic] {
        var seen: Set<String> = []
        return items.compactMap { item in
            guard !seen.insert(item.variable.name).inserted else { return nil }
            return Diagnostic(kind: .policy, message: "\(field): \"\(item.variable.name)\" is given twice", location: span(item.nameNode))
        }
    }

    /// How resource rules match other versions of a resource (`matchConstraints.matchPolicy`).
    private enum MatchPolicy: String, CaseIterable {
        case exact = "Exact", equivalent = "Equivalent"
    }

    private static func span(_ node: YAMLNode) -> SourceSpan {
        SourceSpan(file: node.document.file, line: node.line, column: node.column)
    }
}

/// Why the API server denies a request a validation fails (`reason`).
enum AdmissionDenialReason: String, CaseIterable {
    case unauthorized = "Unauthorized", forbidden = "Forbidden", invalid = "Invalid", requestEntityTooLarge = "RequestEntityTooLarge"
}
