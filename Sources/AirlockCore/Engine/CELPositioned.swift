import CEL
import YAMLSource

/// A CEL map or list that knows where its data came from, so findings can point at the field
/// at fault (implemented by YAML views and merged Helm values).
public protocol CELPositioned {
    /// Where the container itself starts.
    var position: SourceSpan { get }
    /// Where the value under `key` (a string for maps, an int for lists) was written.
    func position(ofKey key: CELValue) -> SourceSpan?
    /// Where the key `key` itself was written (for a list index, its item): a finding on a field
    /// missing under it points there.
    func position(ofKeyToken key: CELValue) -> SourceSpan?
}

extension CELPositioned {
    public func position(ofKeyToken key: CELValue) -> SourceSpan? { position(ofKey: key) }
}

extension CELValue {
    /// The positioned container behind a map or list value, if any.
    var positioned: CELPositioned? {
        switch self {
        case .map(let map): return map.provider as? CELPositioned ?? (map.host as? YAMLCELHost)?.positioned(map.id)
        case .list(let list): return list.provider as? CELPositioned ?? (list.host as? YAMLCELHost)?.positioned(list.id)
        default: return nil
        }
    }

    /// The value under a map key or list index written as text (`"0"`).
    public func child(_ key: String) -> CELValue? {
        switch self {
        case .map(let map): return map.value(forKey: .string(key))
        case .list(let list):
            guard let index = Int(key), index >= 0, index < list.count else { return nil }
            return list[index]
        default: return nil
        }
    }
}

extension YAMLNode {
    /// This node's position as a span.
    public var span: SourceSpan { SourceSpan(file: document.file, line: line, column: column) }
}
