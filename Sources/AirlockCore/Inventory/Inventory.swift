/// All resources of a run, indexed so that cross-resource rules look things up in O(1):
/// by kind, by namespace, and by (kind, namespace, name).
public struct Inventory: Sendable {
    public private(set) var resources: [Resource] = []
    /// Positions in `resources` (32 bits: an inventory holds far fewer than 4 billion objects).
    private var byKind: [String: [UInt32]] = [:]
    private var byKindAndNamespace: [KindNamespace: [UInt32]] = [:]
    private var byNamespace: [String: [UInt32]] = [:]
    private var byIdentity = IdentityIndex()

    private struct KindNamespace: Hashable {
        var kind: String
        var namespace: String
    }

    public init(_ resources: [Resource] = []) {
        for resource in resources { add(resource) }
    }

    /// Adds a resource; a later object with the same kind, namespace and name shadows the earlier
    /// one in `resource(kind:namespace:name:)`, as `kubectl apply` would, but both stay listed.
    /// Makes room for `count` resources, so that adding them does not regrow the array.
    public mutating func reserveCapacity(_ count: Int) {
        resources.reserveCapacity(count)
        byIdentity.reserveCapacity(count, of: resources)
    }

    public mutating func add(_ resource: Resource) {
        let index = resources.count
        resources.append(resource)
        let position = UInt32(index)
        byKind[resource.kind, default: []].append(position)
        byKindAndNamespace[KindNamespace(kind: resource.kind, namespace: resource.namespace), default: []].append(position)
        byNamespace[resource.namespace, default: []].append(position)
        byIdentity.insert(index, of: resources)
    }

    public var count: Int { resources.count }

    public func resources(kind: String) -> [Resource] {
        (byKind[kind] ?? []).map { resources[Int($0)] }
    }

    public func resources(kind: String, namespace: String) -> [Resource] {
        (byKindAndNamespace[KindNamespace(kind: kind, namespace: namespace)] ?? []).map { resources[Int($0)] }
    }

    public func resources(namespace: String) -> [Resource] {
        (byNamespace[namespace] ?? []).map { resources[Int($0)] }
    }

    public func resource(kind: String, namespace: String, name: String) -> Resource? {
        byIdentity.position(kind: kind, namespace: namespace, name: name, in: resources).map { resources[$0] }
    }

    /// The Namespace object a namespaced resource lives in, if the inputs hold it.
    public func namespaceObject(of resource: Resource) -> Resource? {
        resource.namespace.isEmpty ? nil : self.resource(kind: "Namespace", namespace: "", name: resource.namespace)
    }

    /// Kinds present, sorted.
    public var kinds: [String] { byKind.keys.sorted() }
    /// Namespaces present (empty string for cluster-scoped), sorted.
    public var namespaces: [String] { byNamespace.keys.sorted() }
}
