import CEL
import YAMLSource

/// A rule as written in a policy document, before its expressions are compiled.
public struct Policy: Sendable {
    /// What a policy evaluates: each matching object, the merged Helm values, each package or
    /// bundle, or the inventory as a whole (once per run that read manifests, `object` null: for
    /// rules about what no single object holds, through `resources()` and `namespaces()`).
    public enum Target: String, Sendable, CaseIterable {
        case resource, values, package, bundle, inventory
    }

    public var descriptor: RuleDescriptor
    public var target: Target
    public var match: MatchCriteria
    /// Default parameters (a YAML mapping), overridable per run.
    public var params: YAMLNode?
    public var variables: [Variable]
    /// Named conditions that must all be true for the policy to apply (VAP `matchConditions`).
    public var conditions: [Variable] = []
    /// A ValidatingAdmissionPolicy's `auditAnnotations` (key, valueExpression): compiled, so an
    /// error in one is reported as Kubernetes reports it, but never evaluated (they deny nothing).
    public var auditAnnotations: [Variable] = []
    public var validations: [Validation]
    /// Bindings only ValidatingAdmissionPolicies get (`oldObject`, `request`).
    public var isAdmissionPolicy = false
    /// Whether its expressions may read `params`: not those of a ValidatingAdmissionPolicy without
    /// a `paramKind`, which Kubernetes compiles without declaring `params` (and binds no params to).
    public var declaresParams = true
    /// The kind a ValidatingAdmissionPolicy's `paramKind` names, whose object `--param-file` or
    /// a binding's `paramRef` gives, and its apiVersion.
    public var paramKind: String?
    public var paramAPIVersion: String?
    /// Whether ValidatingAdmissionPolicyBindings may bind it: a Kubernetes ValidatingAdmissionPolicy.
    public var acceptsBindings = false
    /// The binding this copy of a ValidatingAdmissionPolicy applies through (see ``AdmissionPolicyBindings``).
    public var binding: AdmissionPolicyBinding?
    /// The pod controllers a Kyverno Pod policy also checks, reading their pod templates as Pods
    /// (its autogen); their resource rules are among `match.resourceRules`.
    public var podTemplateControllers: [PodTemplateController] = []
    /// Where the policy document starts.
    public var location: SourceSpan
    /// Whether it is of the pack embedded in the binary, many of whose rules apply to nothing
    /// in a given input (no KAgent, no bundle), rather than of `--policies`.
    public var isBuiltin = false

    public var id: String { descriptor.id }

    /// Whether at `tier` every object of the policy's kinds is in its scope, by its `match` and
    /// by its binding's (``MatchCriteria/matchesEveryObjectOfItsKinds(tier:)``).
    public func matchesEveryObjectOfItsKinds(tier: String?) -> Bool {
        match.matchesEveryObjectOfItsKinds(tier: tier) && binding.map { $0.match.matchesEveryObjectOfItsKinds(tier: tier) } != false
    }

    /// Whether `resource` is in the policy's scope, its kind apart (see
    /// ``MatchCriteria/matchesBeyondKind(_:namespaceObject:tier:plural:)``): by its `match`, and
    /// by its binding's `matchResources` when it applies through one.
    public func matchesBeyondKind(_ resource: Resource, namespaceObject: Resource?, tier: String?, plural: () -> String) -> Bool {
        guard match.matchesBeyondKind(resource, namespaceObject: namespaceObject, tier: tier, plural: plural) else { return false }
        guard let binding else { return true }
        return binding.match.matchesBeyondKind(resource, namespaceObject: namespaceObject, tier: tier, plural: plural)
    }
}

/// A named expression; later variables may use earlier ones through `variables.<name>`.
public struct Variable: Sendable {
    public var name: String
    public var expression: Expression
}

/// One condition that must hold; each object for which it is false is a finding.
public struct Validation: Sendable {
    public var expression: Expression
    /// Evaluates to a list; the condition is then checked for each element, bound to `forEachName`,
    /// and each failing element is its own finding, pointing at that element's position.
    public var forEach: Expression?
    public var forEachName: String
    /// Where `as` names the element (nil for the default name).
    public var forEachNameNode: YAMLNode? = nil
    public var message: String?
    public var messageExpression: Expression?
    /// A dotted field path (relative to the element under `forEach`) the finding points at.
    public var path: [String]
    /// The path computed when the validation fails, for a field known only then (the key at
    /// fault in a mapping): a list of keys and indices, or a dotted string. Replaces `path`.
    public var pathExpression: Expression?
    /// Overrides the policy's severity for this validation.
    public var severity: Severity?
}

/// CEL source text and where it sits in its YAML file, so that errors inside it map back to
/// the file's line and column.
public struct Expression: Sendable {
    public var source: String
    public var node: YAMLNode
    /// The text of the file the expression was read from.
    let file: PolicyFileText?

    init(source: String, node: YAMLNode, file: PolicyFileText?) {
        self.source = source
        self.node = node
        self.file = file
    }

    /// The file position of a 1-based line and column inside the expression (the scalar's own
    /// position when the character cannot be found in the file).
    public func filePosition(line: Int, column: Int) -> SourceSpan {
        let start = SourceSpan(file: node.document.file, line: node.line, column: node.column)
        guard let file, let offset = CELSource(source).offset(line: line, column: column),
              let position = file.position(ofOffset: offset, inValueOf: node)
        else { return start }
        return SourceSpan(file: start.file, line: position.line, column: position.column)
    }
}
