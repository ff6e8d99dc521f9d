import YAMLSource

/// Whether two objects that carry one `uid` and `resourceVersion` are the same state of one
/// object, as two `kubectl get` runs export it: the same kind and fields holding the same
/// values, whatever the order of keys, the style of scalars (YAML or JSON output) and where they
/// are. `apiVersion` and `kind` are compared as the objects were read (an item of a `PodList`
/// states neither). An object copied from an export as the start of another, or edited after
/// its export, is not the same: it must be read, not dropped as a copy.
enum SameExportedState {
    static func holds(_ first: Resource, _ second: Resource) -> Bool {
        guard first.apiVersion == second.apiVersion, first.kind == second.kind else { return false }
        var pending = [(first.node, second.node)]
        var topLevel = true
        while let (a, b) = pending.popLast() {
            guard a.kind == b.kind else { return false }
            switch a.kind {
            case .scalar:
                guard sameScalar(a, b) else { return false }
            case .sequence:
                guard a.count == b.count else { return false }
                pending += zip(a.items, b.items).map { ($0, $1) }
            case .mapping:
                let skipped: Set<String> = topLevel ? ["apiVersion", "kind"] : []
                topLevel = false
                var others: [String: YAMLNode] = [:]
                for (key, value) in b.entries {
                    guard let name = keyName(key) else { return false }
                    if !skipped.contains(name) { others[name] = value }
                }
                for (key, value) in a.entries {
                    guard let name = keyName(key) else { return false }
                    if skipped.contains(name) { continue }
                    guard let other = others.removeValue(forKey: name) else { return false }
                    pending.append((value, other))
                }
                guard others.isEmpty else { return false }
            }
        }
        return true
    }

    /// A mapping key's text, nil for a key that is no string (an export writes none).
    private static func keyName(_ key: YAMLNode) -> String? {
        key.scalarType == .string ? key.text : nil
    }

    /// Whether two scalars are one value: of one type, and equal as that type.
    private static func sameScalar(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        guard a.scalarType == b.scalarType else { return false }
        switch a.scalarType {
        case .null: return true
        case .bool: return a.bool == b.bool
        case .int: return a.int != nil || b.int != nil ? a.int == b.int : a.text == b.text
        case .float: return a.double != nil || b.double != nil ? a.double == b.double : a.text == b.text
        default: return a.text == b.text
        }
    }
}
