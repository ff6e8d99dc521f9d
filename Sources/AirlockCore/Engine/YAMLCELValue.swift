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

    /// The CEL view of an inventory object, with `metadata.namespace` as the API server sets it
    /// before admission: a namespaced object that states none (or an empty or null one) reads the
    /// namespace the run gave it (`default`, or `--namespace`), and a cluster-scoped object has
    /// none, whatever it states. Every other field, and every position, is the node's own.
    public init(resource: Resource) {
        guard let metadata = resource.node["metadata"], metadata.kind == .mapping else {
            self = CELValue(yaml: resource.node)
            return
        }
        let stated = metadata["namespace"]
        let statesNamespace = stated.map { !$0.isNull && $0.string != "" } ?? false
        switch (resource.namespace.isEmpty, statesNamespace) {
        case (false, false):
            self = NamespaceOverrideHost(resource.node.document, metadata: metadata.id, namespace: .string(resource.namespace), keyIsWritten: stated != nil)
                .value(of: resource.node)
        case (true, _) where stated != nil:
            self = NamespaceOverrideHost(resource.node.document, metadata: metadata.id, namespace: nil, keyIsWritten: true)
                .value(of: resource.node)
        default:
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

/// The view of an object whose `metadata.namespace` is not what its YAML states: `namespace`
/// replaces the key's value, or is added when `keyIsWritten` is false; nil takes the key away. An
/// added key has no position of its own (a finding at `metadata.namespace` points at `metadata`).
final class NamespaceOverrideHost: YAMLCELHost, @unchecked Sendable {
    let metadata: UInt32
    let namespace: CELValue?
    let keyIsWritten: Bool

    init(_ document: YAMLDocument, metadata: UInt32, namespace: CELValue?, keyIsWritten: Bool) {
        self.metadata = metadata
        self.namespace = namespace
        self.keyIsWritten = keyIsWritten
        super.init(document)
    }

    private func isNamespace(_ id: UInt32, _ key: CELValue) -> Bool {
        guard id == metadata, case .string(let name) = key else { return false }
        return name == "namespace"
    }

    /// Whether the key is added to what the YAML writes, or taken away from it.
    private var change: (adds: Bool, removes: Bool) { (namespace != nil && !keyIsWritten, namespace == nil && keyIsWritten) }

    override func count(of id: UInt32) -> Int {
        guard id == metadata else { return super.count(of: id) }
        return super.count(of: id) + (change.adds ? 1 : 0) - (change.removes ? 1 : 0)
    }

    override func value(of id: UInt32, forKey key: CELValue) -> CELValue? {
        isNamespace(id, key) ? namespace : super.value(of: id, forKey: key)
    }

    override func containsKey(of id: UInt32, _ key: CELValue) -> Bool {
        isNamespace(id, key) ? namespace != nil : super.containsKey(of: id, key)
    }

    override func keys(of id: UInt32) -> [CELValue] {
        let written = super.keys(of: id)
        guard id == metadata else { return written }
        if change.adds { return written + [.string("namespace")] }
        if change.removes { return written.filter { !isNamespace(id, $0) } }
        return written
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
