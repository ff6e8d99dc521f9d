import CEL
import YAMLSource

/// The kubelet's expansion of `$(NAME)` in one container's environment values: a reference to a
/// variable defined earlier in the container becomes its value, `$$` is a `$`, and any other
/// reference stays as written (Kubernetes' `third_party/forked/golang/expansion`).
///
/// A variable whose value the inputs do not give (`valueFrom` a Secret, a ConfigMap that is not
/// among the inputs, most fields) is not defined here, so references to it stay as written: a
/// rule then reads them as they are, never as some value they might have. The exception is the pod's own address or its
/// node's (`fieldRef` `status.podIP`, `status.hostIP`, and their plurals), defined as `localhost`:
/// traffic to it stays on the pod's node (`http://$(HOST_IP):4317` reaches the node's agent); and
/// the pod's namespace (`fieldRef` `metadata.namespace`), the object's.
struct EnvReferenceExpansion {
    private var defined: [String: String] = [:]
    /// The object's namespace, which its pods run in; nil when not known.
    private let podNamespace: String?
    /// Bytes the references of this container's values have expanded to so far.
    private var expandedBytes = 0

    /// The most bytes references may expand to in one container: a variable written twice in the
    /// next one, and so on, doubles at every step (the kubelet sets no limit), and no container
    /// is started with an environment of a megabyte.
    static let expandedByteLimit = 1 << 20

    init(podNamespace: String? = nil) {
        self.podNamespace = podNamespace
    }

    /// The value a `fieldRef` to one of the pod's labels or annotations
    /// (`metadata.annotations['model-url']`, `metadata.labels['app']`) reads from `metadata`, the
    /// pod's (found only for such a path); nil for other paths, or a key the metadata does not give.
    static func podMetadataField(_ fieldPath: String, of metadata: () -> CELValue?) -> String? {
        for field in ["labels", "annotations"] {
            let prefix = "metadata.\(field)['"
            guard fieldPath.hasPrefix(prefix), fieldPath.hasSuffix("']"), fieldPath.count >= prefix.count + 2 else { continue }
            let key = String(fieldPath.dropFirst(prefix.count).dropLast(2))
            return metadata()?.child(field)?.child(key).flatMap(text(of:))
        }
        return nil
    }

    /// The `fieldRef` paths that give the pod's own address or its node's.
    static let podAddressFields: Set<String> = ["status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs"]

    /// Whether `text` holds a `$`, without which it expands to itself: read with `memchr` (a
    /// loop over the UTF-8 view cost about 750 instructions for a URL).
    static func mayHoldReference(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { ByteScan.firstIndex(of: UInt8(ascii: "$"), in: $0, from: 0) != nil }
    }

    /// Expands `value` with the variables defined so far; nil when the container's references
    /// would expand to more than `expandedByteLimit` bytes.
    mutating func expand(_ value: String) -> String? {
        guard Self.mayHoldReference(value) else { return value }
        let bytes = Array(value.utf8)
        var expanded: [UInt8] = []
        expanded.reserveCapacity(bytes.count)
        var cursor = 0
        // Once no `)` follows a `$(`, none follows a later one: without this, each of many `$(`
        // would search the rest of the value again.
        var closeAhead = true
        while cursor < bytes.count {
            guard bytes[cursor] == UInt8(ascii: "$"), cursor + 1 < bytes.count else {
                expanded.append(bytes[cursor])
                cursor += 1
                continue
            }
            let next = bytes[cursor + 1]
            if next == UInt8(ascii: "$") {
                expanded.append(next)
                cursor += 2
            } else if next == UInt8(ascii: "("), closeAhead, let close = Self.close(in: bytes, from: cursor + 2, found: &closeAhead) {
                if let known = defined[String(decoding: bytes[(cursor + 2)..<close], as: UTF8.self)] {
                    expandedBytes += known.utf8.count
                    guard expandedBytes <= Self.expandedByteLimit else { return nil }
                    expanded += known.utf8
                } else {
                    expanded += bytes[cursor...close]
                }
                cursor = close + 1
            } else {
                expanded += [bytes[cursor], next]
                cursor += 2
            }
        }
        return String(decoding: expanded, as: UTF8.self)
    }

    /// The position of the first `)` at or after `start`; nil, and `found` false, when there is none.
    private static func close(in bytes: [UInt8], from start: Int, found: inout Bool) -> Int? {
        let close = bytes[start...].firstIndex(of: UInt8(ascii: ")"))
        found = close != nil
        return close
    }

    /// An env entry's `value` as text, nil when it has none or one that is not a scalar.
    static func value(of entry: CELValue) -> String? {
        entry.child("value").flatMap(text(of:))
    }

    /// An env value as text: what `string()` gives, empty for null, nil for a collection.
    static func text(of value: CELValue) -> String? {
        if case .null = value { return "" }
        guard case .string(let text) = value.convertedToString else { return nil }
        return text
    }

    /// Records the variable an env entry defines, with its `value` already expanded. As for the
    /// kubelet, an empty `value` beside a `valueFrom` gives way to it.
    mutating func define(_ entry: CELValue, expandedValue: String?) {
        guard case .string(let name)? = entry.child("name") else { return }
        guard case .map? = entry.child("valueFrom"), expandedValue?.isEmpty ?? true else {
            define(name, value: expandedValue, fieldPath: nil)
            return
        }
        var fieldPath: String?
        if case .string(let path)? = entry.child("valueFrom")?.child("fieldRef")?.child("fieldPath") { fieldPath = path }
        define(name, value: nil, fieldPath: fieldPath)
    }

    /// Records the variable `name`: its expanded `value`, `localhost` for the pod's or node's
    /// address (`fieldPath`), the pod's namespace when known, else unknown.
    mutating func define(_ name: String, value: String?, fieldPath: String?) {
        if let value {
            defined[name] = value
        } else if let fieldPath, Self.podAddressFields.contains(fieldPath) {
            defined[name] = "localhost"
        } else if fieldPath == "metadata.namespace", let podNamespace {
            defined[name] = podNamespace
        } else {
            defined[name] = nil
        }
    }
}
