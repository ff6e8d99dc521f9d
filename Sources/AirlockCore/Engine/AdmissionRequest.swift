import CEL

/// The synthetic CREATE request a ValidatingAdmissionPolicy sees as `request`, as the API server
/// would build it for creating the object. Who sends it is not known from a manifest: the user is
/// airlock's own (a policy reading it is noted), and the request's `uid` is all zeros.
enum AdmissionRequest {
    static let username = "airlock"
    static let groups = ["system:authenticated"]

    /// The request for creating `resource`, whose resource name is `plural`.
    static func create(for resource: Resource, plural: String) -> CELValue {
        let (group, version) = (String(resource.groupAndVersion.group), String(resource.groupAndVersion.version))
        let kind: CELValue = .map(["group": .string(group), "version": .string(version), "kind": .string(resource.kind)])
        let gvr: CELValue = .map(["group": .string(group), "version": .string(version), "resource": .string(plural)])
        return .map([
            "kind": kind, "resource": gvr, "requestKind": kind, "requestResource": gvr,
            "name": .string(resource.name), "namespace": .string(resource.namespace),
            "operation": .string("CREATE"), "dryRun": .bool(true), "subResource": .string(""),
            "uid": .string("00000000-0000-0000-0000-000000000000"),
            "userInfo": .map(["username": .string(username), "groups": .list(groups.map(CELValue.string))]),
            "options": .map(["kind": .string("CreateOptions"), "apiVersion": .string("meta.k8s.io/v1")]),
        ])
    }
}
