/// A parsed CEL expression node. Offsets live in ``CELAST/offsets``, keyed by `id`.
struct Expr: Sendable {
    let id: Int
    let kind: ExprKind

    /// The names of an identifier or of a chain of plain selections on one (`a.b.c` gives
    /// `["a", "b", "c"]`); nil for anything else.
    var dottedName: [String]? {
        switch kind {
        case .ident(let name): return [name]
        case .select(let operand, let field, false, false): return operand.dottedName.map { $0 + [field] }
        default: return nil
        }
    }

    /// The first node found more than `limit` levels below the root (the root is level 1), or nil;
    /// the tree is walked without recursion, whatever its height. A comprehension counts as
    /// `comprehensionLevels` levels: evaluating one takes several times the stack of another node.
    func firstNode(deeperThan limit: Int) -> Expr? {
        var pending: [(expr: Expr, level: Int)] = [(self, 1)]
        while let (expr, level) = pending.popLast() {
            if level > limit { return expr }
            let below = level + (expr.isComprehension ? Self.comprehensionLevels : 1)
            pending += expr.children.map { ($0, below) }
        }
        return nil
    }

    static let comprehensionLevels = 5

    private var isComprehension: Bool {
        if case .comprehension = kind { return true }
        return false
    }

    /// The nodes right below this one.
    var children: [Expr] {
        switch kind {
        case .literal, .ident: return []
        case .select(let operand, _, _, _): return [operand]
        case .index(let operand, let index, _): return [operand, index]
        case .call(_, let target, let args): return (target.map { [$0] } ?? []) + args
        case .list(let elements, _): return elements
        case .map(let entries): return entries.flatMap { [$0.key, $0.value] }
        case .structLiteral(_, let fields): return fields.map(\.value)
        case .comprehension(let comprehension): return [comprehension.range] + comprehension.args
        }
    }

    /// The selections of a chain, this one last: `a.b.c` gives `a.b`, then `a.b.c`.
    var selections: [Expr] {
        guard case .select(let operand, _, _, _) = kind else { return [] }
        return operand.selections + [self]
    }
}

/// Kinds of comprehension produced by macro expansion.
enum ComprehensionKind: String, Sendable {
    case all, exists, existsOne
    case map, mapFilter, filter
    /// `list.sortBy(v, key)` (cel-go lists extension).
    case sortBy
    case transformList, transformListFilter
    case transformMap, transformMapFilter
    case transformMapEntry, transformMapEntryFilter
    /// `cel.bind(v, init, body)`: `iterVar` bound to `range`, `args[0]` is the body.
    case bind
    /// `cel.block([e0, e1, ...], body)`: `range` is the list literal, `cel.index(i)` reads slot i.
    case block
    /// `opt.optMap(v, expr)` and `opt.optFlatMap(v, expr)`.
    case optMap, optFlatMap
}

struct Comprehension: Sendable {
    let kind: ComprehensionKind
    /// The first (or only) iteration variable.
    let iterVar: String
    /// The second variable of two-variable comprehensions (index/key first, value second).
    let iterVar2: String?
    let range: Expr
    /// Predicate and/or transform, in source order.
    let args: [Expr]
}

struct MapEntry: Sendable {
    let id: Int
    let key: Expr
    let value: Expr
    let optional: Bool
}

struct FieldInit: Sendable {
    let id: Int
    let field: String
    let value: Expr
    let optional: Bool
}

indirect enum ExprKind: Sendable {
    case literal(CELValue)
    /// An identifier; a leading `.` (absolute name) is kept in the name.
    case ident(String)
    case select(operand: Expr, field: String, testOnly: Bool, optional: Bool)
    case index(operand: Expr, index: Expr, optional: Bool)
    case call(function: String, target: Expr?, args: [Expr])
    case list(elements: [Expr], optionalIndices: Set<Int>)
    case map(entries: [MapEntry])
    case structLiteral(typeName: String, fields: [FieldInit])
    case comprehension(Comprehension)
}

/// The result of parsing: the root node and the offset side table.
struct CELAST: Sendable {
    let root: Expr
    let offsets: [Int: Int]
    let source: CELSource
}
