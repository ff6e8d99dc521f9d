import YAMLSource

/// A `ValidatingAdmissionPolicyBinding` (admissionregistration.k8s.io v1, v1beta1): it makes the
/// ValidatingAdmissionPolicy it names apply to the objects its `matchResources` selects (besides
/// the policy's own `matchConstraints`), with the params its `paramRef` selects, and says what a
/// failure does (`validationActions`). See ``AdmissionPolicyBindings`` for how bindings apply.
public struct AdmissionPolicyBinding: Sendable {
    public var name: String
    public var policyName: String
    /// Where `spec.policyName` is written, where a name that no policy has is reported.
    public var policyNameLocation: SourceSpan
    /// What the objects must match besides the policy's own constraints (empty: everything).
    public var match: MatchCriteria
    public var paramRef: ParamRef?
    /// Its `validationActions`, in the order of ``ValidationAction``'s cases (`Deny, Audit`).
    public var actions: [String]
    /// Whether a failure denies the request (`Deny` among its actions): without, it only warns
    /// or is audited, and its findings are of severity info, which never fails a run.
    public var denies: Bool { actions.contains(KyvernoPolicyFields.ValidationAction.deny.rawValue) }
    /// Whether it was read without error: one with errors applies to nothing, but its policy
    /// still counts as bound (it does not run as if bound to everything).
    public var isUsable: Bool
    public var location: SourceSpan

    /// Which params objects of the policy's `paramKind` the binding selects.
    public struct ParamRef: Sendable {
        public var name: String?
        /// The namespace to look in; nil: the namespace of the object evaluated (a
        /// cluster-scoped params object is found from every namespace).
        public var namespace: String?
        /// Selects by label when no name is given (an empty selector selects every object of the kind).
        public var selector: LabelSelector?
        /// `parameterNotFoundAction: Deny`: an object for which none is found fails.
        public var deniesWhenNotFound: Bool
        public var location: SourceSpan

        /// What it looks for, in words: `ConfigMap limits in namespace policy`, `ConfigMap objects labelled team=a`.
        public func described(kind: String) -> String {
            let what = name.map { "\(kind) \($0)" } ?? "\(kind) objects" + (selector.map { $0.description.isEmpty ? "" : " labelled \($0.description)" } ?? "")
            return what + " in " + (namespace.map { "namespace \($0)" } ?? "the object's namespace")
        }
    }

    private enum NotFoundAction: String, CaseIterable {
        case allow = "Allow", deny = "Deny"
    }

    /// Reads a binding as the API server validates it, each problem an error at its place: no
    /// `policyName`, no `validationActions` (or an unknown one, one given twice, Deny with
    /// Warn), a label selector it refuses, a `paramRef` with both or neither of `name` and
    /// `selector`, or without `parameterNotFoundAction`.
    /// Nil when it has no `spec`.
    static func read(_ root: YAMLNode) -> (AdmissionPolicyBinding?, [Diagnostic]) {
        var document = StrictMapping(root, path: "")
        var metadata = document.mapping("metadata", required: true)
        let name = metadata?.string("name", required: true) ?? ""
        if var meta = metadata { document.absorb(&meta) }
        metadata = nil
        guard var spec = document.mapping("spec", required: true) else { return (nil, document.finish(allowing: PolicyLoader.importedObjectFields)) }
        let policyNameNode = spec.stringNode("policyName", required: true)
        let actions = KyvernoPolicyFields.ValidationAction.read(&spec, required: true)
        var match = MatchCriteria()
        if var resources = spec.mapping("matchResources") {
            match = ValidatingAdmissionPolicyImporter.matchResources(&resources)
            spec.absorb(&resources)
        }
        var paramRef: ParamRef?
        if var reader = spec.mapping("paramRef") {
            paramRef = readParamRef(&reader)
            spec.absorb(&reader)
        }
        document.absorb(&spec)
        let errors = document.finish(allowing: PolicyLoader.importedObjectFields)
        let binding = AdmissionPolicyBinding(
            name: name, policyName: policyNameNode?.text ?? "", policyNameLocation: span(policyNameNode ?? root), match: match, paramRef: paramRef,
            actions: KyvernoPolicyFields.ValidationAction.allCases.filter(actions.contains).map(\.rawValue),
            isUsable: errors.isEmpty && policyNameNode != nil, location: span(root))
        return (binding, errors)
    }

    private static func readParamRef(_ reader: inout StrictMapping) -> ParamRef {
        let name = reader.stringNode("name")
        let namespace = reader.string("namespace")
        let selectorNode = reader.field("selector")
        let selector = ValidatingAdmissionPolicyImporter.selector("selector", of: &reader)
        let notFound = reader.choice("parameterNotFoundAction", as: NotFoundAction.self, required: true)
        if name != nil, let selectorNode {
            reader.report("spec.paramRef: name and selector may not be given together", at: selectorNode)
        } else if name == nil, selectorNode == nil {
            reader.report("spec.paramRef must give a name or a selector", at: reader.node)
        }
        return ParamRef(
            name: name?.text, namespace: namespace, selector: name == nil ? selector ?? LabelSelector() : nil,
            deniesWhenNotFound: notFound == .deny, location: span(reader.node))
    }

    private static func span(_ node: YAMLNode) -> SourceSpan {
        SourceSpan(file: node.document.file, line: node.line, column: node.column)
    }
}
