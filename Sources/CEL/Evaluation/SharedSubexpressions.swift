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

    /// `globalPrefix` tells how many leading names of a dotted name the planner reads as one
    /// declared variable (nil when none is declared), as ``Planner`` resolves them.
    init(_ root: Expr, globalPrefix: @escaping ([String]) -> Int?) {
        var finder = Finder(globalPrefix: globalPrefix)
        _ = finder.visit(root)
        for (_, group) in finder.groups.sorted(by: { $0.key < $1.key }) where group.occurrences.count > 1 || group.insideLoop {
            let slot = slots.count
            for id in group.occurrences { slots[id] = slot }
            for comprehension in Set(group.binders) { resets[comprehension, default: []].append(slot) }
        }
    }

    /// Occurrences of one subexpression.
    fileprivate struct Group {
        var occurrences: [Int] = []
        /// Whether an occurrence lies inside a comprehension that binds none of its variables.
        var insideLoop = false
        /// The comprehensions binding the innermost variable it reads (none: it reads none).
        var binders: [Int] = []
    }

    fileprivate struct Finder {
        let globalPrefix: ([String]) -> Int?
        /// Comprehensions enclosing the node being visited, outermost first.
        var scopes: [(names: [String], comprehension: Int, loops: Bool)] = []
        var keys: [String: Int] = [:]
        var groups: [Int: Group] = [:]

        /// A node's structural key (locals named by the depth of their comprehension, so equal
        /// text at the same depth agrees) and the depths of the comprehensions whose variables
        /// it reads, as bits (bit d for depth d, outermost 1); nil key: never shared.
        struct Visit {
            let key: Int?
            let depths: UInt64
        }

        /// Deeper nesting is never shared (its depths do not fit the bits).
        static let maxDepth = 62

        init(globalPrefix: @escaping ([String]) -> Int?) {
            self.globalPrefix = globalPrefix
        }

        mutating func intern(_ text: String) -> Int {
            if let id = keys[text] { return id }
            let id = keys.count
            keys[text] = id
            return id
        }

        /// Records an occurrence of a shareable node and returns its visit.
        mutating func occurrence(_ e: Expr, _ text: String?, _ depths: UInt64) -> Visit {
            guard let text, scopes.count < Self.maxDepth else { return Visit(key: nil, depths: depths) }
            let key = intern(text)
            let depth = depths == 0 ? 0 : 63 - depths.leadingZeroBitCount
            var group = groups[key, default: Group()]
            group.occurrences.append(e.id)
            if scopes[depth...].contains(where: \.loops) { group.insideLoop = true }
            if depth > 0 { group.binders.append(scopes[depth - 1].comprehension) }
            groups[key] = group
            return Visit(key: key, depths: depths)
        }

        /// Keys of children joined; nil when any child cannot be keyed.
        func joined(_ visits: [Visit]) -> String? {
            var parts: [String] = []
            for visit in visits {
                guard let key = visit.key else { return nil }
                parts.append(String(key))
            }
            return parts.joined(separator: ",")
        }

        func local(_ name: String) -> Int? {
            guard !name.hasPrefix(".") else { return nil }
            return scopes.lastIndex { $0.names.contains(name) }.map { $0 + 1 }
        }

        /// The names of a chain of plain selections on an identifier that is not a local.
        func dottedName(_ e: Expr) -> [String]? {
            switch e.kind {
            case .ident(let name): return local(name) == nil ? [name] : nil
            case .select(let operand, let field, false, false): return dottedName(operand).map { $0 + [field] }
            default: return nil
            }
        }

        mutating func visit(_ e: Expr) -> Visit {
            switch e.kind {
            case .literal(let value):
                return Visit(key: intern("literal \(value.celType.name) \(CELFormatter.debug(value))"), depths: 0)
            case .ident(let name):
                if let depth = local(name) {
                    guard depth <= Self.maxDepth else { return Visit(key: nil, depths: 0) }
                    return Visit(key: intern("local \(depth) \(name)"), depths: 1 << UInt64(depth))
                }
                return Visit(key: intern("global \(name)"), depths: 0)
            case .select(let operand, let field, let testOnly, let optional):
                if !testOnly, !optional, let parts = dottedName(e), let consumed = globalPrefix(parts), consumed == parts.count {
                    // One declared variable, read whole: as cheap as a memo.
                    return Visit(key: intern("global \(parts.joined(separator: "."))"), depths: 0)
                }
                let o = visit(operand)
                return occurrence(e, o.key.map { "select \($0) \(field) \(testOnly) \(optional)" }, o.depths)
            case .index(let operand, let index, let optional):
                let visits = [visit(operand), visit(index)]
                return occurrence(e, joined(visits).map { "index \(optional) \($0)" }, visits.depths)
            case .call(let function, let target, let args):
                let visits = (target.map { [visit($0)] } ?? []) + args.map { visit($0) }
                return occurrence(e, joined(visits).map { "call \(function) \(target != nil) \($0)" }, visits.depths)
            case .list(let elements, let optionalIndices):
                let visits = elements.map { visit($0) }
                return occurrence(e, joined(visits).map { "list \(optionalIndices.sorted()) \($0)" }, visits.depths)
            case .map(let entries):
                let visits = entries.flatMap { [visit($0.key), visit($0.value)] }
                let flags = entries.map { $0.optional ? "?" : "" }.joined()
                return occurrence(e, joined(visits).map { "map \(flags) \($0)" }, visits.depths)
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
            let depths = outer < Self.maxDepth ? visits.depths & ((1 << UInt64(outer + 1)) - 1) : 0
            return occurrence(e, joined(visits).map { "comprehension \(c.kind) \(c.iterVar) \(c.iterVar2 ?? "") \($0)" }, depths)
        }
    }
}

extension Array where Element == SharedSubexpressions.Finder.Visit {
    fileprivate var depths: UInt64 { reduce(0) { $0 | $1.depths } }
}
