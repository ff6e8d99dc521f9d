import CEL
import YAMLSource

/// YAML nodes seen from CEL without conversion: a mapping is a lazy map, a sequence a lazy list,
/// and each element is converted only when an expression reads it. The node stays reachable, so
/// the engine can tell where an element came from.
extension CELValue {
    /// The CEL view of a node: scalars typed as Kubernetes reads them, collections lazily.
    public init(yaml node: YAMLNode) {
        switch node.kind {
        case .mapping: self = .map(CELMap(provider: YAMLMapView(node: node)))
        case .sequence: self = .list(CELList(provider: YAMLListView(node: node)))
        case .scalar:
            switch node.scalarType ?? .string {
            case .null: self = .null
            case .bool: self = node.bool.map(CELValue.bool) ?? .string(node.text ?? "")
            case .int: self = node.int.map(CELValue.int) ?? .string(node.text ?? "")
            case .float: self = node.double.map(CELValue.double) ?? .string(node.text ?? "")
            case .string: self = .string(node.text ?? "")
            }
        }
    }
}

/// A YAML mapping as a CEL map with string keys.
public struct YAMLMapView: CELMapProvider, CELPositioned {
    public let node: YAMLNode

    public var position: SourceSpan { node.span }

    public func position(ofKey key: CELValue) -> SourceSpan? {
        guard case .string(let name) = key else { return nil }
        return node[name]?.span
    }

    public var count: Int { node.count }

    public func value(forKey key: CELValue) -> CELValue? {
        guard case .string(let name) = key, let value = node[name] else { return nil }
        return CELValue(yaml: value)
    }

    public var keys: [CELValue] {
        (0..<node.count).map { .string(node.entry(at: $0).key.text ?? "") }
    }
}

/// A YAML sequence as a CEL list.
public struct YAMLListView: CELListProvider, CELPositioned {
    public let node: YAMLNode

    public var position: SourceSpan { node.span }

    public func position(ofKey key: CELValue) -> SourceSpan? {
        guard case .int(let index) = key, index >= 0, index < node.count else { return nil }
        return node.item(at: Int(index)).span
    }

    public var count: Int { node.count }

    public func element(at index: Int) -> CELValue { CELValue(yaml: node.item(at: index)) }
}
