import CEL

/// Makes findings and evaluation errors for one policy on one subject, pointing each at the most
/// precise position known: the validation's `path` under the failing element or object, else the
/// element, else the object.
struct FindingBuilder {
    let policy: CompiledPolicy
    /// The inventory object evaluated, if the subject is one (a reference: copying a `Resource`
    /// for every policy evaluated on every object cost more than this whole builder).
    let object: PolicyEngine.EvaluatedObject?
    /// The object (or merged values) the policy is evaluated on.
    let subject: CELValue

    private var resource: Resource? { object?.resource }

    /// A finding of `validation`, at `path` (its `path`, or what its `pathExpression` gave).
    func finding(_ message: String, validation: Validation, path: [String], element: CELValue?) -> Finding {
        finding(message, severity: validation.severity, path: path, element: element)
    }

    /// A finding of the policy's severity unless `severity` says otherwise, at `path` (none: at
    /// the object, as when no params are found for a binding).
    func finding(_ message: String, severity: Severity? = nil, path: [String] = [], element: CELValue? = nil) -> Finding {
        Finding(
            ruleID: policy.descriptor.id, category: policy.descriptor.category, severity: severity ?? policy.descriptor.severity, message: message,
            location: location(path: path, element: element), helmSource: resource?.provenance.helmSource, resource: resource?.ref)
    }

    /// An evaluation error, at the mapping a missing key was looked up in when it has a position
    /// (the YAML mapping or values file where the field is absent), else at the element or object.
    /// A diagnostic for an evaluation error, at the value it is about when the error names one
    /// (`map` and `key`, see ``CELEvalError``), else at the map a lookup failed in, else at the
    /// element or the object.
    func error(_ message: String, element: CELValue? = nil, at error: CELEvalError? = nil) -> Diagnostic {
        let container = error?.map?.positioned
        let place = error?.key.flatMap { container?.position(ofKey: $0) } ?? container?.position
        let hint = error?.kind == .costLimitExceeded ? " (raise it with --cel-cost-limit)" : nullBindingHint(for: message)
        return Diagnostic(
            kind: .evaluation, message: "\(policy.descriptor.id): \(message)\(hint)",
            location: place ?? location(path: [], element: element), ruleID: policy.descriptor.id,
            resource: resource?.ref)
    }

    /// What may be null in a failed field selection on null: a binding the policy reads that is
    /// null here (the null may as well be a field of the object, which the message cannot tell):
    /// a Kubernetes ValidatingAdmissionPolicy reads `namespaceObject` of a namespaced object,
    /// which the API server always has, and `params` of its `paramKind`; airlock has them only
    /// from the inputs and `--param-file`.
    private func nullBindingHint(for message: String) -> String {
        guard message.contains("null_type") else { return "" }
        var reasons: [String] = []
        if let resource, !resource.namespace.isEmpty, case .null? = object?.namespaceObject,
           policy.readBindings.contains(PolicyBinding.namespaceObject.rawValue) {
            reasons.append("the policy reads namespaceObject, which is null here: the Namespace \(resource.namespace) is not among the inputs")
        }
        if case .null = policy.params, policy.readBindings.contains(PolicyBinding.params.rawValue) {
            switch policy.policy.binding {
            case nil: reasons.append("the policy reads params, which is null: none were given (--param-file for a paramKind)")
            case let binding? where binding.paramRef == nil: reasons.append("the policy reads params, which is null: its binding \(binding.name) has no paramRef")
            default: break
            }
        }
        return reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")"
    }

    /// `path` is relative to the element when it has a position, else (no element, or one an
    /// expression made, such as a string or an index) to the object; it is followed as far as it
    /// exists. A finding on a mapping or list points at the key that holds
    /// it (`labels:`), not at the collection, which starts at its first entry (an unrelated
    /// label); so does one on a field missing under a key (`labels:` for a missing
    /// `metadata.labels.classification`).
    private func location(path: [String], element: CELValue?) -> SourceSpan? {
        var start = subject
        if let element, element.positioned != nil { start = element }
        guard var container = start.positioned else { return resource?.provenance.span }
        var value = start
        var span = container.position
        var lastKey: (container: CELPositioned, key: CELValue)?
        var keyHoldingSpan: SourceSpan? { lastKey.flatMap { $0.container.position(ofKeyToken: $0.key) } }
        for (index, key) in path.enumerated() {
            let celKey: CELValue = Int(key).map { .int(Int64($0)) } ?? .string(key)
            guard let next = value.child(key), let nextSpan = container.position(ofKey: celKey) else {
                return keyHoldingSpan ?? span
            }
            span = nextSpan
            value = next
            lastKey = (container, celKey)
            guard let nextContainer = next.positioned else {
                return index == path.count - 1 ? span : keyHoldingSpan ?? span
            }
            container = nextContainer
        }
        return keyHoldingSpan ?? span
    }

    /// The keys of a computed path: a dotted string, or a list of keys and indices (for keys that
    /// hold dots, such as `requests.cpu`); nil for any other value or a string that is no path.
    static func path(from value: CELValue) -> [String]? {
        switch value {
        case .string(let text): return try? DottedPath.keys(text).get()
        case .list(let list):
            var keys: [String] = []
            for index in 0..<list.count {
                switch list[index] {
                case .string(let key): keys.append(key)
                case .int(let position): keys.append(String(position))
                default: return nil
                }
            }
            return keys
        default: return nil
        }
    }
}
