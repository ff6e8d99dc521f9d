import CEL
import YAMLSource

/// YAML nodes seen from CEL without conversion: a mapping is a lazy map, a sequence a lazy list,
/// and each element is converted only when an expression reads it. The node stays reachable, so
/// the engine can tell where an element came from.
extension CELValue {
    /// The CEL view of a node: scalars typed as Kubernetes reads them, collections lazily.
    public init(yaml node: YAMLNode) {
        switch node.kind {
        case .scalar: self = YAMLCELHost.scalar(node)
        case .mapping, .sequence: self = YAMLCELHost(node.document).value(of: node)
        }
    }

    /// The CEL view of an inventory object, as the API server has it before admission. A
    /// namespaced object that states no namespace (or an empty or null one) reads the namespace
    /// the run gave it (`default`, or `--namespace`), and a cluster-scoped object has none,
    /// whatever it states. An object named by `generateName` alone reads `metadata.name` as the
    /// prefix followed by `*`, standing for the suffix the API server adds (the name airlock
    /// reports it by). An item of a typed list (`PodList`) that states no `kind` or `apiVersion`
    /// reads the list's. A Namespace's labels hold `kubernetes.io/metadata.name`, its name, as
    /// the API server sets it on every one (`namespaceObject.metadata.labels` is never missing).
    /// Every other field, and every position, is the node's own.
    public init(resource: Resource) { self.init(resource: resource, memo: nil) }

    /// The view of `resource` that the engine evaluates its rules on: `memo` keeps what functions
    /// of the whole object compute once for all of them (see ``YAMLCELHost/ObjectMemo``).
    init(resource: Resource, memo: YAMLCELHost.ObjectMemo?) {
        let root = resource.node
        let inventoryObject = YAMLCELHost.InventoryObject(node: root.id, containerPlace: resource.containerPlace, memo: memo)
        let overrides = Self.fieldOverrides(of: resource)
        let host = overrides.isEmpty
            ? YAMLCELHost(root.document, inventoryObject: inventoryObject)
            : FieldOverrideHost(root.document, overrides: overrides, inventoryObject: inventoryObject)
        self = host.value(of: root)
    }

    /// The fields `init(resource:)` reads otherwise than `resource`'s node states them.
    private static func fieldOverrides(of resource: Resource) -> [FieldOverrideHost.Override] {
        // Most objects read as written: told by what the decoder found, without reading the node.
        let written = resource.written
        let readsNamespaceAsWritten = resource.namespace.isEmpty ? !written.contains(.namespaceKey) : written.contains(.namespace)
        if readsNamespaceAsWritten, written.isDisjoint(with: [.inheritedType, .generatedName]), resource.kind != "Namespace" { return [] }
        let root = resource.node
        guard let metadata = root["metadata"], metadata.kind == .mapping else { return [] }
        var overrides: [FieldOverrideHost.Override] = []
        // Only a list item (not its document's root) can take its type from its list.
        if root.id != root.document.root.id {
            if root["kind"] == nil { overrides.append(.init(mapping: root.id, key: "kind", value: .string(resource.kind), isWritten: false)) }
            if root["apiVersion"] == nil {
                overrides.append(.init(mapping: root.id, key: "apiVersion", value: .string(resource.apiVersion), isWritten: false))
            }
        }
        let statedNamespace = metadata["namespace"]
        let statesNamespace = statedNamespace.map { !$0.isNull && $0.string != "" } ?? false
        switch (resource.namespace.isEmpty, statesNamespace) {
        case (false, false):
            overrides.append(.init(mapping: metadata.id, key: "namespace", value: .string(resource.namespace), isWritten: statedNamespace != nil))
        case (true, _) where statedNamespace != nil:
            overrides.append(.init(mapping: metadata.id, key: "namespace", value: nil, isWritten: true))
        default: break
        }
        if metadata["generateName"] != nil, case let statedName = metadata["name"], statedName.map({ $0.isNull || $0.string == "" }) ?? true {
            overrides.append(.init(mapping: metadata.id, key: "name", value: .string(resource.name), isWritten: statedName != nil))
        }
        if resource.kind == "Namespace" && resource.group.isEmpty {
            let nameLabel = MatchCriteria.namespaceNameLabel
            switch metadata["labels"] {
            case let labels? where labels.kind == .mapping:
                overrides.append(.init(mapping: labels.id, key: nameLabel, value: .string(resource.name), isWritten: labels[nameLabel] != nil))
            case let labels where labels?.isNull ?? true:
                let added = CELValue.map(CELMap([nameLabel: .string(resource.name)]))
                overrides.append(.init(mapping: metadata.id, key: "labels", value: added, isWritten: labels != nil))
            default: break
            }
        }
        return overrides
    }
}

/// The collections of one YAML document as CEL maps and lists named by node id: reading
/// `object.spec.template` from `object` makes no object, only a (host, id) pair.
class YAMLCELHost: CELCollectionHost, @unchecked Sendable {
    let document: YAMLDocument
    /// Set for the view of an inventory object (`CELValue(resource:)`).
    let inventoryObject: InventoryObject?

    /// What the view of an inventory object knows of it from when it is made.
    struct InventoryObject {
        /// The object's node.
        let node: UInt32
        /// Where it keeps its containers: its `Resource.containerPlace`, found when it was read.
        let containerPlace: WorkloadFunctions.ContainerPlace?
        /// Set on the view the engine evaluates the object's rules on, and only there.
        let memo: ObjectMemo?
    }

    /// What functions of one evaluated object compute once for all its rules (`containers()`,
    /// which the environment and argument functions read too, and `podSpec()`). Only the engine's
    /// view of the object being evaluated has one, and that view stays on the thread evaluating
    /// it: the views that lookups make (`resources()`), which keyed variables share between
    /// threads, have none.
    final class ObjectMemo {
        var containers: CELValue?
        var podSpec: CELValue?

        /// Forgets every value: they are views of the object, whose host holds the memo, so
        /// this breaks the cycle when the object is done with.
        func forget() {
            containers = nil
            podSpec = nil
        }
    }

    /// What the view knows of its inventory object when `value` is the view of that object itself
    /// (not a field of it, nor a view of another value).
    static func inventoryObject(of value: CELValue) -> InventoryObject? {
        guard case .map(let map) = value, let host = map.host as? YAMLCELHost, let object = host.inventoryObject, object.node == map.id
        else { return nil }
        return object
    }

    init(_ document: YAMLDocument, inventoryObject: InventoryObject? = nil) {
        self.document = document
        self.inventoryObject = inventoryObject
    }

    /// The CEL view of a node of this host's document.
    final func value(of node: YAMLNode) -> CELValue { value(ofNode: node.id) }

    /// The CEL view of node `id` of this host's document: collections are this host and the id
    /// (nothing allocated), scalars converted.
    final func value(ofNode id: UInt32) -> CELValue {
        switch document.kind(ofNode: id) {
        case .mapping: return .map(CELMap(host: self, id: id))
        case .sequence: return .list(CELList(host: self, id: id))
        case .scalar: return Self.scalar(document.node(id))
        }
    }

    /// A scalar typed as Kubernetes reads it; text that does not parse as its type stays a string.
    static func scalar(_ node: YAMLNode) -> CELValue {
        switch node.scalarType ?? .string {
        case .null: return .null
        case .bool: return node.bool.map(CELValue.bool) ?? .string(node.text ?? "")
        case .int: return node.int.map(CELValue.int) ?? .string(node.text ?? "")
        case .float: return node.double.map(CELValue.double) ?? .string(node.text ?? "")
        case .string: return .string(node.text ?? "")
        }
    }

    /// Where collection `id` and its elements were written.
    final func positioned(_ id: UInt32) -> CELPositioned { YAMLNodePosition(node: document.node(id)) }

    override func count(of id: UInt32) -> Int { document.count(ofNode: id) }

    override func element(of id: UInt32, at index: Int) -> CELValue { value(ofNode: document.item(at: index, ofNode: id)) }

    override func value(of id: UInt32, forKey key: CELValue) -> CELValue? {
        guard case .string(let name) = key, let value = document.value(forKey: name, ofNode: id) else { return nil }
        return self.value(ofNode: value)
    }

    override func containsKey(of id: UInt32, _ key: CELValue) -> Bool {
        guard case .string(let name) = key else { return false }
        return document.value(forKey: name, ofNode: id) != nil
    }

    override func value(of id: UInt32, field: CELFieldName, hint: inout Int) -> CELValue? {
        document.value(forKey: field.utf8, ofNode: id, hint: &hint).map(value(ofNode:))
    }

    override func contains(_ id: UInt32, field: CELFieldName, hint: inout Int) -> Bool {
        document.value(forKey: field.utf8, ofNode: id, hint: &hint) != nil
    }

    override func keys(of id: UInt32) -> [CELValue] {
        let node = document.node(id)
        return (0..<node.count).map { .string(node.entry(at: $0).key.text ?? "") }
    }
}

/// The view of an object some of whose fields are not what its YAML states: each override
/// replaces the value of its key in its mapping, or adds the key when the YAML does not write it;
/// a nil value takes the key away. An added key has no position of its own (a finding at
/// `metadata.namespace` points at `metadata`).
final class FieldOverrideHost: YAMLCELHost, @unchecked Sendable {
    struct Override {
        /// The node id of the mapping.
        let mapping: UInt32
        let key: String
        let value: CELValue?
        /// Whether the YAML writes the key.
        let isWritten: Bool
    }

    let overrides: [Override]

    init(_ document: YAMLDocument, overrides: [Override], inventoryObject: InventoryObject?) {
        self.overrides = overrides
        super.init(document, inventoryObject: inventoryObject)
    }

    private func override(of id: UInt32, _ key: CELValue) -> Override? {
        guard case .string(let name) = key else { return nil }
        return overrides.first { $0.mapping == id && $0.key == name }
    }

    override func count(of id: UInt32) -> Int {
        let added = overrides.count { $0.mapping == id && $0.value != nil && !$0.isWritten }
        let removed = overrides.count { $0.mapping == id && $0.value == nil && $0.isWritten }
        return super.count(of: id) + added - removed
    }

    override func value(of id: UInt32, forKey key: CELValue) -> CELValue? {
        guard let override = override(of: id, key) else { return super.value(of: id, forKey: key) }
        return override.value
    }

    override func containsKey(of id: UInt32, _ key: CELValue) -> Bool {
        guard let override = override(of: id, key) else { return super.containsKey(of: id, key) }
        return override.value != nil
    }

    override func value(of id: UInt32, field: CELFieldName, hint: inout Int) -> CELValue? {
        guard let override = override(of: id, field.key) else { return super.value(of: id, field: field, hint: &hint) }
        return override.value
    }

    override func contains(_ id: UInt32, field: CELFieldName, hint: inout Int) -> Bool {
        guard let override = override(of: id, field.key) else { return super.contains(id, field: field, hint: &hint) }
        return override.value != nil
    }

    override func keys(of id: UInt32) -> [CELValue] {
        let written = super.keys(of: id)
        guard overrides.contains(where: { $0.mapping == id }) else { return written }
        let kept = written.filter { key in override(of: id, key).map { $0.value != nil } ?? true }
        return kept + overrides.filter { $0.mapping == id && $0.value != nil && !$0.isWritten }.map { .string($0.key) }
    }
}

/// The position of a YAML mapping or sequence, and of its entries or items.
struct YAMLNodePosition: CELPositioned {
    let node: YAMLNode

    var position: SourceSpan { node.span }

    func position(ofKey key: CELValue) -> SourceSpan? {
        switch (node.kind, key) {
        case (.mapping, .string(let name)): return node[name]?.span
        case (.sequence, .int(let index)) where index >= 0 && index < node.count: return node.item(at: Int(index)).span
        default: return nil
        }
    }

    func position(ofKeyToken key: CELValue) -> SourceSpan? {
        guard node.kind == .mapping, case .string(let name) = key else { return position(ofKey: key) }
        return node.entries.first { $0.key.text == name }?.key.span
    }
}
