import Dispatch

/// All resources of a run, indexed so that cross-resource rules look things up in O(1):
/// by kind, by namespace, and by (kind, namespace, name). A copy costs three references: the
/// engine hands the inventory to every object's evaluation.
public struct Inventory: Sendable {
    public let resources: [Resource]
    private let indexes: Indexes

    /// Positions in `resources` (32 bits: an inventory holds far fewer than 4 billion objects).
    private final class Indexes: Sendable {
        let byKind: [String: [UInt32]]
        let byKindAndNamespace: [KindNamespace: [UInt32]]
        let byNamespace: [String: [UInt32]]
        let byIdentity: IdentityIndex
        let byType: TypeIndex

        init(
            byKind: [String: [UInt32]], byKindAndNamespace: [KindNamespace: [UInt32]], byNamespace: [String: [UInt32]], byIdentity: IdentityIndex,
            byType: TypeIndex
        ) {
            (self.byKind, self.byKindAndNamespace, self.byNamespace, self.byIdentity, self.byType) = (byKind, byKindAndNamespace, byNamespace, byIdentity, byType)
        }
    }

    private struct KindNamespace: Hashable {
        var kind: String
        var namespace: String
    }

    /// One of the indexes, as built by one task.
    private enum BuiltIndex: Sendable {
        case byName([String: [UInt32]])
        case byKindAndNamespace([KindNamespace: [UInt32]])
        case byIdentity(IdentityIndex)
        case byType(TypeIndex)
    }

    /// Indexes `resources`; a later object with the same kind, namespace and name shadows the
    /// earlier one in `resource(kind:namespace:name:)`, as `kubectl apply` would, but both stay
    /// listed. The five indexes do not depend on each other and are built at the same time, the
    /// largest first: one after the other they took 0.1 s at 90,000 objects with the other cores
    /// idle.
    public init(_ resources: [Resource] = []) {
        self.resources = resources
        let built = ResultSlots<BuiltIndex>(count: 5)
        DispatchQueue.concurrentPerform(iterations: 5) { task in
            switch task {
            case 0: built[task] = .byKindAndNamespace(Self.positions(of: resources) { KindNamespace(kind: $0.indexKind, namespace: $0.namespace) })
            case 1: built[task] = .byIdentity(IdentityIndex(resources))
            case 2: built[task] = .byName(Self.positions(of: resources) { $0.indexKind })
            case 3: built[task] = .byName(Self.positions(of: resources) { $0.namespace })
            default: built[task] = .byType(TypeIndex(resources))
            }
        }
        guard case .byKindAndNamespace(let byKindAndNamespace)? = built[0], case .byIdentity(let byIdentity)? = built[1],
              case .byName(let byKind)? = built[2], case .byName(let byNamespace)? = built[3], case .byType(let byType)? = built[4]
        else { preconditionFailure("every index task stores its index") }
        indexes = Indexes(byKind: byKind, byKindAndNamespace: byKindAndNamespace, byNamespace: byNamespace, byIdentity: byIdentity, byType: byType)
    }

    /// The positions of `resources` grouped by `key`, each group in order.
    private static func positions<Key: Hashable>(of resources: [Resource], by key: (Resource) -> Key) -> [Key: [UInt32]] {
        var index: [Key: [UInt32]] = [:]
        for (position, resource) in resources.enumerated() { index[key(resource), default: []].append(UInt32(position)) }
        return index
    }

    public var count: Int { resources.count }

    /// The plural resource names that CustomResourceDefinitions among the inputs declare, by
    /// `group/Kind` (see `CrossDocumentChecks`).
    public var declaredPlurals: [String: String] = [:]

    /// The resource name of `resource`'s kind in ValidatingAdmissionPolicy `resourceRules` and
    /// `request.resource`: its CustomResourceDefinition's `spec.names.plural` when the inputs hold
    /// it, else the plural the API server derives from the kind.
    public func plural(of resource: Resource) -> String {
        declaredPlural(of: resource) ?? ResourceNames.plural(of: resource.kind)
    }

    /// The plural a CustomResourceDefinition among the inputs declares for `resource`'s kind.
    public func declaredPlural(of resource: Resource) -> String? {
        declaredPlurals.isEmpty ? nil : declaredPlurals[resource.group + "/" + resource.kind]
    }

    public func resources(kind: String) -> [Resource] {
        (indexes.byKind[kind] ?? []).map { resources[Int($0)] }
    }

    public func resources(kind: String, namespace: String) -> [Resource] {
        (indexes.byKindAndNamespace[KindNamespace(kind: kind, namespace: namespace)] ?? []).map { resources[Int($0)] }
    }

    public func resources(namespace: String) -> [Resource] {
        (indexes.byNamespace[namespace] ?? []).map { resources[Int($0)] }
    }

    public func resource(kind: String, namespace: String, name: String) -> Resource? {
        indexes.byIdentity.position(kind: kind, namespace: namespace, name: name, in: resources).map { resources[$0] }
    }

    /// The positions in `resources` of the objects that have the kind, namespace and name of an
    /// earlier one (which `resource(kind:namespace:name:)` no longer returns), with that earlier one's.
    public var replacements: [(earlier: Int, later: Int)] { indexes.byIdentity.replacements }

    /// The Namespace object a namespaced resource lives in, if the inputs hold it.
    public func namespaceObject(of resource: Resource) -> Resource? {
        resource.namespace.isEmpty ? nil : self.resource(kind: "Namespace", namespace: "", name: resource.namespace)
    }

    /// The first object of each distinct `apiVersion` and kind, in the order the types first appear.
    public var typeRepresentatives: [Resource] { indexes.byType.representatives.map { resources[Int($0)] } }

    /// The number of distinct `apiVersion` and kind pairs.
    var typeCount: Int { indexes.byType.count }

    /// The type (0 ..< `typeCount`, the position of its representative in `typeRepresentatives`)
    /// of the object at `position` of `resources`.
    func type(ofObjectAt position: Int) -> Int { indexes.byType.type(ofObjectAt: position) }

    /// Kinds present, sorted.
    public var kinds: [String] { indexes.byKind.keys.sorted() }
    /// Namespaces present (empty string for cluster-scoped), sorted.
    public var namespaces: [String] { indexes.byNamespace.keys.sorted() }
}
