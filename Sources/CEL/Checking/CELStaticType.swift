/// The type of an expression as far as it is known before evaluation: `dyn` where the checker
/// cannot tell (an input's field, a host function's result), so that only what can never work
/// is refused (see ``TypeChecker``).
public indirect enum CELStaticType: Hashable, Sendable, CustomStringConvertible {
    case dyn
    case null
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    case duration
    case timestamp
    /// The type of a type value (`int`, `type(x)`).
    case type
    case list(CELStaticType)
    case map(CELStaticType, CELStaticType)

    /// The type of a literal value; collections and other values are known only as lists or maps
    /// of `dyn`, or `dyn`.
    public init(of value: CELValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .bool
        case .int: self = .int
        case .uint: self = .uint
        case .double: self = .double
        case .string: self = .string
        case .bytes: self = .bytes
        case .duration: self = .duration
        case .timestamp: self = .timestamp
        case .type: self = .type
        case .list: self = .list(.dyn)
        case .map: self = .map(.dyn, .dyn)
        case .optional, .error, .opaque: self = .dyn
        }
    }

    /// The type as CEL writes it: `int`, `list(string)`, `map(string, dyn)`.
    public var description: String {
        switch self {
        case .dyn: return "dyn"
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .duration: return "google.protobuf.Duration"
        case .timestamp: return "google.protobuf.Timestamp"
        case .type: return "type"
        case .list(let element): return "list(\(element))"
        case .map(let key, let value): return "map(\(key), \(value))"
        }
    }

    /// Whether a value of this type may be one of `other`: `dyn` may be anything, and lists (or
    /// maps) may be each other whatever their elements, whose types are rarely certain.
    public func mayBe(_ other: CELStaticType) -> Bool {
        switch (self, other) {
        case (.dyn, _), (_, .dyn), (.list, .list), (.map, .map): return true
        default: return self == other
        }
    }

    /// The one type both are, else `dyn`.
    func joined(with other: CELStaticType) -> CELStaticType {
        switch (self, other) {
        case _ where self == other: return self
        case (.list(let a), .list(let b)): return .list(a.joined(with: b))
        case (.map(let ak, let av), .map(let bk, let bv)): return .map(ak.joined(with: bk), av.joined(with: bv))
        default: return .dyn
        }
    }

    var isNumber: Bool { self == .int || self == .uint || self == .double }

    /// Whether it is known and neither a list nor a map (whose elements' types are rarely certain).
    var isScalar: Bool {
        switch self {
        case .dyn, .list, .map: return false
        default: return true
        }
    }
}
