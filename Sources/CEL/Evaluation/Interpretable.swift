import Synchronization
/// A planned, immutable evaluation node. Identifiers and functions are resolved at plan time.
/// Nodes are final classes: a child is then one reference, called through its witness table,
/// where a struct node larger than three words would sit in a boxed existential projected on
/// every call.
protocol Interpretable: AnyObject, Sendable {
    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue
}

/// The implementation signature of every function.
public typealias CELFunctionImpl = @Sendable (CELArguments) -> CELValue

@inline(__always)
func withOffset(_ v: CELValue, _ offset: Int) -> CELValue {
    if case .error(var e) = v, e.offset == nil {
        e.offset = offset
        return .error(e)
    }
    return v
}

/// Where the value of `node` was read, when it is a field or an index of a map or list
/// (`object.metadata.labels`, `x[0]`): its container and key, found by evaluating the container
/// again. An error about a value of the wrong type (`'k' in labels` where labels is a string, as
/// a Helm value rendered as text is) then carries where that value is written, so that a host
/// can point at it; called only once an evaluation has failed.
func placeOfValue(of node: any Interpretable, _ ctx: EvalContext) throws(EvalAbort) -> (container: CELValue, key: CELValue)? {
    if let shared = node as? SharedNode { return try placeOfValue(of: shared.inner, ctx) }
    if let global = node as? GlobalNode { return ctx.placeOfValue(global.name, declaredAt: global.position) }
    if let conditional = node as? ConditionalNode {
        switch try conditional.cond.eval(ctx) {
        case .bool(true): return try placeOfValue(of: conditional.then, ctx)
        case .bool(false): return try placeOfValue(of: conditional.otherwise, ctx)
        default: return nil
        }
    }
    if let select = node as? SelectNode, !select.testOnly, !select.optional {
        let container = try select.operand.eval(ctx)
        guard case .map = container else { return nil }
        return (container, select.fieldName.key)
    }
    if let index = node as? IndexNode, !index.optional {
        let container = try index.operand.eval(ctx)
        switch container {
        case .map, .list: return (container, try index.index.eval(ctx))
        default: return nil
        }
    }
    return nil
}

/// `value` with the place of the value `node` gave (see `placeOfValue(of:_:)`) when it is an
/// error that has no place yet. Finding the place does not fail the evaluation: past the cost
/// limit, the error stays without one. Never inlined: the evaluation's recursive frames stay as
/// small as without it (deep expressions run on small stacks).
@inline(never)
func placing(_ value: CELValue, at node: any Interpretable, _ ctx: EvalContext) -> CELValue {
    guard case .error(var error) = value, error.map == nil, let place = (try? placeOfValue(of: node, ctx)) ?? nil else { return value }
    error.map = place.container
    error.key = place.key
    return .error(error)
}

final class ConstNode: Interpretable {
    let value: CELValue

    init(value: CELValue) {
        self.value = value
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue { value }
}

final class GlobalNode: Interpretable {
    let name: String
    /// The position of the name among the environment's declarations.
    let position: Int
    let offset: Int

    init(name: String, position: Int, offset: Int) {
        self.name = name
        self.position = position
        self.offset = offset
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        if let v = ctx.resolve(name, declaredAt: position) { return v }
        return .error(CELEvalError("no such attribute: '\(name)' is not bound", offset: offset, kind: .unboundVariable))
    }
}

/// A subexpression evaluated once and reused while the variables it reads keep their values
/// (see ``SharedSubexpressions``); a reuse costs one unit. Errors are not kept.
final class SharedNode: Interpretable {
    let inner: any Interpretable
    let slot: Int

    init(inner: any Interpretable, slot: Int) {
        self.inner = inner
        self.slot = slot
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        if ctx.isMemoized[slot] {
            try ctx.charge(1)
            return ctx.memo[slot]
        }
        let v = try inner.eval(ctx)
        if case .error = v { return v }
        ctx.keep(v, inMemoSlot: slot)
        return v
    }
}

final class LocalNode: Interpretable {
    let slot: Int

    init(slot: Int) {
        self.slot = slot
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue { ctx.locals[slot] }
}

/// Field selection `a.f`, presence test `has(a.f)`, and optional selection `a.?f`.
final class SelectNode: Interpretable {
    let operand: any Interpretable
    let field: String
    let testOnly: Bool
    let optional: Bool
    let offset: Int
    /// The field as hosts read it, made once at plan time.
    let fieldName: CELFieldName
    /// Where the field was in the last map selected from (see
    /// ``CELCollectionHost/value(of:field:hint:)``): the threads evaluating this node
    /// may overwrite each other's, as it only says where to look first.
    private let hint = Atomic<Int>(0)

    init(operand: any Interpretable, field: String, testOnly: Bool, optional: Bool, offset: Int) {
        self.operand = operand
        self.field = field
        self.testOnly = testOnly
        self.optional = optional
        self.offset = offset
        fieldName = CELFieldName(field)
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let v = try operand.eval(ctx)
        guard !optional else {
            guard case .map = v else { return selectOutOfMap(v, ctx) }
            return SelectNode.select(v, field: field, testOnly: testOnly, optional: optional, offset: offset)
        }
        // Consumed, so that the map is moved out of the value rather than copied (a retain and
        // a release of its storage on every selection).
        switch consume v {
        case .map(let m):
            let hinted = hint.load(ordering: .relaxed)
            var position = hinted
            defer { if position != hinted { hint.store(position, ordering: .relaxed) } }
            if testOnly { return .bool(m.contains(field: fieldName, hint: &position)) }
            if let found = m.value(field: fieldName, hint: &position) { return found }
            return .error(CELEvalError("no such key: \(field)", offset: offset, kind: .noSuchKey, map: .map(m)))
        case let other:
            return selectOutOfMap(other, ctx)
        }
    }

    /// The selection on an optional, an error or a value of the wrong type, which is an error at
    /// the place of that value. Never inlined, as `placing(_:at:_:)`.
    @inline(never)
    private func selectOutOfMap(_ v: CELValue, _ ctx: EvalContext) -> CELValue {
        let selected = SelectNode.select(v, field: field, testOnly: testOnly, optional: optional, offset: offset)
        switch v {
        case .optional, .error: return selected
        default: return placing(selected, at: operand, ctx)
        }
    }

    static func select(_ v: CELValue, field: String, testOnly: Bool, optional: Bool, offset: Int) -> CELValue {
        switch v {
        case .error: return v
        case .map(let m):
            if testOnly { return .bool(m.containsKey(.string(field))) }
            let found = m.value(forKey: .string(field))
            if optional { return .optional(found) }
            if let found { return found }
            return .error(CELEvalError("no such key: \(field)", offset: offset, kind: .noSuchKey, map: v))
        case .optional(let inner):
            guard let inner else { return testOnly ? .bool(false) : .optional(nil) }
            let r = select(inner, field: field, testOnly: testOnly, optional: true, offset: offset)
            return r
        default:
            if testOnly { return .error(CELEvalError("no such overload: has() on \(v.celType.name)", offset: offset)) }
            return .error(CELEvalError("no such overload: field selection on \(v.celType.name)", offset: offset))
        }
    }
}

final class IndexNode: Interpretable {
    let operand: any Interpretable
    let index: any Interpretable
    let optional: Bool
    let offset: Int

    init(operand: any Interpretable, index: any Interpretable, optional: Bool, offset: Int) {
        self.operand = operand
        self.index = index
        self.optional = optional
        self.offset = offset
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let v = try operand.eval(ctx)
        if case .error = v { return v }
        let i = try index.eval(ctx)
        if case .error = i { return i }
        return withOffset(IndexNode.index(v, i, optional: optional), offset)
    }

    static func index(_ v: CELValue, _ i: CELValue, optional: Bool) -> CELValue {
        switch v {
        case .list(let l):
            let idx: Int64
            switch i {
            case .int(let x): idx = x
            case .uint(let x): idx = x > UInt64(Int64.max) ? -1 : Int64(x)
            case .double(let d):
                guard let x = Int64(exactly: d) else { return .err("unsupported index value: \(d)") }
                idx = x
            default: return noSuchOverload("_[_]", [v, i])
            }
            if idx < 0 || idx >= Int64(l.count) {
                return optional ? .optional(nil) : .err("index out of range: \(idx)")
            }
            let e = l[Int(idx)]
            return optional ? .optional(e) : e
        case .map(let m):
            switch i {
            case .int, .uint, .bool, .string, .double: break
            default: return .err("unsupported key type: \(i.celType.name)")
            }
            let found = m.value(forKey: i)
            if optional { return .optional(found) }
            if let found { return found }
            return .error(CELEvalError("no such key: \(CELFormatter.debug(i))", kind: .noSuchKey, map: v))
        case .optional(let inner):
            guard let inner else { return .optional(nil) }
            return index(inner, i, optional: true)
        default:
            return noSuchOverload("_[_]", [v, i])
        }
    }
}

final class ListNode: Interpretable {
    let elements: [any Interpretable]
    let optionalIndices: Set<Int>

    init(elements: [any Interpretable], optionalIndices: Set<Int>) {
        self.elements = elements
        self.optionalIndices = optionalIndices
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        var out: [CELValue] = []
        out.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            let v = try e.eval(ctx)
            if case .error = v { return v }
            if optionalIndices.contains(i) {
                guard case .optional(let inner) = v else { return .err("no such overload: optional element is not optional") }
                if let inner { out.append(inner) }
            } else {
                out.append(v)
            }
        }
        return .list(CELList(out))
    }
}

final class MapNode: Interpretable {
    let keys: [any Interpretable]
    let values: [any Interpretable]
    let optional: [Bool]
    let offsets: [Int]

    init(keys: [any Interpretable], values: [any Interpretable], optional: [Bool], offsets: [Int]) {
        self.keys = keys
        self.values = values
        self.optional = optional
        self.offsets = offsets
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        var ks: [CELValue] = []
        var dict: [CELMapKey: CELValue] = [:]
        for i in 0..<keys.count {
            let k = try keys[i].eval(ctx)
            if case .error = k { return k }
            guard let mk = CELMapKey(k), !(k.celType == .double) else {
                return .error(CELEvalError("unsupported key type: \(k.celType.name)", offset: offsets[i]))
            }
            var v = try values[i].eval(ctx)
            if case .error = v { return v }
            if optional[i] {
                guard case .optional(let inner) = v else { return .err("no such overload: optional entry is not optional") }
                guard let inner else { continue }
                v = inner
            }
            if dict.updateValue(v, forKey: mk) != nil {
                return .error(CELEvalError("Failed with repeated key: \(CELFormatter.debug(k))", offset: offsets[i]))
            }
            ks.append(k)
        }
        return .map(CELMap(uncheckedKeys: ks, values: dict))
    }
}

/// A strict call: any error argument is returned before the function runs.
final class CallNode: Interpretable {
    let name: String
    let args: [any Interpretable]
    /// The first three arguments again, each in a field of its own (a constant null past the
    /// last): a child read out of an array is retained and released around its evaluation, one
    /// read from a field of the node is not, and most calls take at most three.
    private let first: any Interpretable
    private let second: any Interpretable
    private let third: any Interpretable
    let impl: CELFunctionImpl
    let offset: Int
    /// Extra cost proportional to argument sizes (strings, lists), like Kubernetes.
    let sizeCost: Bool

    init(name: String, args: [any Interpretable], impl: @escaping CELFunctionImpl, offset: Int, sizeCost: Bool) {
        self.name = name
        self.args = args
        let absent = ConstNode(value: .null)
        first = args.count > 0 ? args[0] : absent
        second = args.count > 1 ? args[1] : absent
        third = args.count > 2 ? args[2] : absent
        self.impl = impl
        self.offset = offset
        self.sizeCost = sizeCost
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        // One argument, the most frequent case: the function reads it where it is.
        if args.count == 1 {
            let argument = try first.eval(ctx)
            if case .error = argument { return argument }
            return try withUnsafePointer(to: argument) { pointer throws(EvalAbort) -> CELValue in
                try call(CELArguments(UnsafeBufferPointer(start: pointer, count: 1)), ctx)
            }
        }
        return try withUnsafeTemporaryAllocation(of: CELValue.self, capacity: args.count) { buffer throws(EvalAbort) -> CELValue in
            var evaluated = 0
            defer { buffer.destroyValues(count: evaluated) }
            while evaluated < args.count {
                let v: CELValue
                switch evaluated {
                case 0: v = try first.eval(ctx)
                case 1: v = try second.eval(ctx)
                case 2: v = try third.eval(ctx)
                default: v = try args[evaluated].eval(ctx)
                }
                if case .error = v { return v }
                buffer.initializeElement(at: evaluated, to: v)
                evaluated += 1
            }
            return try call(CELArguments(UnsafeBufferPointer(buffer)), ctx)
        }
    }

    /// The function called on its evaluated `arguments`, with their size cost.
    @inline(__always)
    private func call(_ arguments: CELArguments, _ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        if sizeCost { try ctx.charge(arguments.reduce(0) { $0 + CallNode.size(of: $1) } / 10) }
        let result = withOffset(impl(arguments), offset)
        if case .error = result { return CallNode.placingArgument(of: result, among: args, ctx) }
        return result
    }

    /// An error about an argument of the wrong type (`no such overload`) at the place of the last
    /// of `arguments` read from a map or list (`'k' in object.metadata.labels`, `size(object.spec)`);
    /// so is any error of a function of one argument, which can only be about the value it was
    /// given (`int('three')`, a quantity or an image reference it cannot read).
    /// Never inlined, as `placing(_:at:_:)`.
    @inline(never)
    static func placingArgument(of result: CELValue, among arguments: [any Interpretable], _ ctx: EvalContext) -> CELValue {
        guard case .error(let error) = result, error.kind == .evaluation,
              arguments.count == 1 || error.message.hasPrefix("no such overload") else { return result }
        for argument in arguments.reversed() {
            let placed = placing(result, at: argument, ctx)
            if case .error(let error) = placed, error.map != nil { return placed }
        }
        return result
    }

    /// The size of an argument that a call with a size cost charges a tenth of (summed over its
    /// arguments): a string's or bytes' length, a list's or map's count.
    static func size(of argument: CELValue) -> Int {
        switch argument {
        case .string(let s): s.utf8.count
        case .bytes(let b): b.count
        case .list(let l): l.count
        case .map(let m): m.count
        default: 0
        }
    }
}

/// `x in container` (the `@in` function) with the call's result, cost and error place, but
/// without its argument buffer and closure: rules test membership in lists and maps more than
/// they call any function.
final class InNode: Interpretable {
    let element: any Interpretable
    let container: any Interpretable
    let offset: Int

    init(element: any Interpretable, container: any Interpretable, offset: Int) {
        self.element = element
        self.container = container
        self.offset = offset
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let x = try element.eval(ctx)
        if case .error = x { return x }
        let c = try container.eval(ctx)
        if case .error = c { return c }
        try ctx.charge((CallNode.size(of: x) + CallNode.size(of: c)) / 10)
        let result = Semantics.contains(c, x)
        guard case .error = result else { return result }
        return CallNode.placingArgument(of: withOffset(result, offset), among: [element, container], ctx)
    }
}

/// `!x` (the `!_` function) with the call's result, cost and error place, without its argument
/// buffer and closure.
final class NotNode: Interpretable {
    let operand: any Interpretable
    let offset: Int

    init(operand: any Interpretable, offset: Int) {
        self.operand = operand
        self.offset = offset
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let v = try operand.eval(ctx)
        switch v {
        case .bool(let b): return .bool(!b)
        case .error: return v
        default: return CallNode.placingArgument(of: withOffset(noSuchOverload("!_", [v]), offset), among: [operand], ctx)
        }
    }
}

/// `&&` and `||`. The operand equal to `deciding` (false for `&&`, true for `||`) decides the
/// result whichever side it is on, even when the other side is an error (CEL's commutative error
/// absorption); otherwise errors win, then non-bool operands are an overload error.
final class LogicalNode: Interpretable {
    let lhs: any Interpretable
    let rhs: any Interpretable
    let deciding: Bool
    let offset: Int

    init(lhs: any Interpretable, rhs: any Interpretable, deciding: Bool, offset: Int) {
        self.lhs = lhs
        self.rhs = rhs
        self.deciding = deciding
        self.offset = offset
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let a = try lhs.eval(ctx)
        if case .bool(let value) = a, value == deciding { return a }
        let b = try rhs.eval(ctx)
        if case .bool(let value) = b, value == deciding { return b }
        if case .bool = a, case .bool = b { return a }
        if case .error = a { return a }
        if case .error = b { return b }
        let name = deciding ? "_||_" : "_&&_"
        return .error(CELEvalError("no such overload: \(name)(\(a.celType.name), \(b.celType.name))", offset: offset))
    }
}

final class ConditionalNode: Interpretable {
    let cond: any Interpretable
    let then: any Interpretable
    let otherwise: any Interpretable
    let offset: Int

    init(cond: any Interpretable, then: any Interpretable, otherwise: any Interpretable, offset: Int) {
        self.cond = cond
        self.then = then
        self.otherwise = otherwise
        self.offset = offset
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let c = try cond.eval(ctx)
        switch c {
        case .bool(true): return try then.eval(ctx)
        case .bool(false): return try otherwise.eval(ctx)
        case .error: return c
        default: return .error(CELEvalError("no such overload: _?_:_(\(c.celType.name), ...)", offset: offset))
        }
    }
}

/// `opt.or(alternative)` and `opt.orValue(alternative)`: the alternative is evaluated only when
/// `opt` is `optional.none()`, as cel-go evaluates them (`optional.of(1).orValue(1/0)` is 1).
final class OptionalOrNode: Interpretable {
    let optional: any Interpretable
    let alternative: any Interpretable
    /// `orValue`: the optional's value rather than the optional.
    let unwraps: Bool
    let offset: Int

    init(optional: any Interpretable, alternative: any Interpretable, unwraps: Bool, offset: Int) {
        self.optional = optional
        self.alternative = alternative
        self.unwraps = unwraps
        self.offset = offset
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let name = unwraps ? "orValue" : "or"
        let v = try optional.eval(ctx)
        if case .error = v { return v }
        guard case .optional(let inner) = v else { return withOffset(noSuchOverload(name, [v]), offset) }
        if let inner { return unwraps ? inner : v }
        let other = try alternative.eval(ctx)
        if case .error = other { return other }
        if case .optional = other { return other }
        return unwraps ? other : withOffset(noSuchOverload(name, [v, other]), offset)
    }
}

/// A type name used as a value that may also be a declared variable is resolved at plan
/// time, so this node is only needed for `cel.bind` and comprehensions.
final class ComprehensionNode: Interpretable {
    let kind: ComprehensionKind
    let range: any Interpretable
    let slot1: Int
    let slot2: Int?
    /// Predicate (when the kind filters) then transform (when the kind transforms).
    let args: [any Interpretable]
    /// The first and the last of `args` again, in fields of their own (read once per element: a
    /// child read out of an array is retained and released around its evaluation, one read from
    /// a field of the node is not).
    private let firstArgument: any Interpretable
    private let lastArgument: any Interpretable
    /// Memo slots of shared subexpressions that read this comprehension's variables: cleared
    /// whenever they are bound.
    let resets: [Int]
    let offset: Int

    init(
        kind: ComprehensionKind, range: any Interpretable, slot1: Int, slot2: Int?, args: [any Interpretable],
        resets: [Int], offset: Int
    ) {
        self.kind = kind
        self.range = range
        self.slot1 = slot1
        self.slot2 = slot2
        self.args = args
        firstArgument = args[0]
        lastArgument = args[args.count - 1]
        self.resets = resets
        self.offset = offset
    }

    @inline(__always)
    private func forgetShared(_ ctx: EvalContext) {
        for slot in resets { ctx.forget(memoSlot: slot) }
    }

    private func fail(_ m: String) -> CELValue { .error(CELEvalError(m, offset: offset)) }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let r = try range.eval(ctx)
        if case .error = r { return r }
        switch kind {
        case .bind:
            ctx.locals[slot1] = r
            forgetShared(ctx)
            return try firstArgument.eval(ctx)
        case .block:
            forgetShared(ctx)
            // Errors are stored as values, so an unused failing binding never surfaces.
            for i in 0..<(args.count - 1) { ctx.locals[slot1 + i] = try args[i].eval(ctx) }
            return try args[args.count - 1].eval(ctx)
        case .optMap, .optFlatMap:
            guard case .optional(let inner) = r else { return fail("no such overload: optMap on \(r.celType.name)") }
            guard let inner else { return .optional(nil) }
            ctx.locals[slot1] = inner
            forgetShared(ctx)
            let v = try firstArgument.eval(ctx)
            if case .error = v { return v }
            if kind == .optMap { return .optional(v) }
            guard case .optional = v else { return fail("no such overload: optFlatMap result is not optional") }
            return v
        default:
            break
        }
        // Iteration domain: (first variable, second variable) pairs.
        let count: Int
        let list: CELList?
        let map: CELMap?
        var mapKeys: [CELValue] = []
        // Consumed, so that the collection is moved out of the value rather than copied.
        switch consume r {
        case .list(let l):
            (count, list, map) = (l.count, l, nil)
        case .map(let m):
            // Every kind iterates a map's keys, with its values as the second variable.
            mapKeys = m.keys
            (count, list, map) = (mapKeys.count, nil, m)
        case let other:
            return placing(fail("no such overload: comprehension over \(other.celType.name)"), at: range, ctx)
        }
        @inline(__always) func bind(_ i: Int) {
            forgetShared(ctx)
            if let list {
                if let slot2 {
                    ctx.locals[slot1] = .int(Int64(i))
                    ctx.locals[slot2] = list[i]
                } else {
                    ctx.locals[slot1] = list[i]
                }
            } else if let map {
                let k = mapKeys[i]
                ctx.locals[slot1] = k
                if let slot2 { ctx.locals[slot2] = map.value(forKey: k) ?? .null }
            }
        }
        switch kind {
        case .all, .exists:
            let stopOn = kind == .exists
            var firstError: CELValue?
            for i in 0..<count {
                try ctx.charge(1)
                bind(i)
                let v = try firstArgument.eval(ctx)
                switch v {
                case .bool(let b):
                    if b == stopOn { return v }
                case .error:
                    if firstError == nil { firstError = v }
                default:
                    if firstError == nil { firstError = fail("no such overload: predicate result is \(v.celType.name)") }
                }
            }
            return firstError ?? .bool(!stopOn)
        case .existsOne:
            var n = 0
            for i in 0..<count {
                try ctx.charge(1)
                bind(i)
                let v = try firstArgument.eval(ctx)
                switch v {
                case .bool(let b): if b { n += 1 }
                case .error: return v
                default: return fail("no such overload: predicate result is \(v.celType.name)")
                }
            }
            return .bool(n == 1)
        case .map, .mapFilter, .filter, .transformList, .transformListFilter:
            let filters = kind == .mapFilter || kind == .filter || kind == .transformListFilter
            // At most one element per iteration: one allocation instead of one per doubling.
            var out: [CELValue] = []
            out.reserveCapacity(count)
            for i in 0..<count {
                try ctx.charge(1)
                bind(i)
                if filters {
                    let p = try firstArgument.eval(ctx)
                    switch p {
                    case .bool(false): continue
                    case .bool(true): break
                    case .error: return p
                    default: return fail("no such overload: filter predicate is \(p.celType.name)")
                    }
                }
                if kind == .filter {
                    out.append(ctx.locals[slot1])
                    continue
                }
                let t = try lastArgument.eval(ctx)
                if case .error = t { return t }
                out.append(t)
            }
            return .list(CELList(out))
        case .sortBy:
            guard let list else { return fail("no such overload: sortBy over map") }
            var pairs: [(key: CELValue, value: CELValue)] = []
            for i in 0..<count {
                try ctx.charge(1)
                bind(i)
                let k = try firstArgument.eval(ctx)
                if case .error = k { return k }
                pairs.append((k, list[i]))
            }
            for i in pairs.indices.dropFirst() where ListsExt.order(pairs[i - 1].key, pairs[i].key) == nil {
                return fail("sortBy: keys must be comparable values of one type")
            }
            pairs.sort { (ListsExt.order($0.key, $1.key) ?? 0) < 0 }
            return .list(CELList(pairs.map(\.value)))
        case .transformMap, .transformMapFilter, .transformMapEntry, .transformMapEntryFilter:
            let filters = kind == .transformMapFilter || kind == .transformMapEntryFilter
            let entry = kind == .transformMapEntry || kind == .transformMapEntryFilter
            var keys: [CELValue] = []
            var dict: [CELMapKey: CELValue] = [:]
            for i in 0..<count {
                try ctx.charge(1)
                bind(i)
                if filters {
                    let p = try firstArgument.eval(ctx)
                    switch p {
                    case .bool(false): continue
                    case .bool(true): break
                    case .error: return p
                    default: return fail("no such overload: filter predicate is \(p.celType.name)")
                    }
                }
                let t = try lastArgument.eval(ctx)
                if case .error = t { return t }
                if entry {
                    guard case .map(let m) = t else { return fail("transformMapEntry result must be a map") }
                    for k in m.keys {
                        guard let mk = CELMapKey(k) else { return fail("unsupported key type") }
                        if dict.updateValue(m.value(forKey: k) ?? .null, forKey: mk) != nil {
                            return fail("insert failed: key \(CELFormatter.debug(k)) already exists")
                        }
                        keys.append(k)
                    }
                } else {
                    let k = ctx.locals[slot1]
                    guard let mk = CELMapKey(k) else { return fail("unsupported key type") }
                    if dict.updateValue(t, forKey: mk) == nil { keys.append(k) }
                }
            }
            return .map(CELMap(uncheckedKeys: keys, values: dict))
        case .bind, .block, .optMap, .optFlatMap:
            return fail("unreachable")
        }
    }
}

/// `_==_` and `_!=_`, compared in the node rather than by a call.
final class EqualsNode: Interpretable {
    let lhs: any Interpretable
    let rhs: any Interpretable
    let negate: Bool

    init(lhs: any Interpretable, rhs: any Interpretable, negate: Bool) {
        self.lhs = lhs
        self.rhs = rhs
        self.negate = negate
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let a = try lhs.eval(ctx)
        if case .error = a { return a }
        let b = try rhs.eval(ctx)
        if case .error = b { return b }
        return .bool(Semantics.eq(a, b) != negate)
    }
}

/// `_==_` and `_!=_` with a constant on one side (`object.kind == 'Service'`): the constant is
/// compared where it is kept, rather than copied out of a node at every evaluation, with the
/// result and cost of `EqualsNode`.
final class EqualsConstantNode: Interpretable {
    let operand: any Interpretable
    let constant: CELValue
    let constantIsLeft: Bool
    let negate: Bool

    init(operand: any Interpretable, constant: CELValue, constantIsLeft: Bool, negate: Bool) {
        self.operand = operand
        self.constant = constant
        self.constantIsLeft = constantIsLeft
        self.negate = negate
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(1)
        let v = try operand.eval(ctx)
        if case .error = v { return v }
        let equal = constantIsLeft ? Semantics.eq(constant, v) : Semantics.eq(v, constant)
        return .bool(equal != negate)
    }
}

/// `type(x) == T` and `type(x) != T` for a constant type `T`: the same result and cost as the
/// call and the comparison it replaces (an error of `x` is the result).
final class TypeTestNode: Interpretable {
    let operand: any Interpretable
    let type: CELType
    let negate: Bool

    init(operand: any Interpretable, type: CELType, negate: Bool) {
        self.operand = operand
        self.type = type
        self.negate = negate
    }

    func eval(_ ctx: EvalContext) throws(EvalAbort) -> CELValue {
        try ctx.charge(2)
        let v = try operand.eval(ctx)
        if case .error = v { return v }
        return .bool((v.celType == type) != negate)
    }
}
