import YAMLSource

/// Reads the CEL rules of a Kyverno `ClusterPolicy` or `Policy` (`kyverno.io/v1`, `v2beta1`),
/// which Kyverno 1.11 and later validate with `validate.cel`: each rule is an airlock rule
/// `POLICY/RULE` whose expressions, variables, `celPreconditions` and messages keep their
/// Kyverno meaning, matched on the kinds, namespaces and selectors of its `match` and `exclude`,
/// and, for a rule on Pods, also on the pod templates of the controllers Kyverno's autogen makes
/// rules for.
///
/// What airlock cannot honour is an error at its place, never left out: a rule left unread would
/// pass. That is a rule of another type (a pattern, `deny`, `foreach`, `podSecurity`, `mutate`,
/// `generate`, `verifyImages`), JMESPath `preconditions` and `context`, a `match` by the
/// requesting user, or by object name or annotation, wildcard namespaces, `paramKind` and
/// `paramRef`, and a rule only for updates or deletions (airlock checks objects as created).
enum KyvernoClusterPolicyImporter {
    /// Fields of the spec that say how Kyverno enforces or schedules its rules, which change
    /// nothing in a gate: every failing expression is a finding.
    private static let enforcementFields = [
        "validationFailureAction", "validationFailureActionOverrides", "background", "failurePolicy", "webhookTimeoutSeconds",
        "admission", "emitWarning", "applyRules", "schemaValidation", "useServerSideApply", "webhookConfiguration",
        "mutateExistingOnPolicyUpdate", "generateExisting", "generateExistingOnPolicyUpdate", "evaluation",
    ]

    /// The annotation that names the pod controllers autogen makes rules for (`none`, or kinds
    /// separated by commas).
    private static let autogenAnnotation = "pod-policies.kyverno.io/autogen-controllers"

    static func read(_ root: YAMLNode, fileText: PolicyFileText, namespaced: Bool) -> (policies: [Policy], errors: [Diagnostic]) {
        var document = StrictMapping(root, path: "")
        let name = root.value(at: ["metadata", "name"])?.string ?? ""
        let kind = namespaced ? "Policy" : "ClusterPolicy"
        guard var spec = document.mapping("spec", required: true) else { return ([], document.finish(allowing: PolicyLoader.importedObjectFields)) }
        let annotations = PolicyAnnotations(root, readingKyverno: true, into: &spec)
        for field in enforcementFields { _ = spec.field(field) }
        let controllers = autogenControllers(root, into: &spec)
        let rules = spec.list("rules")
        if rules.isEmpty { spec.report("spec.rules must list at least one rule", at: spec.field("rules") ?? spec.node) }
        var policies: [Policy] = []
        for node in rules {
            var rule = RuleReader(node, fileText: fileText)
            if var policy = rule.read() {
                let ruleName = policy.descriptor.id
                policy.descriptor = annotations.descriptor(
                    id: "\(name)/\(ruleName)", title: "\(kind) \(name)", description: "Imported Kyverno \(kind) \(name), rule \(ruleName).")
                if rules.count > 1 { policy.descriptor.title += " (rule \(ruleName))" }
                if namespaced { restrict(&policy.match, toNamespace: root.value(at: ["metadata", "namespace"])?.string ?? "default") }
                if let podKinds = PodTemplateController.autogenKinds(of: policy.match) {
                    policy.podTemplateControllers = controllers
                    let controllerKinds = controllers.compactMap { MatchCriteria.KindPattern($0.kindPattern) }
                    policy.match.kinds = podKinds + controllerKinds
                    // Autogen excludes the controllers of the Pods a rule excludes, too.
                    let withControllers = { (kinds: [MatchCriteria.KindPattern]) in
                        kinds.contains(where: \.namesPods) ? kinds + controllerKinds : kinds
                    }
                    for index in policy.match.excludeFilters.indices {
                        policy.match.excludeFilters[index].kinds = policy.match.excludeFilters[index].kinds.map(withControllers)
                    }
                }
                policies.append(policy)
            }
            spec.absorbErrors(rule.errors)
        }
        document.absorb(&spec)
        return (policies, document.finish(allowing: PolicyLoader.importedObjectFields))
    }

    /// A namespaced `Policy` checks only the objects of its own namespace (none when its rule
    /// names only others).
    private static func restrict(_ match: inout MatchCriteria, toNamespace namespace: String) {
        if !match.namespaces.isEmpty, !match.namespaces.contains(namespace) { match.excludeNamespaces.append(namespace) }
        match.namespaces = [namespace]
    }

    /// The controllers the annotation names; all of Kyverno's when it is absent, none for `none`.
    private static func autogenControllers(_ root: YAMLNode, into spec: inout StrictMapping) -> [PodTemplateController] {
        guard let node = root.value(at: ["metadata", "annotations", autogenAnnotation]), let text = node.text else {
            return PodTemplateController.kyvernoAutogen
        }
        if text.filter({ $0 != " " }) == "none" { return [] }
        return text.split(separator: ",").compactMap { item in
            let kind = item.filter { $0 != " " }
            guard let controller = PodTemplateController.kyvernoAutogen.first(where: { $0.kind == kind }) else {
                let known = PodTemplateController.kyvernoAutogen.map(\.kind).joined(separator: ", ")
                spec.report("\(autogenAnnotation) has \"\(kind)\"; expected none or some of: \(known)", at: node)
                return nil
            }
            return controller
        }
    }
}

/// Reads one rule of a Kyverno policy into an airlock policy named after the rule (the importer
/// then names it after the policy too), collecting every problem.
private struct RuleReader {
    private var rule: StrictMapping
    private let fileText: PolicyFileText
    private(set) var errors: [Diagnostic] = []
    /// `validate.cel.auditAnnotations`, compiled as a ValidatingAdmissionPolicy's are.
    private var auditAnnotations: [Variable] = []

    init(_ node: YAMLNode, fileText: PolicyFileText) {
        rule = StrictMapping(node, path: "spec.rules[]")
        self.fileText = fileText
    }

    mutating func read() -> Policy? {
        let name = rule.string("name", required: true)
        var match = MatchCriteria()
        if var reader = rule.mapping("match", required: true) {
            readMatch(&reader, into: &match)
            rule.absorb(&reader)
        }
        if var reader = rule.mapping("exclude") {
            readExclude(&reader, into: &match)
            rule.absorb(&reader)
        }
        if let node = rule.field("preconditions") {
            rule.report("spec.rules[].preconditions (JMESPath) is not read by airlock: write the rule's conditions as celPreconditions", at: node)
        }
        if let node = rule.field("context") {
            rule.report("spec.rules[].context is not read by airlock: a CEL rule reads other objects with resource.Get and resource.List", at: node)
        }
        let otherTypes = ["mutate", "generate", "verifyImages"].filter { type in
            guard let node = rule.field(type) else { return false }
            rule.report("spec.rules[].\(type): airlock reads only validate.cel rules", at: node)
            return true
        }
        for field in ["skipBackgroundRequests", "reportProperties", "imageExtractors"] { _ = rule.field(field) }
        let conditions = ValidatingAdmissionPolicyImporter.namedExpressions(
            rule.list("celPreconditions"), path: "spec.rules[].celPreconditions[]", into: &rule, fileText: fileText)
        errors += ValidatingAdmissionPolicyImporter.duplicateNames(conditions, of: "spec.rules[].celPreconditions")
        var variables: [Variable] = []
        var validations: [Validation] = []
        if var validate = rule.mapping("validate") {
            (variables, validations) = readValidate(&validate)
            rule.absorb(&validate)
        } else if otherTypes.isEmpty {
            rule.report("spec.rules[] must validate (validate.cel)", at: rule.node)
        }
        errors += rule.finish()
        guard let name, !validations.isEmpty, errors.isEmpty else { return nil }
        var policy = Policy(
            descriptor: RuleDescriptor(id: name, title: "", description: "", remediation: "", category: .general, severity: .medium, controls: []),
            target: .resource, match: match, params: nil, variables: variables, validations: validations,
            location: SourceSpan(file: rule.node.document.file, line: rule.node.line, column: rule.node.column))
        policy.conditions = conditions.map(\.variable)
        policy.auditAnnotations = auditAnnotations
        policy.isAdmissionPolicy = true
        policy.declaresParams = false
        return policy
    }

    /// `validate.cel`: its expressions and variables; another way to validate is an error.
    private mutating func readValidate(_ validate: inout StrictMapping) -> ([Variable], [Validation]) {
        let message = validate.string("message")
        for field in ["failureAction", "failureActionOverrides", "allowExistingViolations"] { _ = validate.field(field) }
        for type in ["pattern", "anyPattern", "deny", "foreach", "podSecurity", "manifests", "assert"] {
            if let node = validate.field(type) { validate.report("spec.rules[].validate.\(type) is not read by airlock: it reads validate.cel", at: node) }
        }
        guard var cel = validate.mapping("cel") else {
            if validate.errors.isEmpty { validate.report("spec.rules[].validate must have cel", at: validate.node) }
            return ([], [])
        }
        for field in ["paramKind", "paramRef"] {
            if let node = cel.field(field) { cel.report("spec.rules[].validate.cel.\(field): airlock reads no params of Kyverno rules", at: node) }
        }
        _ = cel.field("generate")
        auditAnnotations = ValidatingAdmissionPolicyImporter.namedExpressions(
            cel.list("auditAnnotations"), path: "spec.rules[].validate.cel.auditAnnotations[]", name: "key", expression: "valueExpression",
            into: &cel, fileText: fileText).map(\.variable)
        let variableNodes = cel.list("variables")
        errors += PolicyLoader.variableNameErrors(variableNodes)
        let variables = ValidatingAdmissionPolicyImporter.namedExpressions(
            variableNodes, path: "spec.rules[].validate.cel.variables[]", into: &cel, fileText: fileText).map(\.variable)
        let expressions = cel.list("expressions")
        if expressions.isEmpty { cel.report("spec.rules[].validate.cel.expressions must list at least one expression", at: cel.field("expressions") ?? cel.node) }
        errors += PolicyLoader.multilineMessages(expressions)
        let validations = expressions.compactMap { node -> Validation? in
            var validation = ValidatingAdmissionPolicyImporter.validation(node, path: "spec.rules[].validate.cel.expressions[]", into: &cel, fileText: fileText)
            if validation?.message == nil { validation?.message = message }
            return validation
        }
        validate.absorb(&cel)
        return (variables, validations)
    }

    /// `match`: one resource filter (`any` or `all` of one, or `resources`), or `any` of several
    /// that name kinds alone.
    private mutating func readMatch(_ match: inout StrictMapping, into criteria: inout MatchCriteria) {
        for field in ["subjects", "roles", "clusterRoles"] {
            if let node = match.field(field) { match.report("spec.rules[].match.\(field): airlock checks objects, not who requests them", at: node) }
        }
        let filters = resourceFilters(&match, path: "spec.rules[].match", matching: true).flatMap { $0 }
        if filters.isEmpty, match.errors.isEmpty { match.report("spec.rules[].match must name resources (any, all or resources)", at: match.node) }
        if filters.count == 1, let filter = filters.first {
            criteria.kinds = filter.kinds
            criteria.namespaces = filter.namespaces
            criteria.objectSelector = filter.selector
            criteria.namespaceSelector = filter.namespaceSelector
        } else {
            criteria.kinds = filters.flatMap(\.kinds)
        }
    }

    /// `exclude`: kinds and namespaces, each filter (`all` of several filters) leaving out the
    /// objects that match every part it names. Who requests an object is unknown, so a filter that
    /// also names the requester (`subjects`, `roles`, `clusterRoles`) never applies, nor does one
    /// for other operations than CREATE: the rule checks those objects.
    private mutating func readExclude(_ exclude: inout StrictMapping, into criteria: inout MatchCriteria) {
        let namesRequester = !["subjects", "roles", "clusterRoles"].compactMap { exclude.field($0) }.isEmpty
        for group in resourceFilters(&exclude, path: "spec.rules[].exclude", matching: false) {
            guard !namesRequester, group.allSatisfy({ !$0.namesRequester && $0.admitsCreate }) else { continue }
            if group.count == 1, let filter = group.first, !filter.kinds.isEmpty, filter.namespaces.isEmpty {
                criteria.excludeKinds += filter.kinds
            } else if group.count == 1, let filter = group.first, filter.kinds.isEmpty, !filter.namespaces.isEmpty {
                criteria.excludeNamespaces += filter.namespaces
            } else {
                criteria.excludeFilters.append(MatchCriteria.ExclusionFilter(
                    kinds: group.map(\.kinds).filter { !$0.isEmpty }, namespaces: group.map(\.namespaces).filter { !$0.isEmpty }))
            }
        }
    }

    /// What one resource filter names.
    private struct ResourceFilter {
        var kinds: [MatchCriteria.KindPattern] = []
        var namespaces: [String] = []
        var selector: LabelSelector?
        var namespaceSelector: LabelSelector?
        /// Whether it also names who makes the request (`subjects`, `roles`, `clusterRoles`).
        var namesRequester = false
        /// Whether its `operations` (all when it names none) include CREATE.
        var admitsCreate = true
        /// Whether it names anything but kinds (and operations).
        var isKindsAlone: Bool { namespaces.isEmpty && selector == nil && namespaceSelector == nil }
    }

    /// The filters of `any`, `all` or `resources` in `reader`, grouped as they combine: each of
    /// `resources` and `any` a group of its own, those of `all` one group; with an error for each
    /// combination airlock cannot match.
    private mutating func resourceFilters(_ reader: inout StrictMapping, path: String, matching: Bool) -> [[ResourceFilter]] {
        var groups: [[ResourceFilter]] = []
        if var resources = reader.mapping("resources") {
            groups.append([resourceFilter(&resources, path: "\(path).resources", matching: matching)])
            reader.absorb(&resources)
        }
        for combination in ["any", "all"] {
            let items = reader.list(combination)
            var read: [ResourceFilter] = []
            for item in items {
                var filter = StrictMapping(item, path: "\(path).\(combination)[]")
                let requesterFields = ["subjects", "roles", "clusterRoles"].compactMap { field in filter.field(field).map { (field, $0) } }
                if matching, let (field, node) = requesterFields.first {
                    filter.report("\(path).\(combination)[].\(field): airlock checks objects, not who requests them", at: node)
                }
                if var resources = filter.mapping("resources") {
                    var resourceFilter = resourceFilter(&resources, path: "\(path).\(combination)[].resources", matching: matching)
                    resourceFilter.namesRequester = !requesterFields.isEmpty
                    read.append(resourceFilter)
                    filter.absorb(&resources)
                }
                reader.absorb(&filter)
            }
            let combines = matching && read.count > 1 && (combination == "all" || !read.allSatisfy(\.isKindsAlone))
            if combines, let node = reader.field(combination) {
                reader.report("\(path).\(combination): airlock reads several filters only as any of filters that name kinds alone", at: node)
            }
            groups += combination == "all" ? (read.isEmpty ? [] : [read]) : read.map { [$0] }
        }
        return groups
    }

    /// Whether Kyverno reads `text` as a version in a kind (`v1`, `v2beta1`, `*`).
    private static func isKyvernoVersion(_ text: String) -> Bool {
        text.wholeMatch(of: /v[0-9]+((alpha|beta)[0-9]+)?|\*/) != nil
    }

    /// A label selector of a filter; nil when it selects everything. An exclusion by labels is an
    /// error (airlock's match has no such exclusion).
    private func selector(_ key: String, of resources: inout StrictMapping, path: String, matching: Bool) -> LabelSelector? {
        guard var reader = resources.mapping(key) else { return nil }
        defer { resources.absorb(&reader) }
        guard matching else {
            reader.report("\(path).\(key): airlock excludes by kinds and namespaces only", at: reader.node)
            return nil
        }
        let selector = LabelSelectorReader.read(&reader)
        return selector.matchLabels.isEmpty && selector.matchExpressions.isEmpty ? nil : selector
    }

    private mutating func resourceFilter(_ resources: inout StrictMapping, path: String, matching: Bool) -> ResourceFilter {
        var filter = ResourceFilter()
        filter.kinds = resources.stringItems("kinds").compactMap { text, node in
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2, let pattern = MatchCriteria.KindPattern(text), let group = pattern.groupWrittenAsVersion {
                resources.report("\(path).kinds: \"\(text)\" reads as version \(group) of the core group, which no object has: write \(group)/*/\(pattern.kind)", at: node)
                return nil
            }
            // Kyverno reads `Kind` and `version/Kind` in every group (a Knative `Service` is a
            // `Service`, `*/*` every kind), and another `A/B` (`Pod/ephemeralcontainers`,
            // `*/status`) as a subresource, which no manifest is.
            let versionAndKind = parts.count == 2 && Self.isKyvernoVersion(parts[0])
                && !(parts[0] == "*" && parts[1] != "*" && parts[1].lowercased() == parts[1])
            guard parts.count != 2 || versionAndKind, parts.count < 4, let pattern = MatchCriteria.KindPattern(inEveryGroup: text) else {
                resources.report("\(path).kinds: \"\(text)\" is not Kind, version/Kind or group/version/Kind", at: node)
                return nil
            }
            return pattern
        }
        for (namespace, node) in resources.stringItems("namespaces") {
            if namespace.contains("*") || namespace.contains("?") {
                resources.report("\(path).namespaces: \"\(namespace)\": airlock reads no wildcards in namespaces", at: node)
            } else {
                filter.namespaces.append(namespace)
            }
        }
        for field in ["names", "name", "annotations"] {
            if let node = resources.field(field) { resources.report("\(path).\(field) is not read by airlock", at: node) }
        }
        filter.selector = selector("selector", of: &resources, path: path, matching: matching)
        filter.namespaceSelector = selector("namespaceSelector", of: &resources, path: path, matching: matching)
        let operations = resources.stringItems("operations")
        filter.admitsCreate = operations.isEmpty || operations.contains { $0.text == "CREATE" }
        if matching, !filter.admitsCreate, let node = resources.field("operations") {
            resources.report("\(path).operations: the rule checks only \(operations.map(\.text).joined(separator: ", ")); airlock checks each object as the API server would on its creation", at: node)
        }
        return filter
    }
}
