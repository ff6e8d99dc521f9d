import CEL

/// `networkPolicyTypes(object)`: the policy types of a NetworkPolicy as Kubernetes defaults them,
/// so that the rules reading its ingress or egress rules do not each repeat the defaulting. The
/// API server sets an absent or empty `policyTypes` to `[Ingress]`, plus `Egress` when the policy
/// has egress rules, and ignores the rules of a direction its types leave out.
enum NetworkPolicyTypes {
    static let functions = [
        CELFunction(name: "networkPolicyTypes", kind: .global, arity: 1, resultType: .list(.dyn)) { args in types(of: args[0]) }
    ]

    /// The `policyTypes` of `object`'s spec as written when they are a non-empty list (unknown
    /// types and items that are no string included, as the rules' `in` reads them); else
    /// `[Ingress]`, plus `Egress` when `spec.egress` is a non-empty list. A null spec, list or
    /// field is an absent one. An error when the object is no mapping, or its spec, its
    /// `policyTypes` or (when they are defaulted) its `egress` has a shape Kubernetes would refuse.
    static func types(of object: CELValue) -> CELValue {
        guard case .map = object else { return .err("networkPolicyTypes(object) takes an object, not a \(object.celType.name)") }
        let spec: CELValue
        switch object.child("spec") {
        case nil, .null?: return ingressOnly
        case .map(let map)?: spec = .map(map)
        case let other?: return .error(CELEvalError("a NetworkPolicy's spec is a \(other.celType.name), not a mapping", map: object, key: .string("spec")))
        }
        switch spec.child("policyTypes") {
        case .list(let given)? where given.count > 0: return .list(given)
        case nil, .null?, .list?: break
        case let other?:
            return .error(CELEvalError("a NetworkPolicy's spec.policyTypes is a \(other.celType.name), not a list", map: spec, key: .string("policyTypes")))
        }
        switch spec.child("egress") {
        case nil, .null?: return ingressOnly
        case .list(let rules)?: return rules.count > 0 ? ingressAndEgress : ingressOnly
        case let other?:
            return .error(CELEvalError("a NetworkPolicy's spec.egress is a \(other.celType.name), not a list", map: spec, key: .string("egress")))
        }
    }

    private static let ingressOnly = CELValue.list(CELList([.string("Ingress")]))
    private static let ingressAndEgress = CELValue.list(CELList([.string("Ingress"), .string("Egress")]))
}
