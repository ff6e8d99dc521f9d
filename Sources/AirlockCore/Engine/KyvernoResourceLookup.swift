import CEL

/// Kyverno's resource library read from the inputs instead of a cluster: `resource.List(apiVersion,
/// resource, namespace)` and `resource.Get(apiVersion, resource, namespace, name)`, where
/// `resource` is the plural resource name (`configmaps`, `deployments`) of the API group that
/// `apiVersion` names. Any version of the group finds an object (the API server serves every
/// version of a group's resource; airlock converts none). A ValidatingPolicy written for a
/// cluster so checks an export, or rendered manifests, as Kyverno would check the cluster holding them.
struct KyvernoResourceLookup: Sendable {
    private let inventory: Inventory
    /// The inventory's index kinds (`Resource.indexKind`) that may hold objects of each resource
    /// name: `deployments` → `[Deployment]`. An object found through it is still checked for its
    /// group and resource name (a bare kind Kubernetes does not have may be of several groups).
    private let kindsByResource: [String: [String]]

    /// Made once per run, without reading the objects: the resource names come from the kinds and
    /// the plurals that CustomResourceDefinitions among the inputs declare.
    init(_ inventory: Inventory) {
        self.inventory = inventory
        let kinds = Set(inventory.kinds)
        var byResource: [String: Set<String>] = [:]
        for kind in kinds {
            byResource[ResourceNames.plural(of: Self.bareKind(kind)), default: []].insert(kind)
        }
        for (groupKind, plural) in inventory.declaredPlurals {
            for kind in [Self.bareKind(groupKind), groupKind] where kinds.contains(kind) { byResource[plural, default: []].insert(kind) }
        }
        kindsByResource = byResource.mapValues { $0.sorted() }
    }

    /// The functions, whose second argument is a resource name.
    static let functionNames = ["resource.List", "resource.Get"]

    var functions: [CELFunction] {
        [
            CELFunction(name: "resource.List", kind: .global, arity: 3, resultType: .map(.string, .dyn)) { args in
                guard case .string(let apiVersion) = args[0], case .string(let resource) = args[1], case .string(let namespace) = args[2] else {
                    return .err("resource.List(apiVersion, resource, namespace) takes three strings")
                }
                return list(apiVersion: apiVersion, resource: resource, namespace: namespace)
            },
            CELFunction(name: "resource.Get", kind: .global, arity: 4, resultType: .map(.string, .dyn)) { args in
                guard case .string(let apiVersion) = args[0], case .string(let resource) = args[1], case .string(let namespace) = args[2],
                      case .string(let name) = args[3] else {
                    return .err("resource.Get(apiVersion, resource, namespace, name) takes four strings")
                }
                return get(apiVersion: apiVersion, resource: resource, namespace: namespace, name: name)
            },
        ]
    }

    /// The objects of that group and resource in `namespace` (every namespace when it is empty),
    /// in input order (kind by kind, where several kinds have that resource name), as a list
    /// object: `{apiVersion, items}`.
    func list(apiVersion: String, resource: String, namespace: String) -> CELValue {
        guard let group = Self.group(of: apiVersion) else { return Self.notAnAPIVersion(apiVersion, by: "resource.List") }
        let items = kinds(resource: resource).flatMap { kind in
            (namespace.isEmpty ? inventory.resources(kind: kind) : inventory.resources(kind: kind, namespace: namespace))
                .filter { $0.group == group && inventory.plural(of: $0) == resource }
        }
        return .map(CELMap(["apiVersion": .string(apiVersion), "items": .list(CELList(items.map { CELValue(resource: $0) }))]))
    }

    /// The object of that group, resource, namespace (empty for a cluster-scoped one) and name;
    /// an error, worded as the API server's, when the inputs do not hold it.
    func get(apiVersion: String, resource: String, namespace: String, name: String) -> CELValue {
        guard let group = Self.group(of: apiVersion) else { return Self.notAnAPIVersion(apiVersion, by: "resource.Get") }
        for kind in kinds(resource: resource) {
            if let found = inventory.resource(kind: kind, namespace: namespace, name: name), found.group == group,
               inventory.plural(of: found) == resource {
                return CELValue(resource: found)
            }
        }
        let qualified = group.isEmpty ? resource : resource + "." + group
        return .err("\(qualified) \"\(name)\" not found" + (namespace.isEmpty ? "" : " in namespace \(namespace)") + " among the inputs")
    }

    private func kinds(resource: String) -> [String] {
        kindsByResource[resource] ?? []
    }

    /// `NetworkPolicy` of `projectcalico.org/NetworkPolicy`.
    private static func bareKind(_ kind: String) -> String {
        kind.lastIndex(of: "/").map { String(kind[kind.index(after: $0)...]) } ?? kind
    }

    /// The group of an `apiVersion`: empty for the core group's `v1`; nil for a text the API
    /// server serves nothing at (`apps` without its version, `apps/v1/x`), which Kyverno's
    /// lookup fails on: read as the core group, it would find nothing and the rule pass.
    private static func group(of apiVersion: String) -> String? {
        guard let slash = apiVersion.firstIndex(of: "/") else { return apiVersion == "v1" ? "" : nil }
        let version = apiVersion[apiVersion.index(after: slash)...]
        guard slash > apiVersion.startIndex, !version.isEmpty, !version.contains("/") else { return nil }
        return String(apiVersion[..<slash])
    }

    private static func notAnAPIVersion(_ apiVersion: String, by function: String) -> CELValue {
        .err("\(function)(): \"\(apiVersion)\" is no apiVersion the API server serves: write group/version (apps/v1), or v1 for the core group")
    }
}
