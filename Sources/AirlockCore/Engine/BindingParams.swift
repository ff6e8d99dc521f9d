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
    /// Why none can be looked up (the API server fails the request then): for any object, when
    /// the paramRef names a namespace for a cluster-scoped kind; for a cluster-scoped object, when
    /// it names none for a namespaced kind.
    private let problem: (clusterScopedObjectsOnly: Bool, message: String)?

    /// Nil for a policy whose params no paramRef selects.
    init?(_ policy: Policy, inventory: Inventory) {
        guard let binding = policy.binding, let paramRef = binding.paramRef, let kind = policy.paramKind else { return nil }
        self.paramRef = paramRef
        let apiVersion = policy.paramAPIVersion ?? ""
        let ofKind = inventory.resources(kind: kind).filter { $0.apiVersion == apiVersion }
        candidates = ofKind
            .filter { object in (paramRef.name.map { $0 == object.name } ?? true) && (paramRef.selector?.matches(object.label) ?? true) }
            .map { ($0.namespace, CELValue(resource: $0)) }
        notFoundMessage = "no params found for binding \(binding.name): no \(paramRef.described(kind: kind)) among the inputs, and its parameterNotFoundAction is Deny"
        let isClusterScoped = ClusterScopedKinds.contains(kind: kind, apiVersion: apiVersion) || ofKind.contains { $0.namespace.isEmpty }
        switch (paramRef.namespace, isClusterScoped) {
        case (let namespace?, true):
            problem = (false, "binding \(binding.name): its paramRef names namespace \(namespace), and a \(kind) is cluster-scoped (leave spec.paramRef.namespace out)")
        case (nil, false):
            problem = (true, "binding \(binding.name): its paramRef names no namespace, so a \(kind) is looked up in the namespace of the object checked, which has none "
                + "(give spec.paramRef.namespace, or leave cluster-scoped objects out with spec.matchResources)")
        default:
            problem = nil
        }
    }

    /// The params for `resource`, in the order of the inputs, or why none can be looked up.
    func params(for resource: Resource) -> Result<[CELValue], BindingParamsError> {
        if let problem, resource.namespace.isEmpty || !problem.clusterScopedObjectsOnly { return .failure(BindingParamsError(message: problem.message)) }
        let namespace = paramRef.namespace ?? resource.namespace
        return .success(candidates.filter { $0.namespace.isEmpty || $0.namespace == namespace }.map(\.value))
    }
}

/// Why a binding's params cannot be looked up for an object.
struct BindingParamsError: Error {
    let message: String
}
