/// A CEL runtime value.
///
/// Lists and maps wrap either Swift storage or a host provider (``CELListProvider``,
/// ``CELMapProvider``) so host data is read lazily, without conversion. Scalars are stored inline
/// (no allocation per value); lists and maps are shared references, and the rarer optionals,
/// errors and opaque values are boxed, which keeps a value at 24 bytes.
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
    /// All keys, in iteration order.
    var keys: [CELValue] { get }
}

/// A CEL list: either an array or a host provider. Immutable, so shared by reference. The provider
/// is a plain non-optional stored property (a placeholder for array lists), not an enum payload
/// or an optional: a call through it then runs in place, where unwrapping would first copy the
/// existential (a generic value-witness call on every element read).
public final class CELList: Sendable {
    private let source: any CELListProvider
    private let isHostBacked: Bool
    private let array: [CELValue]

    /// A list backed by a Swift array.
    public init(_ elements: [CELValue]) {
        source = NoHostData()
        isHostBacked = false
        array = elements
    }

    /// A list backed lazily by host data.
    public init(provider: any CELListProvider) {
        source = provider
        isHostBacked = true
        array = []
    }

    /// The host provider behind a lazily backed list, so hosts can recover their own data.
    public var provider: (any CELListProvider)? { isHostBacked ? source : nil }

    /// Number of elements.
    public var count: Int { isHostBacked ? source.count : array.count }

    /// Element at `index`, which must be in range.
    public subscript(index: Int) -> CELValue { isHostBacked ? source.element(at: index) : array[index] }

    /// All elements as an array (copies provider-backed lists).
    public var elements: [CELValue] {
        isHostBacked ? (0..<source.count).map { source.element(at: $0) } : array
    }
}

/// The provider of maps and lists that are not backed by host data; never asked.
private struct NoHostData: CELListProvider, CELMapProvider {
    var count: Int { 0 }
    func element(at index: Int) -> CELValue { .null }
    func value(forKey key: CELValue) -> CELValue? { nil }
    var keys: [CELValue] { [] }
}

/// A normalized, hashable map key: numeric keys of equal value are equal (`1 == 1u`).
public enum CELMapKey: Hashable, Sendable {
    case int(Int64)
    case largeUint(UInt64)
    case bool(Bool)
    case string(String)

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

/// A CEL map: either insertion-ordered Swift storage or a host provider. Immutable, so shared by
/// reference; its provider is stored like `CELList`'s.
public final class CELMap: Sendable {
    private let source: any CELMapProvider
    private let isHostBacked: Bool
    private let orderedKeys: [CELValue]
    private let values: [CELMapKey: CELValue]

    /// A map from ordered (key, value) pairs; later duplicates replace earlier values.
    /// Keys that are not int, uint, bool or string are dropped.
    public convenience init(_ entries: [(CELValue, CELValue)]) {
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
    public convenience init(_ dictionary: [String: CELValue]) {
        let sorted = dictionary.keys.sorted()
        var values: [CELMapKey: CELValue] = [:]
        values.reserveCapacity(dictionary.count)
        for (k, v) in dictionary { values[.string(k)] = v }
        self.init(uncheckedKeys: sorted.map { .string($0) }, values: values)
    }

    /// A map backed lazily by host data.
    public init(provider: any CELMapProvider) {
        source = provider
        isHostBacked = true
        orderedKeys = []
        values = [:]
    }

    /// The host provider behind a lazily backed map, so hosts can recover their own data.
    public var provider: (any CELMapProvider)? { isHostBacked ? source : nil }

    init(uncheckedKeys keys: [CELValue], values: [CELMapKey: CELValue]) {
        source = NoHostData()
        isHostBacked = false
        orderedKeys = keys
        self.values = values
    }

    /// Number of entries.
    public var count: Int { isHostBacked ? source.count : orderedKeys.count }

    /// Keys in iteration order.
    public var keys: [CELValue] { isHostBacked ? source.keys : orderedKeys }

    /// Lookup with a key normalized ahead of time (field selection plans its key once).
    @inline(__always)
    func value(forKey key: CELValue, normalized: CELMapKey) -> CELValue? {
        isHostBacked ? value(forKey: key) : values[normalized]
    }

    /// Looks up a key with CEL numeric key equality (`m[1]`, `m[1u]` and `m[1.0]` agree).
    public func value(forKey key: CELValue) -> CELValue? {
        guard isHostBacked else {
            guard let mk = CELMapKey(key) else { return nil }
            return values[mk]
        }
        if let v = source.value(forKey: key) { return v }
        // Retry with numerically equal keys of the other integer kind.
        switch key {
        case .int(let i):
            if i >= 0 { return source.value(forKey: .uint(UInt64(i))) }
            return nil
        case .uint(let u):
            if u <= UInt64(Int64.max) { return source.value(forKey: .int(Int64(u))) }
            return nil
        case .double(let d):
            if let i = Int64(exactly: d), let v = source.value(forKey: .int(i)) { return v }
            if let u = UInt64(exactly: d), let v = source.value(forKey: .uint(u)) { return v }
            return nil
        default: return nil
        }
    }
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
    /// Creates an error value.
    public init(_ message: String, offset: Int? = nil, kind: Kind = .evaluation) {
        self.message = message
        self.offset = offset
        self.kind = kind
    }
    public var description: String { message }
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

    /// True when this value is an error.
    @inlinable public var isError: Bool {
        if case .error = self { return true }
        return false
    }
}

func noSuchOverload(_ fn: String, _ args: some Sequence<CELValue>) -> CELValue {
    .err("no such overload: \(fn)(\(args.map { $0.celType.name }.joined(separator: ", ")))")
}
