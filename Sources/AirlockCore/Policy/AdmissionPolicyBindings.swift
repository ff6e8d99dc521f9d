import CEL

/// Applies the ValidatingAdmissionPolicyBindings among the policy files as the API server does:
/// a ValidatingAdmissionPolicy that some binding names runs once per binding that names it, as
/// the rule `POLICY/BINDING`, on the objects both its `matchConstraints` and the binding's
/// `matchResources` select, with the params the binding's `paramRef` selects (null without
/// one). A policy no binding names runs as before, as if bound to every object with Deny, under
/// its own name.
enum AdmissionPolicyBindings {
    /// `policies` with each bound policy replaced by its copies, one per binding; `errors` for a
    /// binding that names no ValidatingAdmissionPolicy of the files, a `paramRef` on a policy
    /// without `paramKind`, or a binding name given twice; `notes` for each policy left without
    /// a binding when the files hold bindings, which the API server would not run.
    /// `definitions` are the names of every policy read, those with errors too.
    static func apply(
        _ bindings: [AdmissionPolicyBinding], to policies: [Policy], definitions: Set<String>
    ) -> (policies: [Policy], errors: [Diagnostic], notes: [String]) {
        guard !bindings.isEmpty else { return (policies, [], []) }
        var errors: [Diagnostic] = []
        var firstOfName: [String: SourceSpan] = [:]
        var byPolicy: [String: [AdmissionPolicyBinding]] = [:]
        let bindable = Set(policies.filter(\.acceptsBindings).map(\.id))
        for binding in bindings {
            if let first = firstOfName[binding.name] {
                errors.append(Diagnostic(
                    kind: .policy, message: "ValidatingAdmissionPolicyBinding \(binding.name) is defined twice; this copy is not applied",
                    location: binding.location, firstDefinition: first))
                continue
            }
            firstOfName[binding.name] = binding.location
            byPolicy[binding.policyName, default: []].append(binding)
            guard binding.isUsable, !bindable.contains(binding.policyName) else { continue }
            if let error = unknownPolicyError(binding, policies: policies, bindable: bindable, definitions: definitions) { errors.append(error) }
        }
        var result: [Policy] = []
        var notes: [String] = []
        for policy in policies {
            guard policy.acceptsBindings else {
                result.append(policy)
                continue
            }
            guard let ofPolicy = byPolicy[policy.id] else {
                result.append(policy)
                notes.append(
                    "\(policy.location.file):\(policy.location.line):\(policy.location.column): ValidatingAdmissionPolicy \(policy.id) has no binding among the policy files, "
                        + "which hold bindings: it is checked as if bound to every object with Deny, while the API server would not run it")
                continue
            }
            for binding in ofPolicy where binding.isUsable {
                if let paramRef = binding.paramRef, policy.paramKind == nil {
                    errors.append(Diagnostic(
                        kind: .policy, message: "spec.paramRef: ValidatingAdmissionPolicy \(policy.id) has no paramKind, so it takes no params",
                        location: paramRef.location))
                    continue
                }
                result.append(bound(policy, by: binding))
            }
        }
        return (result, errors, notes)
    }

    /// The copy of `policy` that applies through `binding`.
    private static func bound(_ policy: Policy, by binding: AdmissionPolicyBinding) -> Policy {
        var bound = policy
        bound.descriptor.id = "\(policy.id)/\(binding.name)"
        bound.descriptor.title = "\(policy.descriptor.title), binding \(binding.name) (\(binding.actions.joined(separator: ", ")))"
        // Warn and Audit report a failure and admit the object: a finding that does not fail the run.
        if !binding.denies { bound.descriptor.severity = .info }
        bound.binding = binding
        return bound
    }

    /// The error for a binding whose `policyName` is no ValidatingAdmissionPolicy of the files
    /// (`bindable` names those):
    /// the API server accepts one and applies it to nothing, a typo a gate would pass in silence.
    /// None when the policy is defined with errors of its own (they are reported).
    private static func unknownPolicyError(
        _ binding: AdmissionPolicyBinding, policies: [Policy], bindable: Set<String>, definitions: Set<String>
    ) -> Diagnostic? {
        let message: String
        if policies.contains(where: { $0.id == binding.policyName }) {
            message = "spec.policyName: policy \(binding.policyName) is no ValidatingAdmissionPolicy, which alone a ValidatingAdmissionPolicyBinding binds"
        } else if definitions.contains(binding.policyName) {
            return nil
        } else {
            message = "spec.policyName: no ValidatingAdmissionPolicy \(binding.policyName) is among the policy files" + NameSuggestion.hint(for: binding.policyName, among: bindable)
        }
        return Diagnostic(kind: .policy, message: message, location: binding.policyNameLocation)
    }
}
