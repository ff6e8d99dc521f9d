import Foundation

/// A Kubernetes resource quantity (`kubernetes.Quantity`): `100m`, `1Gi`, `2e3`, `1.5`.
/// Held as an exact decimal (38 significant digits).
public struct CELQuantity: CELOpaqueValue, CELStringConvertible, Sendable {
    /// The exact value.
    public let value: Decimal
    /// The text it was parsed from (or a computed rendering).
    public let text: String

    public var celTypeName: String { "kubernetes.Quantity" }
    public var celStringValue: String { text }
    public func isEqual(to other: any CELOpaqueValue) -> Bool {
        guard let o = other as? CELQuantity else { return false }
        return value == o.value
    }
    public func compare(to other: any CELOpaqueValue) -> Int? {
        guard let o = other as? CELQuantity else { return nil }
        return value < o.value ? -1 : (value == o.value ? 0 : 1)
    }

    /// The parts of a quantity's text: sign, number and suffix, checked without arithmetic.
    struct Syntax {
        var negative: Bool
        /// Where the number (digits and at most one dot) is, in UTF-8 bytes from the start.
        var number: Range<Int>
        var suffix: Suffix

        enum Suffix {
            case binary(Int)
            case decimal(Int)
        }

        /// The multiples from kilo to exa, in order: decimal as `k`, `M`, ... and binary as `Ki`,
        /// `Mi`, ...
        private static let decimalMultiples = Array("kMGTPE".utf8)
        private static let binaryMultiples = Array("KMGTPE".utf8)

        /// The suffix named by at most two letters (`Ki`, `m`, none), read by bytes rather than
        /// looked up by hashing (this runs for every quantity a policy checks).
        static func namedSuffix(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Suffix? {
            switch text.count {
            case 0:
                return .decimal(0)
            case 1:
                let letter = text[text.startIndex]
                if let step = decimalMultiples.firstIndex(of: letter) { return .decimal(3 * (step + 1)) }
                switch letter {
                case UInt8(ascii: "n"): return .decimal(-9)
                case UInt8(ascii: "u"): return .decimal(-6)
                case UInt8(ascii: "m"): return .decimal(-3)
                default: return nil
                }
            case 2 where text[text.startIndex + 1] == UInt8(ascii: "i"):
                return binaryMultiples.firstIndex(of: text[text.startIndex]).map { .binary(10 * ($0 + 1)) }
            default:
                return nil
            }
        }

        /// An exponent after `e` or `E`: an optional sign and decimal digits, within -100...100.
        private static func exponent(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Int? {
            var digits = text[...]
            let negative = digits.first == UInt8(ascii: "-")
            if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var magnitude = 0
            for byte in digits {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                // Past 100 the value no longer matters: it is refused either way (and never overflows).
                magnitude = min(magnitude * 10 + Int(byte - UInt8(ascii: "0")), 101)
            }
            guard magnitude <= 100 else { return nil }
            return negative ? -magnitude : magnitude
        }

        init?(_ s: String) {
            let syntax = s.utf8.withContiguousStorageIfAvailable(Syntax.init(bytes:))
                ?? Array(s.utf8).withUnsafeBufferPointer(Syntax.init(bytes:))
            guard let syntax else { return nil }
            self = syntax
        }

        private init?(bytes: UnsafeBufferPointer<UInt8>) {
            var i = 0
            negative = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                negative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let numberStart = i
            var digits = 0
            var dots = 0
            while i < bytes.count, (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")) || bytes[i] == UInt8(ascii: ".") {
                if bytes[i] == UInt8(ascii: ".") { dots += 1 } else { digits += 1 }
                i += 1
            }
            guard digits > 0, dots <= 1 else { return nil }
            number = numberStart..<i
            let suffixText = bytes[i...]
            if let named = Self.namedSuffix(suffixText) {
                suffix = named
            } else if let first = suffixText.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "E"),
                let e = Self.exponent(suffixText.dropFirst())
            {
                suffix = .decimal(e)
            } else {
                return nil
            }
        }
    }

    /// Whether `parse(s)` succeeds, without decimal arithmetic in the common case: Foundation's
    /// decimal reads every number of up to 38 characters, and longer ones are parsed to be sure.
    public static func isValid(_ s: String) -> Bool {
        guard let syntax = Syntax(s) else { return false }
        return syntax.number.count <= 38 || parse(s) != nil
    }

    /// Parses the Kubernetes quantity syntax; nil when invalid.
    public static func parse(_ s: String) -> CELQuantity? {
        guard let syntax = Syntax(s),
              var value = Decimal(string: String(decoding: Array(s.utf8)[syntax.number], as: UTF8.self), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        switch syntax.suffix {
        case .binary(let bits):
            var p = Decimal(1)
            for _ in 0..<(bits / 10) { p *= 1024 }
            value *= p
        case .decimal(let e):
            value = scale(value, e)
        }
        if syntax.negative { value = -value }
        return CELQuantity(value: value, text: s)
    }

    static func scale(_ v: Decimal, _ e: Int) -> Decimal {
        var r = v
        if e >= 0 {
            for _ in 0..<e { r *= 10 }
        } else {
            for _ in 0..<(-e) { r /= 10 }
        }
        return r
    }

    var isInteger: Bool {
        var v = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &v, 0, .down)
        return rounded == value
    }

    var asInt64: Int64? {
        guard isInteger, value >= Decimal(Int64.min), value <= Decimal(Int64.max) else { return nil }
        return Int64(truncating: value as NSDecimalNumber)
    }

    static func make(_ v: Decimal) -> CELQuantity {
        CELQuantity(value: v, text: NSDecimalNumber(decimal: v).stringValue)
    }
}

/// The Kubernetes quantity library: `quantity()`, `isQuantity()` and the quantity methods.
enum QuantityLib {
    static func arg(_ v: CELValue) -> CELQuantity? {
        if case .opaque(let o) = v { return o as? CELQuantity }
        return nil
    }

    static func register(_ t: inout FunctionTable) {
        t.addGlobal("quantity", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("quantity", a) }
            guard let q = CELQuantity.parse(s) else { return .err("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '\(s)'") }
            return .opaque(q)
        }
        t.addGlobal("isQuantity", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("isQuantity", a) }
            return .bool(CELQuantity.isValid(s))
        }
        func method(_ name: String, _ arity: Int, _ f: @escaping @Sendable (CELQuantity, CELArguments) -> CELValue) {
            t.addReceiver(name, arity) { a in
                guard let q = arg(a[0]) else { return noSuchOverload(name, a) }
                return f(q, a)
            }
        }
        method("isInteger", 1) { q, _ in .bool(q.isInteger) }
        method("asInteger", 1) { q, _ in
            guard let i = q.asInt64 else { return .err("cannot convert value to integer") }
            return .int(i)
        }
        method("asApproximateFloat", 1) { q, _ in .double(NSDecimalNumber(decimal: q.value).doubleValue) }
        method("sign", 1) { q, _ in .int(q.value > 0 ? 1 : (q.value < 0 ? -1 : 0)) }
        @Sendable func other(_ v: CELValue) -> Decimal? {
            if let q = arg(v) { return q.value }
            if case .int(let i) = v { return Decimal(i) }
            return nil
        }
        method("add", 2) { q, a in
            guard let o = other(a[1]) else { return noSuchOverload("add", a) }
            return .opaque(CELQuantity.make(q.value + o))
        }
        method("sub", 2) { q, a in
            guard let o = other(a[1]) else { return noSuchOverload("sub", a) }
            return .opaque(CELQuantity.make(q.value - o))
        }
        // isLessThan / isGreaterThan / compareTo are generic over opaque values (OpaqueOrdering).
    }
}
