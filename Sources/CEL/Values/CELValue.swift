/// A CEL runtime value.
///
/// Lists and maps wrap Swift storage, a host provider (``CELListProvider``, ``CELMapProvider``)
/// or a collection of a ``CELCollectionHost``, so host data is read lazily, without conversion.
/// Scalars are stored inline (no allocation per value); lists and maps are a shared reference and
/// an id, and the rarer optionals, errors and opaque values are boxed, which keeps a value at 24
/// bytes.
public enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list(CELList)
    case map(CELMap)
    case type(CELType)
    case duration(CELDuration)
    case timestamp(CELTimestamp)
    /// `optional.none()` is `.optional(nil)`.
    indirect case optional(CELValue?)
    indirect case error(CELEvalError)
    indirect case opaque(any CELOpaqueValue)
}

/// A host-defined value type (for example a semantic version) usable in CEL expressions.
public protocol CELOpaqueValue: Sendable {
    /// The CEL type name reported by `type(x)`.
    var celTypeName: String { get }
    /// Equality with another opaque value (called only when type names are equal).
    func isEqual(to other: any CELOpaqueValue) -> Bool
    /// Ordering: negative, zero or positive; nil when the values are not ordered.
    func compare(to other: any CELOpaqueValue) -> Int?
}

/// Opaque values that `string(x)` can render.
public protocol CELStringConvertible {
    /// The text `string(x)` returns.
    var celStringValue: String { get }
}

/// A host-provided list read element by element.
public protocol CELListProvider: Sendable {
    /// Number of elements.
    var count: Int { get }
    /// The element at `index` (0 ..< count).
    func element(at index: Int) -> CELValue
}

/// A host-provided map read key by key.
public protocol CELMapProvider: Sendable {
    /// Number of entries.
    var count: Int { get }
    /// The value for `key`, or nil when absent.
    func value(forKey key: CELValue) -> CELValue?
    /// Whether `key` is present: `has(m.f)` and `k in m` ask this, so a provider whose values
    /// cost something to make can answer without making one.
    func containsKey(_ key: CELValue) -> Bool
    /// All keys, in iteration order.
    var keys: [CELValue] { get }
}

extension CELMapProvider {
    public func containsKey(_ key: CELValue) -> Bool { value(forKey: key) != nil }
}

/// Where lists and maps read their elements. A host that keeps many collections in one place (a
/// parsed YAML document) subclasses it once per document and names each collection by an id, so
/// a collection read out of another (`object.spec`) is a reference and an id, with no allocation.
/// The other storages (Swift dictionaries, host providers) are internal subclasses that ignore
/// the id; a list of a Swift array needs no host. Subclasses must be immutable, as they are
/// shared between threads.
open class CELCollectionHost: @unchecked Sendable {
    public init() {}

    /// Number of elements or entries of collection `id`.
    open func count(of id: UInt32) -> Int { 0 }
    /// The element at `index` (0 ..< count) of list `id`.
    open func element(of id: UInt32, at index: Int) -> CELValue { .null }
    /// The value under exactly `key` in map `id`, or nil when absent.
    open func value(of id: UInt32, forKey key: CELValue) -> CELValue? { nil }
    /// Whether map `id` has exactly `key` (by default whether it has a value for it).
    open func containsKey(of id: UInt32, _ key: CELValue) -> Bool { value(of: id, forKey: key) != nil }
    /// The keys of map `id`, in iteration order.
    open func keys(of id: UInt32) -> [CELValue] { [] }

    /// The value of `field` of map `id`, as a selection `m.field` reads it, or nil when absent.
    /// `hint` is where the selection found its field in the last map it read, which a host whose
    /// maps keep their keys in order may look at first, and sets to where it finds the field
    /// (objects of one kind write their fields in one order). By default, the lookup of any key.
    open func value(of id: UInt32, field: CELFieldName, hint: inout Int) -> CELValue? {
        lookup(id, field.key, normalized: field.normalized)
    }

    /// Whether map `id` has `field`, as `has(m.field)` asks; `hint` as for `value(of:field:hint:)`.
    open func contains(_ id: UInt32, field: CELFieldName, hint: inout Int) -> Bool {
        contains(id, field.key, normalized: field.normalized)
    }

    /// `value(of:forKey:)` with CEL numeric key equality (`m[1]`, `m[1u]` and `m[1.0]` agree):
    /// hosts answer for one key, so numerically equal keys of the other kinds are tried in turn.
    func lookup(_ id: UInt32, _ key: CELValue, normalized: CELMapKey?) -> CELValue? {
        if let found = value(of: id, forKey: key) { return found }
        let (first, second) = Self.otherNumericKeys(key)
        if let first, let found = value(of: id, forKey: first) { return found }
        return second.flatMap { value(of: id, forKey: $0) }
    }

    /// `containsKey(of:_:)` with CEL numeric key equality.
    func contains(_ id: UInt32, _ key: CELValue, normalized: CELMapKey?) -> Bool {
        if containsKey(of: id, key) { return true }
        let (first, second) = Self.otherNumericKeys(key)
        return first.map { containsKey(of: id, $0) } == true || second.map { containsKey(of: id, $0) } == true
    }

    /// Elements of list `id` as an array.
    func array(of id: UInt32) -> [CELValue] { (0..<count(of: id)).map { element(of: id, at: $0) } }

    /// The keys numerically equal to `key` of the other kinds: `1u` for `1`, `1` for `1u`, `1`
    /// and `1u` for `1.0`. (Plain values rather than a closure over the lookup, which retained
    /// the host on every read.)
    private static func otherNumericKeys(_ key: CELValue) -> (CELValue?, CELValue?) {
        switch key {
        case .int(let i): return (i >= 0 ? .uint(UInt64(i)) : nil, nil)
        case .uint(let u): return (u <= UInt64(Int64.max) ? .int(Int64(u)) : nil, nil)
        case .double(let d): return (Int64(exactly: d).map(CELValue.int), UInt64(exactly: d).map(CELValue.uint))
        default: return (nil, nil)
        }
    }
}

/// A map backed by insertion-ordered Swift storage, whose keys are normalized (so needs no retry
/// with other numeric kinds).
private final class DictionaryStorage: CELCollectionHost, @unchecked Sendable {
    let orderedKeys: [CELValue]
    /// Most maps an expression or a function makes are small (`image(ref)`'s five facts): their
    /// entries are found by comparing keys, which for a few short keys costs less than hashing one.
    private enum Entries {
        case few([(key: CELMapKey, value: CELValue)])
        case many([CELMapKey: CELValue])
    }
    private let entries: Entries
    private static let fewCount = 8

    init(keys: [CELValue], values: [CELMapKey: CELValue]) {
        orderedKeys = keys
        guard values.count <= Self.fewCount else {
            entries = .many(values)
            return
        }
        entries = .few(keys.compactMap { key in CELMapKey(key).flatMap { normalized in values[normalized].map { (normalized, $0) } } })
    }
    override func count(of id: UInt32) -> Int { orderedKeys.count }
    override func keys(of id: UInt32) -> [CELValue] { orderedKeys }
    override func value(of id: UInt32, forKey key: CELValue) -> CELValue? { CELMapKey(key).flatMap(value(forKey:)) }
    override func lookup(_ id: UInt32, _ key: CELValue, normalized: CELMapKey?) -> CELValue? {
        (normalized ?? CELMapKey(key)).flatMap(value(forKey:))
    }

    private func value(forKey key: CELMapKey) -> CELValue? {
        switch entries {
        case .few(let entries): return entries.first { $0.key == key }?.value
        case .many(let values): return values[key]
        }
    }

    override func contains(_ id: UInt32, _ key: CELValue, normalized: CELMapKey?) -> Bool {
        lookup(id, key, normalized: normalized) != nil
    }
}

/// A list read from a ``CELListProvider``.
private final class ListProviderStorage: CELCollectionHost, @unchecked Sendable {
    let provider: any CELListProvider
    init(_ provider: any CELListProvider) { self.provider = provider }
    override func count(of id: UInt32) -> Int { provider.count }
    override func element(of id: UInt32, at index: Int) -> CELValue { provider.element(at: index) }
}

/// A map read from a ``CELMapProvider``.
private final class MapProviderStorage: CELCollectionHost, @unchecked Sendable {
    let provider: any CELMapProvider
    init(_ provider: any CELMapProvider) { self.provider = provider }
    override func count(of id: UInt32) -> Int { provider.count }
    override func keys(of id: UInt32) -> [CELValue] { provider.keys }
    override func value(of id: UInt32, forKey key: CELValue) -> CELValue? { provider.value(forKey: key) }
    override func containsKey(of id: UInt32, _ key: CELValue) -> Bool { provider.containsKey(key) }
}

/// A CEL list: a Swift array, a host provider, or collection `id` of a host. Immutable; copying
/// one copies a reference.
/// The storage a list or map reads its elements from: two values of one identity hold the same
/// elements (collections are immutable).
struct CollectionIdentity: Hashable {
    let address: UInt
    let id: UInt32
}

public struct CELList: Sendable {
    /// A Swift array is held as it is: the lists expressions make (`map`, `filter`, literals)
    /// then cost one allocation, and are read without a call through a host.
    private enum Storage: Sendable {
        case array([CELValue])
        case host(CELCollectionHost, id: UInt32)
    }

    private let storage: Storage

    /// A list backed by a Swift array.
    public init(_ elements: [CELValue]) { storage = .array(elements) }

    /// A list backed lazily by host data.
    public init(provider: any CELListProvider) { self.init(host: ListProviderStorage(provider), id: 0) }

    /// List `id` of `host`.
    public init(host: CELCollectionHost, id: UInt32) { storage = .host(host, id: id) }

    /// Where the elements are read; nil for a list of a Swift array.
    public var host: CELCollectionHost? {
        guard case .host(let host, _) = storage else { return nil }
        return host
    }

    /// Which of the host's collections this is (0 for arrays and providers).
    public var id: UInt32 {
        guard case .host(_, let id) = storage else { return 0 }
        return id
    }

    /// Where the elements live (the array's buffer, or the host and id), for remembering
    /// comparisons of structure shared by several values (`Semantics.eq`).
    var identity: CollectionIdentity {
        switch storage {
        case .array(let elements): return elements.withUnsafeBufferPointer { CollectionIdentity(address: UInt(bitPattern: $0.baseAddress), id: 0) }
        case .host(let host, let id): return CollectionIdentity(address: UInt(bitPattern: ObjectIdentifier(host)), id: id)
        }
    }

    /// The provider behind a list made with `init(provider:)`, so hosts can recover their own data.
    public var provider: (any CELListProvider)? { (host as? ListProviderStorage)?.provider }

    /// Number of elements.
    public var count: Int {
        switch storage {
        case .array(let elements): return elements.count
        case .host(let host, let id): return host.count(of: id)
        }
    }

    /// Element at `index`, which must be in range.
    public subscript(index: Int) -> CELValue {
        switch storage {
        case .array(let elements): return elements[index]
        case .host(let host, let id): return host.element(of: id, at: index)
        }
    }

    /// Whether the list holds the string `text` (compared by code points, as `Semantics.eq`
    /// does), for a list of a Swift array: its elements are compared where they are rather than
    /// copied out one by one. Nil for a host's list.
    func containsString(_ text: String) -> Bool? {
        guard case .array(let elements) = storage else { return nil }
        var text = text
        return text.withUTF8 { wanted in
            elements.withUnsafeBufferPointer { buffer in
                buffer.contains { element in
                    guard case .string(let candidate) = element else { return false }
                    return StringBytes.equal(candidate, wanted)
                }
            }
        }
    }

    /// All elements as an array (copies provider-backed lists).
    public var elements: [CELValue] {
        switch storage {
        case .array(let elements): return elements
        case .host(let host, let id): return host.array(of: id)
        }
    }
}

/// A normalized, hashable map key: numeric keys of equal value are equal (`1 == 1u`).
/// String keys are equal and hash alike by their UTF-8 bytes, as CEL compares strings by code
/// points (Swift's `==` would find `'K'` under the Kelvin sign `'\u212A'`).
public enum CELMapKey: Hashable, Sendable {
    case int(Int64)
    case largeUint(UInt64)
    case bool(Bool)
    case string(String)

    public static func == (lhs: CELMapKey, rhs: CELMapKey) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): a == b
        case (.largeUint(let a), .largeUint(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): StringBytes.equal(a, b)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .int(let i): hasher.combine(0 as UInt8); hasher.combine(i)
        case .largeUint(let u): hasher.combine(1 as UInt8); hasher.combine(u)
        case .bool(let b): hasher.combine(2 as UInt8); hasher.combine(b)
        case .string(var s):
            hasher.combine(3 as UInt8)
            s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Normalizes a value to a key; nil when the value cannot be a map key.
    public init?(_ value: CELValue) {
        switch value {
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .largeUint(u)
        case .bool(let b): self = .bool(b)
        case .string(let s): self = .string(s)
        case .double(let d):
            if let i = Int64(exactly: d) {
                self = .int(i)
            } else if let u = UInt64(exactly: d) {
                self = .largeUint(u)
            } else {
                return nil
            }
        default: return nil
        }
    }
}

/// A CEL map: insertion-ordered Swift storage, a host provider, or collection `id` of a host.
/// Immutable; copying one copies a reference.
public struct CELMap: Sendable {
    /// Where the entries are read.
    public let host: CELCollectionHost
    /// Which of the host's collections this is (0 for Swift storage and providers).
    public let id: UInt32

    /// See `CELList.identity`.
    var identity: CollectionIdentity { CollectionIdentity(address: UInt(bitPattern: ObjectIdentifier(host)), id: id) }

    /// A map from ordered (key, value) pairs; later duplicates replace earlier values.
    /// Keys that are not int, uint, bool or string are dropped.
    public init(_ entries: [(CELValue, CELValue)]) {
        var keys: [CELValue] = []
        var values: [CELMapKey: CELValue] = [:]
        keys.reserveCapacity(entries.count)
        for (k, v) in entries {
            guard let mk = CELMapKey(k) else { continue }
            if values.updateValue(v, forKey: mk) == nil { keys.append(k) }
        }
        self.init(uncheckedKeys: keys, values: values)
    }

    /// A map with string keys backed by a Swift dictionary (keys iterate sorted).
    public init(_ dictionary: [String: CELValue]) {
        let sorted = dictionary.keys.sorted()
        var values: [CELMapKey: CELValue] = [:]
        values.reserveCapacity(dictionary.count)
        for (k, v) in dictionary { values[.string(k)] = v }
        self.init(uncheckedKeys: sorted.map { .string($0) }, values: values)
    }

    /// A map backed lazily by host data.
    public init(provider: any CELMapProvider) { self.init(host: MapProviderStorage(provider), id: 0) }

    /// Map `id` of `host`.
    public init(host: CELCollectionHost, id: UInt32) {
        self.host = host
        self.id = id
    }

    init(uncheckedKeys keys: [CELValue], values: [CELMapKey: CELValue]) {
        self.init(host: DictionaryStorage(keys: keys, values: values), id: 0)
    }

    /// The provider behind a map made with `init(provider:)`, so hosts can recover their own data.
    public var provider: (any CELMapProvider)? { (host as? MapProviderStorage)?.provider }

    /// Number of entries.
    public var count: Int { host.count(of: id) }

    /// Keys in iteration order.
    public var keys: [CELValue] { host.keys(of: id) }

    /// A field selection's lookup, of a field made ahead of time (a selection plans its field
    /// once), with where the field was found last (see ``CELCollectionHost/value(of:field:hint:)``).
    @inline(__always)
    func value(field: CELFieldName, hint: inout Int) -> CELValue? {
        host.value(of: id, field: field, hint: &hint)
    }

    /// A field selection's presence test (`has(m.field)`), likewise.
    @inline(__always)
    func contains(field: CELFieldName, hint: inout Int) -> Bool {
        host.contains(id, field: field, hint: &hint)
    }

    /// Looks up a key with CEL numeric key equality (`m[1]`, `m[1u]` and `m[1.0]` agree).
    public func value(forKey key: CELValue) -> CELValue? { host.lookup(id, key, normalized: nil) }

    /// Whether the map has `key`, with the key equality of `value(forKey:)`, without making the
    /// value of a host-backed map.
    public func containsKey(_ key: CELValue) -> Bool { host.contains(id, key, normalized: nil) }
}

/// A CEL type value, as returned by `type(x)`.
public struct CELType: Hashable, Sendable, CustomStringConvertible {
    /// The CEL type name, e.g. `int`, `list`, `google.protobuf.Timestamp`.
    public let name: String
    /// Creates a type value by name.
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    public static let null = CELType("null_type")
    public static let bool = CELType("bool")
    public static let int = CELType("int")
    public static let uint = CELType("uint")
    public static let double = CELType("double")
    public static let string = CELType("string")
    public static let bytes = CELType("bytes")
    public static let list = CELType("list")
    public static let map = CELType("map")
    public static let type = CELType("type")
    public static let duration = CELType("google.protobuf.Duration")
    public static let timestamp = CELType("google.protobuf.Timestamp")
    public static let optional = CELType("optional_type")
    public static let error = CELType("error")
}

/// An evaluation error carried as a value.
public struct CELEvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Broad classes of evaluation errors a host may want to treat differently.
    public enum Kind: Sendable, Equatable {
        /// Any other evaluation error (type mismatch, overflow, division by zero, ...).
        case evaluation
        /// A map key or field is absent (`object.spec.missing`).
        case noSuchKey
        /// A declared variable was not supplied by the activation.
        case unboundVariable
        /// The cost budget passed to `evaluate` was exhausted.
        case costLimitExceeded
        /// A regular expression hit its backtracking limit.
        case regexMatchLimitExceeded
    }

    /// Human-readable message, e.g. `division by zero`.
    public var message: String
    /// Offset (Unicode scalars) in the expression of the failing node, when known.
    public var offset: Int?
    /// The class of error.
    public var kind: Kind
    /// For `noSuchKey`: the map the key is missing from, so that a host can tell where in its
    /// data the lookup failed. A host function may set it, with `key`, to the collection holding
    /// the value it refuses. Neither is compared by `==`.
    public var map: CELValue?
    /// The key (or list index) in `map` of the value the error is about, when known.
    public var key: CELValue?
    /// Creates an error value.
    public init(_ message: String, offset: Int? = nil, kind: Kind = .evaluation, map: CELValue? = nil, key: CELValue? = nil) {
        self.message = message
        self.offset = offset
        self.kind = kind
        self.map = map
        self.key = key
    }
    public var description: String { message }

    public static func == (lhs: CELEvalError, rhs: CELEvalError) -> Bool {
        lhs.message == rhs.message && lhs.offset == rhs.offset && lhs.kind == rhs.kind
    }
}

extension CELValue {
    /// Convenience: an error value.
    public static func err(_ message: String) -> CELValue { .error(CELEvalError(message)) }
    /// Convenience: a list value from an array.
    public static func list(_ elements: [CELValue]) -> CELValue { .list(CELList(elements)) }
    /// Convenience: a map with string keys.
    public static func map(_ dict: [String: CELValue]) -> CELValue { .map(CELMap(dict)) }

    /// The CEL type of this value.
    public var celType: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list
        case .map: return .map
        case .type: return .type
        case .duration: return .duration
        case .timestamp: return .timestamp
        case .optional: return .optional
        case .error: return .error
        case .opaque(let o): return CELType(o.celTypeName)
        }
    }

    /// A copy whose lists and maps, at every depth, are Swift storage: host data is read once
    /// here, so that later reads touch no host object. Values that many threads read over and
    /// over (a policy's params) are kept like this: reading a host's collection counts references
    /// on the host, which two cores reading the same one keep taking from each other.
    public var materialized: CELValue {
        switch self {
        case .list(let list): return .list(CELList(list.elements.map(\.materialized)))
        case .map(let map): return .map(CELMap(map.keys.map { key in (key, (map.value(forKey: key) ?? .null).materialized) }))
        case .optional(let wrapped?): return .optional(wrapped.materialized)
        default: return self
        }
    }

    /// True when this value is an error.
    @inlinable public var isError: Bool {
        if case .error = self { return true }
        return false
    }
}

func noSuchOverload(_ fn: String, _ args: some Sequence<CELValue>) -> CELValue {
    .err("no such overload: \(fn)(\(args.map { $0.celType.name }.joined(separator: ", ")))")
}
