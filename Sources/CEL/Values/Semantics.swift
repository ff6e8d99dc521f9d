/// Core value semantics: equality, ordering, truthiness helpers.
enum Semantics {
    /// CEL heterogeneous equality. Returns an error value when either side is an error.
    static func equals(_ a: CELValue, _ b: CELValue) -> CELValue {
        if case .error = a { return a }
        if case .error = b { return b }
        return .bool(eq(a, b))
    }

    /// Equality without error propagation (errors are never equal).
    static func eq(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.list, .list), (.map, .map), (.optional, .optional):
            // A plain walk first: its frames are small, so the deepest document compares. Values
            // built from shared parts (`cel.bind(a, [x, x], [a, a])`) nest one pair exponentially
            // often; past `EqualityWalk.plainSteps` the walk starts again remembering each pair.
            let plain = EqualityWalk(memoizing: false)
            let result = plain.equal(a, b)
            return plain.exceeded ? EqualityWalk(memoizing: true).equal(a, b) : result
        default:
            return scalarEq(a, b)
        }
    }

    /// Equality of values that are not both collections or optionals.
    static func scalarEq(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return StringBytes.equal(x, y)
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.int, _), (.uint, _), (.double, _):
            guard let c = compareNumeric(a, b) else { return false }
            return c == 0
        case (.type(let x), .type(let y)): return x == y
        case (.duration(let x), .duration(let y)): return x == y
        case (.timestamp(let x), .timestamp(let y)): return x == y
        case (.opaque(let x), .opaque(let y)):
            return x.celTypeName == y.celTypeName && x.isEqual(to: y)
        default: return false
        }
    }

    /// Numeric comparison across int, uint and double; nil when not both numeric or NaN.
    static func compareNumeric(_ a: CELValue, _ b: CELValue) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.uint(let x), .uint(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        case (.int(let x), .uint(let y)):
            if x < 0 { return -1 }
            let ux = UInt64(x)
            return ux < y ? -1 : (ux > y ? 1 : 0)
        case (.uint, .int):
            return compareNumeric(b, a).map { -$0 }
        case (.int(let x), .double(let y)): return compareIntDouble(x, y)
        case (.double, .int): return compareNumeric(b, a).map { -$0 }
        case (.uint(let x), .double(let y)): return compareUintDouble(x, y)
        case (.double, .uint): return compareNumeric(b, a).map { -$0 }
        default: return nil
        }
    }

    /// int vs double compares in double precision, as cel-go does.
    static func compareIntDouble(_ x: Int64, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        let dx = Double(x)
        return dx < y ? -1 : (dx > y ? 1 : 0)
    }

    static func compareUintDouble(_ x: UInt64, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        let dx = Double(x)
        return dx < y ? -1 : (dx > y ? 1 : 0)
    }

    /// Ordering for `<`, `<=`, `>`, `>=`; nil means no such overload (or NaN: handled by caller).
    static func compare(_ a: CELValue, _ b: CELValue) -> Int?? {
        switch (a, b) {
        case (.int, .int), (.int, .uint), (.int, .double), (.uint, .int), (.uint, .uint), (.uint, .double),
            (.double, .int), (.double, .uint), (.double, .double):
            return .some(compareNumeric(a, b))
        case (.string(let x), .string(let y)):
            return .some(StringBytes.compare(x, y))
        case (.bytes(let x), .bytes(let y)):
            return .some(x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1))
        case (.bool(let x), .bool(let y)):
            return .some(x == y ? 0 : (!x ? -1 : 1))
        case (.timestamp(let x), .timestamp(let y)):
            return .some(x < y ? -1 : (x == y ? 0 : 1))
        case (.duration(let x), .duration(let y)):
            return .some(x < y ? -1 : (x == y ? 0 : 1))
        case (.opaque(let x), .opaque(let y)) where x.celTypeName == y.celTypeName:
            guard let c = x.compare(to: y) else { return nil }
            return .some(c)
        default:
            return nil
        }
    }

    /// `x in container`.
    static func contains(_ container: CELValue, _ x: CELValue) -> CELValue {
        switch container {
        case .list(let l):
            if case .string(let text) = x, let found = l.containsString(text) { return .bool(found) }
            for i in 0..<l.count where eq(l[i], x) { return .bool(true) }
            return .bool(false)
        case .map(let m):
            switch x {
            case .int, .uint, .bool, .string, .double: return .bool(m.containsKey(x))
            default: return .bool(false)
            }
        default:
            return noSuchOverload("@in", [x, container])
        }
    }
}
