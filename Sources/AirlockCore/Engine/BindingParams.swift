import CEL

/// The params objects a ValidatingAdmissionPolicyBinding's `paramRef` selects among the inputs,
/// as the API server selects them in the cluster: objects of the policy's `paramKind`, by name or
/// by label selector, in the paramRef's namespace, else in the namespace of the object evaluated
/// (a cluster-scoped params object is found from every namespace).
struct BindingParams {
    let paramRef: AdmissionPolicyBinding.ParamRef
    /// Every object of the kind the paramRef names or selects, whatever its namespace, with its CEL view.
    private let candidates: [(namespace: String, value: CELValue)]
    /// Why none is found, in words (`no ConfigMap limits in namespace policy among the inputs`).
    let notFoundMessage: String

    /// Nil for a policy whose params no paramRef selects.
    init?(_ policy: Policy, inventory: Inventory) {
        guard let binding = policy.binding, let paramRef = binding.paramRef, let kind = policy.paramKind else { return nil }
        self.paramRef = paramRef
        candidates = inventory.resources(kind: kind)
            .filter { object in
                object.apiVersion == policy.paramAPIVersion && paramRef.name.map { $0 == object.name } ?? true
                    && paramRef.selector?.matches(object.label) ?? true
            }
            .map { ($0.namespace, CELValue(resource: $0)) }
        notFoundMessage = "no params found for binding \(binding.name): no \(paramRef.described(kind: kind)) among the inputs, and its parameterNotFoundAction is Deny"
    }

    /// The params for `resource`, in the order of the inputs.
    func params(for resource: Resource) -> [CELValue] {
        let namespace = paramRef.namespace ?? resource.namespace
        return candidates.filter { $0.namespace.isEmpty || $0.namespace == namespace }.map(\.value)
    }
}
