/// Finds the subexpressions of one expression that are worth evaluating once and reusing:
/// those written more than once within the reach of the same comprehension variables
/// (`string(e.value)` three times in one predicate), and those inside a comprehension that
/// binds none of their variables (`string(e.value)` inside `suffixes.exists(s, ...)`, evaluated
/// once per `e` instead of once per `s`).
///
/// CEL functions are free of side effects, so a subexpression's value depends only on the
/// variables it reads. A shared subexpression keeps its value in a memo slot, valid until a
/// comprehension whose variable it reads binds that variable again. Each occurrence is still
/// evaluated lazily, where it stands, so short-circuiting and errors are unchanged; error values
/// are not kept, so each occurrence reports its own position.
struct SharedSubexpressions {
    /// The memo slot of each shared subexpression, by expression id.
    private(set) var slots: [Int: Int] = [:]
    /// The memo slots each comprehension (by expression id) clears when it binds its variables.
    private(set) var resets: [Int: [Int]] = [:]
    var slotCount: Int { slots.count }

    /// Nothing shared.
    init() {}

    /// `globalPrefix` tells which declared variable the planner reads for a dotted name and how
    /// many of its leading names that takes (nil when none is declared), as ``Planner`` resolves them.
    /// `nodeCount` (about the number of nodes) sizes the tables.
    init(_ root: Expr, nodeCount: Int, globalPrefix: @escaping ([String]) -> (name: String, consumed: Int)?) {
        var finder = Finder(globalPrefix: globalPrefix, nodeCount: nodeCount)
        _ = finder.visit(root)
        var slotOfKey: [Int: Int] = [:]
        for key in finder.occurrenceCounts.indices where finder.occurrenceCounts[key] > 1 || finder.insideLoop[key] {
            slotOfKey[key] = slotOfKey.count
        }
        for (key, expression) in finder.occurrences { if let slot = slotOfKey[key] { slots[expression] = slot } }
        for binder in Set(finder.binders) {
            if let slot = slotOfKey[binder.key] { resets[binder.comprehension, default: []].append(slot) }
        }
        for comprehension in resets.keys { resets[comprehension]?.sort() }
    }
}

/// A comprehension binding the innermost variable a subexpression (by key) reads.
private struct Binder: Hashable {
    let key: Int
    let comprehension: Int
}

/// What makes two subexpressions the same: their kind, names and flags, and their children's
/// keys. Comprehension variables are named by the depth of their comprehension, so equal text
/// at the same depth agrees.
private struct Key: Hashable {
    enum Kind: UInt8 {
        case literal, local, global, select, index, call, list, map, comprehension
    }

    let kind: Kind
    /// A name, field or literal, by its position among the texts seen.
    let text: Int
    let flags: Int
    /// The first three children's keys (-1: none), then any others: most nodes have three or
    /// fewer, which then need no array.
    let first: Int, second: Int, third: Int
    let others: [Int]
}

/// What visiting a node gives: its key (nil: never shared, nor anything holding it) and the
/// depths of the comprehensions whose variables it reads, as bits (bit d for depth d, outermost 1).
private struct Visit {
    let key: Int?
    let depths: UInt64
}

private struct Finder {
    let globalPrefix: ([String]) -> (name: String, consumed: Int)?
    /// Comprehensions enclosing the node being visited, outermost first.
    var scopes: [(names: [String], comprehension: Int, loops: Bool)] = []
    var keys: [Key: Int] = [:]
    var texts: [String: Int] = [:]
    /// By key: how often it occurs, and whether inside a comprehension that binds none of its
    /// variables.
    var occurrenceCounts: [Int] = []
    var insideLoop: [Bool] = []
    /// Each occurrence: its key and expression id.
    var occurrences: [(key: Int, expression: Int)] = []
    var binders: [Binder] = []

    /// Deeper nesting is never shared (its depths do not fit the bits).
    static let maxDepth = 62

    init(globalPrefix: @escaping ([String]) -> (name: String, consumed: Int)?, nodeCount: Int) {
        self.globalPrefix = globalPrefix
        keys.reserveCapacity(nodeCount)
        texts.reserveCapacity(nodeCount)
        occurrenceCounts.reserveCapacity(nodeCount)
        insideLoop.reserveCapacity(nodeCount)
        occurrences.reserveCapacity(nodeCount)
    }

    /// The key of a node; nil when a child has none.
    mutating func intern(_ kind: Key.Kind, _ text: String, _ flags: Int, _ children: [Visit]) -> Int? {
        let textID: Int
        if let known = texts[text] {
            textID = known
        } else {
            textID = texts.count
            texts[text] = textID
        }
        var first = -1, second = -1, third = -1
        var others: [Int] = []
        for (position, visit) in children.enumerated() {
            guard let key = visit.key else { return nil }
            switch position {
            case 0: first = key
            case 1: second = key
            case 2: third = key
            default: others.append(key)
            }
        }
        let key = Key(kind: kind, text: textID, flags: flags, first: first, second: second, third: third, others: others)
        if let id = keys[key] { return id }
        let id = occurrenceCounts.count
        keys[key] = id
        occurrenceCounts.append(0)
        insideLoop.append(false)
        return id
    }

    /// Records an occurrence of a node that may be shared; its children are `visits`.
    mutating func occurrence(_ e: Expr, _ kind: Key.Kind, _ text: String, _ flags: Int, _ visits: [Visit], depths: UInt64? = nil) -> Visit {
        let depths = depths ?? visits.reduce(0) { $0 | $1.depths }
        guard scopes.count < Self.maxDepth, let key = intern(kind, text, flags, visits) else { return Visit(key: nil, depths: depths) }
        let depth = depths == 0 ? 0 : 63 - depths.leadingZeroBitCount
        occurrenceCounts[key] += 1
        occurrences.append((key, e.id))
        if scopes[depth...].contains(where: { $0.loops }) { insideLoop[key] = true }
        if depth > 0 { binders.append(Binder(key: key, comprehension: scopes[depth - 1].comprehension)) }
        return Visit(key: key, depths: depths)
    }

    /// A leaf that is never shared by itself (a literal, a variable).
    mutating func leaf(_ kind: Key.Kind, _ text: String, flags: Int = 0, depths: UInt64 = 0) -> Visit {
        Visit(key: intern(kind, text, flags, []), depths: depths)
    }

    func local(_ name: String) -> Int? {
        guard !name.hasPrefix(".") else { return nil }
        return scopes.lastIndex { $0.names.contains(name) }.map { $0 + 1 }
    }

    mutating func visit(_ e: Expr) -> Visit {
        switch e.kind {
        case .literal(let value):
            return leaf(.literal, Self.literalText(value), flags: Self.literalTag(value))
        case .ident(let name):
            guard let depth = local(name) else { return leaf(.global, name) }
            guard depth <= Self.maxDepth else { return Visit(key: nil, depths: 0) }
            return leaf(.local, name, flags: depth, depths: 1 << UInt64(depth))
        case .select(let operand, let field, let testOnly, let optional):
            if !testOnly, !optional, let parts = e.dottedName, local(parts[0]) == nil, let (name, consumed) = globalPrefix(parts) {
                // A declared variable (read whole: as cheap as a memo), then the selections on it,
                // as the planner makes them; `chain[k - 1]` selects `parts[k]`.
                var visit = leaf(.global, name)
                let chain = e.selections
                for k in consumed..<parts.count { visit = occurrence(chain[k - 1], .select, parts[k], 0, [visit]) }
                return visit
            }
            return occurrence(e, .select, field, (testOnly ? 1 : 0) | (optional ? 2 : 0), [visit(operand)])
        case .index(let operand, let index, let optional):
            return occurrence(e, .index, "", optional ? 1 : 0, [visit(operand), visit(index)])
        case .call(let function, let target, let args):
            let visits = (target.map { [visit($0)] } ?? []) + args.map { visit($0) }
            return occurrence(e, .call, function, target == nil ? 0 : 1, visits)
        case .list(let elements, let optionalIndices):
            let optional = optionalIndices.isEmpty ? "" : optionalIndices.sorted().map(String.init).joined(separator: ",")
            return occurrence(e, .list, optional, 0, elements.map { visit($0) })
        case .map(let entries):
            let optional = entries.contains(where: { $0.optional }) ? entries.map { $0.optional ? "?" : "-" }.joined() : ""
            return occurrence(e, .map, optional, 0, entries.flatMap { [visit($0.key), visit($0.value)] })
        case .structLiteral:
            return Visit(key: nil, depths: 0)
        case .comprehension(let c):
            return visit(e, c)
        }
    }

    mutating func visit(_ e: Expr, _ c: Comprehension) -> Visit {
        let outer = scopes.count
        var visits: [Visit] = []
        if c.kind == .block, case .list(let elements, _) = c.range.kind {
            // Element i sees the slots before it; the body sees them all.
            scopes.append(([], e.id, false))
            for (i, element) in elements.enumerated() {
                visits.append(visit(element))
                scopes[outer].names.append("@index\(i)")
            }
        } else {
            visits.append(visit(c.range))
            let loops = ![.bind, .optMap, .optFlatMap].contains(c.kind)
            scopes.append(([c.iterVar] + (c.iterVar2.map { [$0] } ?? []), e.id, loops))
        }
        visits += c.args.map { visit($0) }
        scopes.removeLast()
        // Its own variables are not a dependency of the whole.
        let all = visits.reduce(0) { $0 | $1.depths }
        let depths = outer < Self.maxDepth ? all & ((1 << UInt64(outer + 1)) - 1) : 0
        let names = c.iterVar + "," + (c.iterVar2 ?? "")
        return occurrence(e, .comprehension, c.kind.rawValue + " " + names, 0, visits, depths: depths)
    }

    /// Literals of different types never agree (`1`, `1u`, `1.0`, `'1'`).
    static func literalTag(_ value: CELValue) -> Int {
        switch value {
        case .null: return 0
        case .bool: return 1
        case .int: return 2
        case .uint: return 3
        case .double: return 4
        case .string: return 5
        case .bytes: return 6
        default: return 7
        }
    }

    static func literalText(_ value: CELValue) -> String {
        switch value {
        case .string(let text): return text
        case .bytes(let bytes): return bytes.map(String.init).joined(separator: ",")
        case .double(let d): return String(d.bitPattern)
        default: return value.description
        }
    }
}
