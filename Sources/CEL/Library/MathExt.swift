import Foundation

/// The cel-go math extension (`math.greatest`, `math.least`, rounding, bit operations, ...).
enum MathExt {
    static func pick(_ name: String, _ args: CELArguments, greater: Bool) -> CELValue {
        var values = Array(args)
        if args.count == 1, case .list(let l) = args[0] { values = l.elements }
        guard let first = values.first else { return .err("\(name)(): list must not be empty") }
        var best = first
        for v in values {
            switch v {
            case .int, .uint, .double: break
            default: return noSuchOverload(name, [v])
            }
            guard let c = Semantics.compareNumeric(v, best) else { continue }
            if greater ? c > 0 : c < 0 { best = v }
        }
        if case .int = best {} else if case .uint = best {} else if case .double = best {} else {
            return noSuchOverload(name, [best])
        }
        return best
    }

    static func register(_ t: inout FunctionTable) {
        t.addGlobal("math.greatest", -1) { pick("math.greatest", $0, greater: true) }
        t.addGlobal("math.least", -1) { pick("math.least", $0, greater: false) }
        func dbl(_ name: String, _ f: @escaping @Sendable (Double) -> CELValue) {
            t.addGlobal("math." + name, 1) { a in
                guard case .double(let d) = a[0] else { return noSuchOverload("math." + name, a) }
                return f(d)
            }
        }
        dbl("ceil") { .double($0.rounded(.up)) }
        dbl("floor") { .double($0.rounded(.down)) }
        dbl("round") { .double($0.rounded(.toNearestOrAwayFromZero)) }
        dbl("trunc") { .double($0.rounded(.towardZero)) }
        dbl("isNaN") { .bool($0.isNaN) }
        dbl("isInf") { .bool($0.isInfinite) }
        dbl("isFinite") { .bool($0.isFinite) }
        dbl("sqrt") { .double($0.squareRoot()) }
        t.addGlobal("math.sqrt", 1) { a in
            switch a[0] {
            case .double(let d): return .double(d.squareRoot())
            case .int(let i): return .double(Double(i).squareRoot())
            case .uint(let u): return .double(Double(u).squareRoot())
            default: return noSuchOverload("math.sqrt", a)
            }
        }
        t.addGlobal("math.abs", 1) { a in
            switch a[0] {
            case .int(let i): return i == Int64.min ? .err("integer overflow") : .int(abs(i))
            case .uint: return a[0]
            case .double(let d): return .double(abs(d))
            default: return noSuchOverload("math.abs", a)
            }
        }
        t.addGlobal("math.sign", 1) { a in
            switch a[0] {
            case .int(let i): return .int(i.signum())
            case .uint(let u): return .uint(u == 0 ? 0 : 1)
            case .double(let d): return .double(d.isNaN ? d : (d > 0 ? 1 : (d < 0 ? -1 : 0)))
            default: return noSuchOverload("math.sign", a)
            }
        }
        func bits(_ name: String, _ fi: @escaping @Sendable (Int64, Int64) -> Int64,
                  _ fu: @escaping @Sendable (UInt64, UInt64) -> UInt64)
        {
            t.addGlobal("math." + name, 2) { a in
                switch (a[0], a[1]) {
                case (.int(let x), .int(let y)): return .int(fi(x, y))
                case (.uint(let x), .uint(let y)): return .uint(fu(x, y))
                default: return noSuchOverload("math." + name, a)
                }
            }
        }
        bits("bitAnd", { $0 & $1 }, { $0 & $1 })
        bits("bitOr", { $0 | $1 }, { $0 | $1 })
        bits("bitXor", { $0 ^ $1 }, { $0 ^ $1 })
        t.addGlobal("math.bitNot", 1) { a in
            switch a[0] {
            case .int(let x): return .int(~x)
            case .uint(let x): return .uint(~x)
            default: return noSuchOverload("math.bitNot", a)
            }
        }
        t.addGlobal("math.bitShiftLeft", 2) { a in
            guard case .int(let n) = a[1] else { return noSuchOverload("math.bitShiftLeft", a) }
            if n < 0 { return .err("math.bitShiftLeft() negative offset: \(n)") }
            switch a[0] {
            case .int(let x): return .int(n >= 64 ? 0 : x << n)
            case .uint(let x): return .uint(n >= 64 ? 0 : x << UInt64(n))
            default: return noSuchOverload("math.bitShiftLeft", a)
            }
        }
        t.addGlobal("math.bitShiftRight", 2) { a in
            guard case .int(let n) = a[1] else { return noSuchOverload("math.bitShiftRight", a) }
            if n < 0 { return .err("math.bitShiftRight() negative offset: \(n)") }
            switch a[0] {
            case .int(let x): return .int(n >= 64 ? 0 : Int64(bitPattern: UInt64(bitPattern: x) >> UInt64(n)))
            case .uint(let x): return .uint(n >= 64 ? 0 : x >> UInt64(n))
            default: return noSuchOverload("math.bitShiftRight", a)
            }
        }
    }
}
