/// Kubernetes list library (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`) and
/// the cel-go lists extension (`slice`, `flatten`, `distinct`, `sort`, `lists.range`).
enum ListsExt {
    static func indexOf(_ list: CELValue, _ x: CELValue, last: Bool) -> CELValue {
        guard case .list(let l) = list else { return noSuchOverload(last ? "lastIndexOf" : "indexOf", [list, x]) }
        let indices = last ? Array((0..<l.count).reversed()) : Array(0..<l.count)
        for i in indices where Semantics.eq(l[i], x) { return .int(Int64(i)) }
        return .int(-1)
    }

    /// Ordering of two list elements; nil when they are not comparable.
    static func order(_ a: CELValue, _ b: CELValue) -> Int? {
        if case .some(.some(let c)) = Semantics.compare(a, b) { return c }
        return nil
    }

    static func extreme(_ name: String, _ v: CELValue, wantGreater: Bool) -> CELValue {
        guard case .list(let l) = v else { return noSuchOverload(name, [v]) }
        guard l.count > 0 else { return .err("\(name) called on an empty list") }
        var best = l[0]
        for i in 1..<l.count {
            let e = l[i]
            guard let c = order(e, best) else { return noSuchOverload(name, [best, e]) }
            if wantGreater ? c > 0 : c < 0 { best = e }
        }
        return best
    }

    static func register(_ t: inout FunctionTable) {
        t.addReceiver("isSorted", 1, sizeCost: true) { a in
            guard case .list(let l) = a[0] else { return noSuchOverload("isSorted", a) }
            if l.count < 2 { return .bool(true) }
            for i in 1..<l.count {
                guard let c = order(l[i - 1], l[i]) else { return noSuchOverload("isSorted", [l[i - 1], l[i]]) }
                if c > 0 { return .bool(false) }
            }
            return .bool(true)
        }
        t.addReceiver("sum", 1, sizeCost: true) { a in
            guard case .list(let l) = a[0] else { return noSuchOverload("sum", a) }
            if l.count == 0 { return .int(0) }
            var acc = l[0]
            for i in 1..<l.count {
                acc = Stdlib.add(acc, l[i])
                if case .error = acc { return acc }
            }
            switch acc {
            case .int, .uint, .double, .duration: return acc
            default: return noSuchOverload("sum", a)
            }
        }
        t.addReceiver("min", 1, sizeCost: true) { extreme("min", $0[0], wantGreater: false) }
        t.addReceiver("max", 1, sizeCost: true) { extreme("max", $0[0], wantGreater: true) }
        t.addReceiver("slice", 3, sizeCost: true) { a in
            guard case .list(let l) = a[0], case .int(let s) = a[1], case .int(let e) = a[2] else {
                return noSuchOverload("slice", a)
            }
            guard s >= 0, e >= s, e <= l.count else { return .err("invalid slice range [\(s):\(e)] of list size \(l.count)") }
            return .list(CELList(Array(l.elements[Int(s)..<Int(e)])))
        }
        /// False once `out` would pass `ResultSizeLimit.listElements` (a list nesting itself
        /// flattens to exponentially many elements).
        @Sendable func flatten(_ l: CELList, _ depth: Int64, into out: inout [CELValue]) -> Bool {
            for e in l.elements {
                if depth > 0, case .list(let inner) = e {
                    guard flatten(inner, depth - 1, into: &out) else { return false }
                } else {
                    guard out.count < ResultSizeLimit.listElements else { return false }
                    out.append(e)
                }
            }
            return true
        }
        @Sendable func flattened(_ l: CELList, _ depth: Int64) -> CELValue {
            var out: [CELValue] = []
            return flatten(l, depth, into: &out) ? .list(CELList(out)) : ResultSizeLimit.listError("flatten")
        }
        t.addReceiver("flatten", 1, sizeCost: true) { a in
            guard case .list(let l) = a[0] else { return noSuchOverload("flatten", a) }
            return flattened(l, 1)
        }
        t.addReceiver("flatten", 2, sizeCost: true) { a in
            guard case .list(let l) = a[0], case .int(let d) = a[1] else { return noSuchOverload("flatten", a) }
            if d < 0 { return .err("level must be non-negative") }
            return flattened(l, d)
        }
        t.addReceiver("distinct", 1, sizeCost: true) { a in
            guard case .list(let l) = a[0] else { return noSuchOverload("distinct", a) }
            var out: [CELValue] = []
            // Strings are told apart by hashing; other values (1, 1u and 1.0 are one) by equality.
            var strings: Set<String> = []
            for e in l.elements {
                if case .string(let text) = e {
                    if strings.insert(text).inserted { out.append(e) }
                } else if !out.contains(where: { Semantics.eq($0, e) }) {
                    out.append(e)
                }
            }
            return .list(CELList(out))
        }
        t.addReceiver("sort", 1, sizeCost: true) { a in
            guard case .list(let l) = a[0] else { return noSuchOverload("sort", a) }
            var elems = l.elements
            // As cel-go: one type throughout (`[1, 2.5]` does not sort, though 1 < 2.5), and an ordered one.
            let type = elems.first?.celType
            for i in elems.indices where elems[i].celType != type || i > 0 && order(elems[i - 1], elems[i]) == nil {
                return .err("list elements must have the same type")
            }
            elems.sort { (order($0, $1) ?? 0) < 0 }
            return .list(CELList(elems))
        }
        t.addReceiver("first", 1) { a in
            guard case .list(let l) = a[0] else { return noSuchOverload("first", a) }
            return .optional(l.count > 0 ? l[0] : nil)
        }
        t.addReceiver("last", 1) { a in
            guard case .list(let l) = a[0] else { return noSuchOverload("last", a) }
            return .optional(l.count > 0 ? l[l.count - 1] : nil)
        }
        // Kubernetes sets library.
        func setOp(_ name: String, _ f: @escaping @Sendable (CELList, CELList) -> Bool) {
            t.addGlobal("sets." + name, 2) { a in
                guard case .list(let x) = a[0], case .list(let y) = a[1] else { return noSuchOverload("sets." + name, a) }
                return .bool(f(x, y))
            }
        }
        @Sendable func has(_ l: CELList, _ v: CELValue) -> Bool {
            for i in 0..<l.count where Semantics.eq(l[i], v) { return true }
            return false
        }
        setOp("contains") { x, y in (0..<y.count).allSatisfy { has(x, y[$0]) } }
        setOp("equivalent") { x, y in
            (0..<y.count).allSatisfy { has(x, y[$0]) } && (0..<x.count).allSatisfy { has(y, x[$0]) }
        }
        setOp("intersects") { x, y in (0..<y.count).contains { has(x, y[$0]) } }
        t.addGlobal("lists.range", 1) { a in
            guard case .int(let n) = a[0] else { return noSuchOverload("lists.range", a) }
            guard n >= 0, n <= 1_000_000 else { return .err("lists.range: invalid size \(n)") }
            return .list(CELList((0..<n).map { .int($0) }))
        }
    }
}
