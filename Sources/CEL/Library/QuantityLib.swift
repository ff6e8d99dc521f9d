/// A Kubernetes resource quantity (`kubernetes.Quantity`): `100m`, `1Gi`, `2e3`, `1.5`, read as
/// Kubernetes' `resource.ParseQuantity` reads it and held exactly as Kubernetes holds it: rounded up,
/// away from zero, to a whole number of nano units (`0.1n` is `1n`, `1e-100` is `1n`), and with a
/// binary suffix (`Ki` ... `Ei`) capped at 2⁶³-1 (`10Ei` equals `8Ei`, both 2⁶³-1). A magnitude
/// with more than ``maximumWholeDigits`` whole digits is outside the supported range: `quantity()` is
/// an error for it, and so is arithmetic that would reach it, never an approximation.
public struct CELQuantity: CELOpaqueValue, CELStringConvertible, Sendable {
    /// Whether the value is below zero (zero never is).
    public let isNegative: Bool
    /// The size, in nano units.
    let magnitude: QuantityMagnitude
    /// The text it was parsed from (or a computed rendering).
    public let text: String

    /// The most whole digits a supported magnitude has (it is below 10¹⁰⁰⁰).
    public static let maximumWholeDigits = 1000

    /// Kubernetes' cap on a quantity with a binary suffix: 2⁶³-1 units.
    private static let binaryCap = QuantityMagnitude(units: UInt64(Int64.max))

    public var celTypeName: String { "kubernetes.Quantity" }
    public var celStringValue: String { text }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { compare(to: other) == 0 }
    public func compare(to other: any CELOpaqueValue) -> Int? {
        guard let o = other as? CELQuantity else { return nil }
        guard isNegative == o.isNegative else { return isNegative ? -1 : 1 }
        let ascending = magnitude < o.magnitude ? -1 : (magnitude == o.magnitude ? 0 : 1)
        return isNegative ? -ascending : ascending
    }

    /// The exact value as plain decimal text, without exponent or suffix: `-1.5`, `0.000000001`,
    /// `9223372036854775807`.
    public var decimalValue: String { (isNegative ? "-" : "") + magnitude.decimalText }

    /// A quantity of the given sign and size (never negative zero); nil when outside the supported range.
    static func make(negative: Bool, magnitude: QuantityMagnitude, text: String? = nil) -> CELQuantity? {
        guard magnitude.wholeUnitDigitCount <= maximumWholeDigits else { return nil }
        let isNegative = negative && !magnitude.isZero
        return CELQuantity(
            isNegative: isNegative, magnitude: magnitude, text: text ?? (isNegative ? "-" : "") + magnitude.decimalText)
    }

    /// The parts of a quantity's text, checked without arithmetic as Kubernetes'
    /// `parseQuantityString` and its suffix reading check them: an optional sign, decimal digits with
    /// at most one dot, and a suffix: none, a named multiple, or `e`/`E` and an exponent. The number
    /// may have no digit at all: `+`, `.` and `Ki` are zero (see ``Suffix/needsADigit``).
    struct Syntax {
        var negative: Bool
        /// The digits before the dot and after it, in UTF-8 bytes from the start.
        var integerDigits: Range<Int>
        var fractionDigits: Range<Int>
        var suffix: Suffix

        enum Suffix {
            /// A multiple 2ⁿ (`Ki` is 10).
            case binary(Int)
            /// A multiple 10ⁿ (`m` is -3, `e5` is 5).
            case decimal(Int)

            /// Whether Kubernetes reads a number with this suffix as an arbitrary-precision decimal,
            /// which needs a digit (`e-10` and `Pi` are no quantities, `e-9` and `Ti` are zero):
            /// below 10⁻⁹, and from `Pi` on, where its 64-bit fast path gives up.
            var needsADigit: Bool {
                switch self {
                case .binary(let power): power >= 50
                case .decimal(let power): power < -9
                }
            }
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

        /// An exponent after `e` or `E` as Kubernetes reads it: an optional sign and decimal digits
        /// within 64 bits, of which only the low 32 count (`1e4294967296` is 1).
        private static func exponent(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Int? {
            var digits = text[...]
            let negative = digits.first == UInt8(ascii: "-")
            if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var magnitude: UInt64 = 0
            for byte in digits {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, carry) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflow, !carry, sum <= UInt64(Int64.max) + (negative ? 1 : 0) else { return nil }
                magnitude = sum
            }
            return Int(Int32(truncatingIfNeeded: negative ? 0 &- magnitude : magnitude))
        }

        init?(_ s: String) {
            let syntax = s.utf8.withContiguousStorageIfAvailable(Syntax.init(bytes:))
                ?? Array(s.utf8).withUnsafeBufferPointer(Syntax.init(bytes:))
            guard let syntax else { return nil }
            self = syntax
        }

        init?(bytes: UnsafeBufferPointer<UInt8>) {
            guard !bytes.isEmpty else { return nil }
            var i = 0
            negative = bytes[i] == UInt8(ascii: "-")
            if negative || bytes[i] == UInt8(ascii: "+") { i += 1 }
            func digits() -> Range<Int> {
                let start = i
                while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
                return start..<i
            }
            integerDigits = digits()
            fractionDigits = i..<i
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                fractionDigits = digits()
            }
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
            guard !integerDigits.isEmpty || !fractionDigits.isEmpty || !suffix.needsADigit else { return nil }
        }
    }

    /// Why a text is not a quantity `quantity()` returns.
    public enum ParseFailure: Error, Sendable {
        /// Not a quantity in Kubernetes' syntax: `isQuantity` is false.
        case malformed
        /// A quantity Kubernetes accepts, but of a magnitude outside the supported range (more than
        /// ``maximumWholeDigits`` whole digits, or an exponent Kubernetes' 32-bit scale cannot hold).
        case outOfRange
    }

    /// Whether the text is a quantity in Kubernetes' syntax (`isQuantity()`), checked without
    /// arithmetic: `parse(s)` is then a quantity or, for a magnitude beyond the supported range,
    /// ``ParseFailure/outOfRange``.
    public static func isValid(_ s: String) -> Bool { Syntax(s) != nil }

    /// Parses the Kubernetes quantity syntax into its exact, rounded (and for a binary suffix
    /// capped) value.
    public static func parse(_ s: String) -> Result<CELQuantity, ParseFailure> {
        var text = s
        return text.withUTF8 { bytes in
            guard let syntax = Syntax(bytes: bytes) else { return .failure(.malformed) }
            let fractionCount = syntax.fractionDigits.count
            let digits = Array(bytes[syntax.integerDigits]) + bytes[syntax.fractionDigits]
            let significant = digits.drop { $0 == UInt8(ascii: "0") }
            var magnitude = QuantityMagnitude.zero
            switch syntax.suffix {
            case _ where significant.isEmpty:
                break  // Zero, whatever the exponent.
            case .decimal(let exponent):
                // The value is significant × 10^scale. Kubernetes holds the scale in 32 bits; at their
                // limit its arithmetic wraps around.
                let scale = exponent - fractionCount
                guard scale > Int(Int32.min), significant.count + scale <= maximumWholeDigits else { return .failure(.outOfRange) }
                magnitude = QuantityMagnitude(decimal: significant)
                magnitude.scale(byPowerOfTen: scale + 9)
            case .binary where significant.count - fractionCount > 19:
                magnitude = binaryCap  // At least 10¹⁹ before the multiple is applied.
            case .binary(let bits):
                magnitude = QuantityMagnitude(decimal: significant)
                for _ in 0..<(bits / 10) { magnitude.multiply(by: 1024) }
                magnitude.scale(byPowerOfTen: 9 - fractionCount)
                magnitude = min(magnitude, binaryCap)
            }
            guard let quantity = make(negative: syntax.negative, magnitude: magnitude, text: s) else { return .failure(.outOfRange) }
            return .success(quantity)
        }
    }

    var sign: Int { magnitude.isZero ? 0 : (isNegative ? -1 : 1) }

    /// Whether `asInt64` has a value, as Kubernetes' `isInteger()` answers: a whole number beyond
    /// Int64 (`1e30`) is not one.
    var isInteger: Bool { asInt64 != nil }

    var asInt64: Int64? {
        guard magnitude.isWholeUnits, let units = magnitude.wholeUnits else { return nil }
        if isNegative { return units <= Int64.max.magnitude + 1 ? Int64(truncatingIfNeeded: 0 &- units) : nil }
        return units <= Int64.max.magnitude ? Int64(units) : nil
    }

    /// The double nearest the exact value (infinite beyond the doubles, as in Kubernetes), read from
    /// its decimal text.
    var asDouble: Double? { Double(decimalValue) }

    /// The exact sum; nil outside the supported range.
    func adding(_ other: CELQuantity) -> CELQuantity? { plus(other.magnitude, negative: other.isNegative) }

    /// The exact difference; nil outside the supported range.
    func subtracting(_ other: CELQuantity) -> CELQuantity? { plus(other.magnitude, negative: !other.isNegative) }

    private func plus(_ other: QuantityMagnitude, negative otherIsNegative: Bool) -> CELQuantity? {
        if isNegative == otherIsNegative { return Self.make(negative: isNegative, magnitude: magnitude + other) }
        return magnitude >= other
            ? Self.make(negative: isNegative, magnitude: magnitude - other)
            : Self.make(negative: otherIsNegative, magnitude: other - magnitude)
    }
}

extension CELQuantity {
    /// Whether `value` is what the API server accepts as an amount of a resource (a container's
    /// request or limit, a ResourceQuota's `hard`, a LimitRange's values): a quantity not below
    /// zero (`-0` is zero), written as text, white space around it trimmed as the API server's
    /// decoder trims it, or as a number (`cpu: 2`, `cpu: 0.5`; a finite one).
    public static func isResourceAmount(_ value: CELValue) -> Bool {
        switch value {
        case .int(let i): return i >= 0
        case .uint: return true
        case .double(let d): return d.isFinite && d >= 0
        case .string(let s): return recentAmounts.value(of: s, computing: isResourceAmount(text:))
        default: return false
        }
    }

    /// `isResourceAmount` of texts read recently: a cluster's requests and limits repeat a few amounts.
    private static let recentAmounts = RecentResults<Bool>()

    private static func isResourceAmount(text s: String) -> Bool {
        let text = StringsExt.trimmingSpace(s)
        guard isValid(text) else { return false }
        guard text.hasPrefix("-") else { return true }
        guard case .success(let quantity) = parse(text) else { return false }
        return quantity.sign == 0
    }

    /// A whole number of units as a quantity, as Kubernetes' `add` and `sub` take an int.
    init(_ units: Int64) {
        self.init(isNegative: units < 0, magnitude: QuantityMagnitude(units: units.magnitude), text: String(units))
    }
}

/// The Kubernetes quantity library: `quantity()`, `isQuantity()` and the quantity methods.
enum QuantityLib {
    /// The error for a value beyond the exact range (`quantity '1e1000'`, `the sum of ...`).
    static func outOfRangeMessage(_ value: String) -> String {
        "\(value) is outside the supported range of quantities (below 10^\(CELQuantity.maximumWholeDigits) in magnitude)"
    }

    static func arg(_ v: CELValue) -> CELQuantity? {
        if case .opaque(let o) = v { return o as? CELQuantity }
        return nil
    }

    /// The text `quantity()` and `isQuantity()` read: a string, or a number as the API server
    /// hands it to a policy. A manifest may write a quantity as a YAML number (`cpu: 2`,
    /// `cpu: 0.5`), which the API server decodes as the quantity of that text; a policy sees a
    /// string there, and so reads a number here alike. Not a finite number: nil.
    private static func quantityText(_ v: CELValue) -> String? {
        switch v {
        case .string(let s): s
        case .int(let i): String(i)
        case .uint(let u): String(u)
        case .double(let d): d.isFinite ? "\(d)" : nil
        default: nil
        }
    }

    static func register(_ t: inout FunctionTable) {
        t.addGlobal("quantity", 1) { a in
            guard let s = quantityText(a[0]) else { return noSuchOverload("quantity", a) }
            switch CELQuantity.parse(s) {
            case .success(let q):
                return .opaque(q)
            case .failure(.malformed):
                return .err("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '\(s)'")
            case .failure(.outOfRange):
                return .err(outOfRangeMessage("quantity '\(s)'"))
            }
        }
        t.addGlobal("isQuantity", 1) { a in
            if case .double(let d) = a[0], !d.isFinite { return .bool(false) }
            guard let s = quantityText(a[0]) else { return noSuchOverload("isQuantity", a) }
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
        method("asApproximateFloat", 1) { q, _ in
            guard let d = q.asDouble else { return .err("cannot convert quantity \(q.decimalValue) to a double") }
            return .double(d)
        }
        method("sign", 1) { q, _ in .int(Int64(q.sign)) }
        @Sendable func other(_ v: CELValue) -> CELQuantity? {
            if let q = arg(v) { return q }
            if case .int(let i) = v { return CELQuantity(i) }
            return nil
        }
        method("add", 2) { q, a in
            guard let o = other(a[1]) else { return noSuchOverload("add", a) }
            guard let sum = q.adding(o) else { return .err(outOfRangeMessage("the sum of \(q.text) and \(o.text)")) }
            return .opaque(sum)
        }
        method("sub", 2) { q, a in
            guard let o = other(a[1]) else { return noSuchOverload("sub", a) }
            guard let difference = q.subtracting(o) else {
                return .err(outOfRangeMessage("the difference of \(q.text) and \(o.text)"))
            }
            return .opaque(difference)
        }
        // isLessThan / isGreaterThan / compareTo are generic over opaque values (OpaqueOrdering).
    }
}
