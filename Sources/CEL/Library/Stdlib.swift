import Foundation

/// Standard CEL functions and operators (cel-spec langdef "Functions").
enum Stdlib {
    static func register(_ t: inout FunctionTable) {
        registerOperators(&t)
        registerConversions(&t)
        registerStrings(&t)
        registerTime(&t)
        registerOptional(&t)
    }

    // MARK: Arithmetic

    static func add(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? .err("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? .err("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.bytes(let x), .bytes(let y)): return .bytes(x + y)
        case (.list(let x), .list(let y)):
            if x.count == 0 { return b }
            if y.count == 0 { return a }
            return .list(CELList(x.elements + y.elements))
        case (.duration(let x), .duration(let y)):
            return (x + y).map { .duration($0) } ?? .err("duration out of range")
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)):
            return (t + d).map { .timestamp($0) } ?? .err("timestamp out of range")
        default: return noSuchOverload("_+_", [a, b])
        }
    }

    static func sub(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? .err("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? .err("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.duration(let x), .duration(let y)):
            return (x - y).map { .duration($0) } ?? .err("duration out of range")
        case (.timestamp(let x), .timestamp(let y)):
            return (x - y).map { .duration($0) } ?? .err("duration out of range")
        case (.timestamp(let t), .duration(let d)):
            guard let nd = d.negated, let r = t + nd else { return .err("timestamp out of range") }
            return .timestamp(r)
        default: return noSuchOverload("_-_", [a, b])
        }
    }

    static func mul(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? .err("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? .err("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x * y)
        default: return noSuchOverload("_*_", [a, b])
        }
    }

    static func div(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return .err("division by zero") }
            let (r, o) = x.dividedReportingOverflow(by: y)
            return o ? .err("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { return .err("division by zero") }
            return .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: return noSuchOverload("_/_", [a, b])
        }
    }

    static func mod(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return .err("modulus by zero") }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            return o ? .err("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { return .err("modulus by zero") }
            return .uint(x % y)
        default: return noSuchOverload("_%_", [a, b])
        }
    }

    static func relation(_ name: String, _ accept: @escaping @Sendable (Int) -> Bool) -> CELFunctionImpl {
        { args in
            switch Semantics.compare(args[0], args[1]) {
            case .none: return noSuchOverload(name, args)
            case .some(.none): return .bool(false)  // NaN
            case .some(.some(let c)): return .bool(accept(c))
            }
        }
    }

    static func registerOperators(_ t: inout FunctionTable) {
        t.addGlobal("_+_", 2, sizeCost: true) { add($0[0], $0[1]) }
        t.addGlobal("_-_", 2) { sub($0[0], $0[1]) }
        t.addGlobal("_*_", 2) { mul($0[0], $0[1]) }
        t.addGlobal("_/_", 2) { div($0[0], $0[1]) }
        t.addGlobal("_%_", 2) { mod($0[0], $0[1]) }
        t.addGlobal("-_", 1) { a in
            switch a[0] {
            case .int(let x): return x == Int64.min ? .err("integer overflow") : .int(-x)
            case .double(let x): return .double(-x)
            case .duration(let d): return d.negated.map { .duration($0) } ?? .err("duration out of range")
            default: return noSuchOverload("-_", a)
            }
        }
        t.addGlobal("!_", 1) { a in
            if case .bool(let b) = a[0] { return .bool(!b) }
            return noSuchOverload("!_", a)
        }
        t.addGlobal("_<_", 2, relation("_<_") { $0 < 0 })
        t.addGlobal("_<=_", 2, relation("_<=_") { $0 <= 0 })
        t.addGlobal("_>_", 2, relation("_>_") { $0 > 0 })
        t.addGlobal("_>=_", 2, relation("_>=_") { $0 >= 0 })
        t.addGlobal("_==_", 2) { Semantics.equals($0[0], $0[1]) }
        t.addGlobal("_!=_", 2) { a in
            if case .bool(let b) = Semantics.equals(a[0], a[1]) { return .bool(!b) }
            return Semantics.equals(a[0], a[1])
        }
        t.addGlobal("@in", 2, sizeCost: true) { Semantics.contains($0[1], $0[0]) }
        t.addGlobal("_[_]", 2) { IndexNode.index($0[0], $0[1], optional: false) }
        t.addBoth("size", 1) { a in
            switch a[0] {
            case .string(let s): return .int(Int64(s.unicodeScalars.count))
            case .bytes(let b): return .int(Int64(b.count))
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            default: return noSuchOverload("size", a)
            }
        }
    }

    // MARK: Conversions

    static func toInt(_ v: CELValue) -> CELValue {
        switch v {
        case .int: return v
        case .uint(let u): return u > UInt64(Int64.max) ? .err("range error converting \(u) to int") : .int(Int64(u))
        case .double(let d):
            guard d.isFinite, d > -9.223372036854775808e18, d < 9.223372036854775807e18 else {
                return .err("range error converting \(CELFormatter.double(d)) to int")
            }
            return .int(Int64(d))
        case .string(let s):
            guard let i = Int64(s) else { return .err("type conversion error: cannot convert '\(s)' to int") }
            return .int(i)
        case .timestamp(let t): return .int(t.seconds)
        case .duration(let d):
            guard let n = d.totalNanos else { return .err("range error converting duration to int") }
            return .int(n)
        default: return noSuchOverload("int", [v])
        }
    }

    static func toUint(_ v: CELValue) -> CELValue {
        switch v {
        case .uint: return v
        case .int(let i): return i < 0 ? .err("range error converting \(i) to uint") : .uint(UInt64(i))
        case .double(let d):
            // cel-go refuses any negative value, even one that truncates to 0.
            guard d.isFinite, d >= 0, d < 1.8446744073709551615e19 else {
                return .err("range error converting \(CELFormatter.double(d)) to uint")
            }
            return .uint(UInt64(d))
        case .string(let s):
            // Go's `ParseUint` takes no sign, where Swift's reads `+1`.
            guard !s.hasPrefix("+"), let u = UInt64(s) else { return .err("type conversion error: cannot convert '\(s)' to uint") }
            return .uint(u)
        default: return noSuchOverload("uint", [v])
        }
    }

    static func toDouble(_ v: CELValue) -> CELValue {
        switch v {
        case .double: return v
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let s):
            // Go's `strconv.ParseFloat` (cel-go): the special values in any case.
            switch s.lowercased() {
            case "nan": return .double(.nan)
            case "inf", "+inf", "infinity", "+infinity": return .double(.infinity)
            case "-inf", "-infinity": return .double(-.infinity)
            default:
                // Go's ParseFloat refuses a finite spelling out of range (`1e400`) rather than
                // rounding it to infinity, and a hexadecimal one without its `p` exponent (`0x10`).
                let lowered = s.lowercased()
                guard let d = Double(s), d.isFinite, !lowered.contains("nan"), !lowered.contains("inf"),
                    !lowered.contains("0x") || lowered.contains("p")
                else {
                    return .err("type conversion error: cannot convert '\(s)' to double")
                }
                return .double(d)
            }
        default: return noSuchOverload("double", [v])
        }
    }

    static func toString(_ v: CELValue) -> CELValue {
        switch v {
        case .string: return v
        case .int(let i): return .string(String(i))
        case .uint(let u): return .string(String(u))
        case .double(let d): return .string(CELFormatter.double(d))
        case .bool(let b): return .string(b ? "true" : "false")
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else { return .err("invalid UTF-8 in bytes") }
            return .string(s)
        case .timestamp(let t): return .string(t.formatted)
        case .duration(let d): return .string(d.formatted)
        case .type(let t): return .string(t.name)
        case .null: return .string("null")
        case .opaque(let o):
            if let s = o as? any CELStringConvertible { return .string(s.celStringValue) }
            return noSuchOverload("string", [v])
        default: return noSuchOverload("string", [v])
        }
    }

    static func registerConversions(_ t: inout FunctionTable) {
        t.addGlobal("int", 1) { toInt($0[0]) }
        t.addGlobal("uint", 1) { toUint($0[0]) }
        t.addGlobal("double", 1) { toDouble($0[0]) }
        t.addGlobal("string", 1) { toString($0[0]) }
        t.addGlobal("bytes", 1) { a in
            switch a[0] {
            case .bytes: return a[0]
            case .string(let s): return .bytes(Array(s.utf8))
            default: return noSuchOverload("bytes", a)
            }
        }
        t.addGlobal("bool", 1) { a in
            switch a[0] {
            case .bool: return a[0]
            case .string(let s):
                switch s {
                case "1", "t", "true", "TRUE", "True": return .bool(true)
                case "0", "f", "false", "FALSE", "False": return .bool(false)
                default: return .err("type conversion error: cannot convert '\(s)' to bool")
                }
            default: return noSuchOverload("bool", a)
            }
        }
        t.addGlobal("dyn", 1) { $0[0] }
        t.addGlobal("type", 1) { .type($0[0].celType) }
        t.addGlobal("duration", 1) { a in
            switch a[0] {
            case .duration: return a[0]
            case .string(let s):
                guard let d = CELDuration.parse(s) else { return .err("invalid duration '\(s)' or out of range") }
                return .duration(d)
            case .int(let n): return CELDuration(seconds: 0, nanos: n).map { .duration($0) } ?? .err("duration out of range")
            default: return noSuchOverload("duration", a)
            }
        }
        t.addGlobal("timestamp", 1) { a in
            switch a[0] {
            case .timestamp: return a[0]
            case .string(let s):
                guard let ts = CELTimestamp.parse(s) else { return .err("invalid timestamp '\(s)' or out of range") }
                return .timestamp(ts)
            case .int(let n): return CELTimestamp(seconds: n).map { .timestamp($0) } ?? .err("timestamp out of range")
            default: return noSuchOverload("timestamp", a)
            }
        }
    }

    // MARK: Strings

    static func registerStrings(_ t: inout FunctionTable) {
        func strPair(_ name: String, _ f: @escaping @Sendable (String, String) -> Bool) -> CELFunctionImpl {
            { a in
                guard case .string(let x) = a[0], case .string(let y) = a[1] else { return noSuchOverload(name, a) }
                return .bool(f(x, y))
            }
        }
        t.addReceiver("contains", 2, sizeCost: true, strPair("contains", StringBytes.contains))
        t.addReceiver("startsWith", 2, sizeCost: true, strPair("startsWith", StringBytes.hasPrefix))
        t.addReceiver("endsWith", 2, sizeCost: true, strPair("endsWith", StringBytes.hasSuffix))
    }

    // MARK: Time

    static func registerTime(_ t: inout FunctionTable) {
        typealias Comp = (year: Int64, month: Int64, day: Int64, dayOfWeek: Int64, dayOfYear: Int64,
                          hour: Int64, minute: Int64, second: Int64)
        func accessor(_ name: String, _ ts: @escaping @Sendable (Comp, CELTimestamp) -> Int64,
                      duration: (@Sendable (CELDuration) -> Int64)? = nil)
        {
            t.addReceiver(name, 1) { a in
                switch a[0] {
                case .timestamp(let x):
                    guard let c = x.components(in: nil) else { return .err("invalid timezone") }
                    return .int(ts(c, x))
                case .duration(let d):
                    if let duration { return .int(duration(d)) }
                    return noSuchOverload(name, a)
                default: return noSuchOverload(name, a)
                }
            }
            t.addReceiver(name, 2) { a in
                guard case .timestamp(let x) = a[0], case .string(let tz) = a[1] else { return noSuchOverload(name, a) }
                guard let c = x.components(in: tz) else { return .err("unknown timezone '\(tz)'") }
                return .int(ts(c, x))
            }
        }
        accessor("getFullYear", { c, _ in c.year })
        accessor("getMonth", { c, _ in c.month - 1 })
        accessor("getDate", { c, _ in c.day })
        accessor("getDayOfMonth", { c, _ in c.day - 1 })
        accessor("getDayOfWeek", { c, _ in c.dayOfWeek })
        accessor("getDayOfYear", { c, _ in c.dayOfYear })
        accessor("getHours", { c, _ in c.hour }, duration: { $0.truncated.seconds / 3600 })
        accessor("getMinutes", { c, _ in c.minute }, duration: { $0.truncated.seconds / 60 })
        accessor("getSeconds", { c, _ in c.second }, duration: { $0.truncated.seconds })
        accessor("getMilliseconds", { _, x in Int64(x.nanos) / 1_000_000 }, duration: { $0.truncated.nanos / 1_000_000 })
    }

    // MARK: Optionals

    static func registerOptional(_ t: inout FunctionTable) {
        t.addGlobal("optional.of", 1) { .optional($0[0]) }
        t.addGlobal("optional.none", 0) { _ in .optional(nil) }
        t.addGlobal("optional.ofNonZeroValue", 1) { a in
            isZeroValue(a[0]) ? .optional(nil) : .optional(a[0])
        }
        t.addReceiver("hasValue", 1) { a in
            guard case .optional(let o) = a[0] else { return noSuchOverload("hasValue", a) }
            return .bool(o != nil)
        }
        t.addReceiver("value", 1) { a in
            guard case .optional(let o) = a[0] else { return noSuchOverload("value", a) }
            return o ?? .err("optional.none() dereference")
        }
        t.addReceiver("orValue", 2) { a in
            guard case .optional(let o) = a[0] else { return noSuchOverload("orValue", a) }
            return o ?? a[1]
        }
        t.addReceiver("or", 2) { a in
            guard case .optional(let o) = a[0], case .optional = a[1] else { return noSuchOverload("or", a) }
            return o != nil ? a[0] : a[1]
        }
    }

    static func isZeroValue(_ v: CELValue) -> Bool {
        switch v {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .uint(let u): return u == 0
        case .double(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .bytes(let b): return b.isEmpty
        case .list(let l): return l.count == 0
        case .map(let m): return m.count == 0
        case .duration(let d): return d.seconds == 0 && d.nanos == 0
        case .timestamp(let t): return t.seconds == 0 && t.nanos == 0
        case .optional(let o): return o == nil
        default: return false
        }
    }
}

extension CELValue {
    /// What CEL's `string(value)` gives: the string, or an error for a value it does not convert.
    public var convertedToString: CELValue { Stdlib.toString(self) }
}
