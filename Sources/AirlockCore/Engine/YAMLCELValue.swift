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

    /// The CEL view of an inventory object. As the API server fills in `metadata.namespace` from
    /// the request before admission, a namespaced object that states no namespace reads the one
    /// the run gave it (`default`, or `--namespace`) as `object.metadata.namespace`; every other
    /// field, and every position, is the node's own.
    public init(resource: Resource) {
        if !resource.namespace.isEmpty, let metadata = resource.node["metadata"], metadata.kind == .mapping, metadata["namespace"] == nil {
            let host = AssignedNamespaceHost(resource.node.document, metadata: metadata.id, namespace: resource.namespace)
            self = host.value(of: resource.node)
        } else {
            self = CELValue(yaml: resource.node)
        }
    }
}

/// The collections of one YAML document as CEL maps and lists named by node id: reading
/// `object.spec.template` from `object` makes no object, only a (host, id) pair.
class YAMLCELHost: CELCollectionHost, @unchecked Sendable {
    let document: YAMLDocument

    init(_ document: YAMLDocument) {
        self.document = document
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

    override func keys(of id: UInt32) -> [CELValue] {
        let node = document.node(id)
        return (0..<node.count).map { .string(node.entry(at: $0).key.text ?? "") }
    }
}

/// The view of an object that states no namespace: its `metadata` mapping also has the key
/// `namespace`, the namespace the run placed the object in. The key has no position of its own
/// (a finding at `metadata.namespace` points at `metadata`).
final class AssignedNamespaceHost: YAMLCELHost, @unchecked Sendable {
    let metadata: UInt32
    let namespace: CELValue

    init(_ document: YAMLDocument, metadata: UInt32, namespace: String) {
        self.metadata = metadata
        self.namespace = .string(namespace)
        super.init(document)
    }

    private func isNamespace(_ id: UInt32, _ key: CELValue) -> Bool {
        guard id == metadata, case .string(let name) = key else { return false }
        return name == "namespace"
    }

    override func count(of id: UInt32) -> Int { super.count(of: id) + (id == metadata ? 1 : 0) }

    override func value(of id: UInt32, forKey key: CELValue) -> CELValue? {
        isNamespace(id, key) ? namespace : super.value(of: id, forKey: key)
    }

    override func containsKey(of id: UInt32, _ key: CELValue) -> Bool {
        isNamespace(id, key) || super.containsKey(of: id, key)
    }

    override func keys(of id: UInt32) -> [CELValue] {
        super.keys(of: id) + (id == metadata ? [.string("namespace")] : [])
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
}
