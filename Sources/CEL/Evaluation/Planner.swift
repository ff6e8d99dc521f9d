/// Turns a parsed AST into an ``Interpretable`` tree: resolves identifiers to comprehension
/// slots or declared variables, binds function overloads, and rejects unknown names.
struct Planner {
    let env: CELEnvironment
    let ast: CELAST
    private var scopes: [(name: String, slot: Int)] = []
    private var nextSlot = 0
    private(set) var maxSlots = 0
    /// Declared variables the expression reads.
    private(set) var referenced: Set<String> = []
    /// The fields selected on declared variables (`bundle.issues.size()` gives `bundle: [issues]`).
    private(set) var selectedFields: [String: Set<String>] = [:]
    /// Declared variables read otherwise than by selecting a field (whole, by an index, in `has()`).
    private(set) var readWhole: Set<String> = []
    /// Functions the expression calls, by name (`resources`, `string.startsWith` as `startsWith`).
    private(set) var called: Set<String> = []
    /// The string literals given as arguments, by the function called so and position
    /// (`resources('Service', ns)` gives `resources: [0: [Service]]`).
    private(set) var textArguments: [String: [Int: Set<String>]] = [:]

    static let typeNames: [String: CELType] = [
        "int": .int, "uint": .uint, "double": .double, "bool": .bool, "string": .string, "bytes": .bytes,
        "list": .list, "map": .map, "null_type": .null, "type": .type, "optional_type": .optional,
        "google.protobuf.Duration": .duration, "google.protobuf.Timestamp": .timestamp,
        "net.IP": CELType("net.IP"), "net.CIDR": CELType("net.CIDR"), "kubernetes.URL": CELType("kubernetes.URL"),
        "kubernetes.Quantity": CELType("kubernetes.Quantity"), "kubernetes.Semver": CELType("kubernetes.Semver"),
    ]

    /// Subexpressions evaluated once and reused.
    let sharing: SharedSubexpressions

    init(env: CELEnvironment, ast: CELAST) {
        self.env = env
        self.ast = ast
        sharing = env.sharesSubexpressions
            ? SharedSubexpressions(ast.root, nodeCount: ast.offsets.count) { parts in Planner.resolveGlobal(parts, in: env).map { ($0.name, $0.consumed) } }
            : SharedSubexpressions()
    }

    private func offset(_ e: Expr) -> Int { ast.offsets[e.id] ?? 0 }

    /// The errors found, in the order planning met them (see ``reject(_:_:operands:)``).
    private(set) var errors: [CELCompileError] = []

    /// Records an error at `e` and gives a node in its place, so that planning goes on to find the
    /// expression's other errors; throws once it has ``CELCompileError/maxErrors``.
    private mutating func reject(_ e: Expr, _ message: String, operands: [Expr] = []) throws(CELCompileError) -> any Interpretable {
        // A refused call's operands are planned still, for their own errors.
        for operand in operands { _ = try plan(operand) }
        let error = CELCompileError(source: ast.source, offset: offset(e), message: message)
        errors.append(error)
        if errors.count == CELCompileError.maxErrors { throw error }
        return ConstNode(value: .error(CELEvalError(message, offset: error.offset)))
    }

    private func local(_ name: String) -> Int? {
        for s in scopes.reversed() where s.name == name { return s.slot }
        return nil
    }

    private mutating func push(_ name: String) -> Int {
        let slot = nextSlot
        nextSlot += 1
        maxSlots = max(maxSlots, nextSlot)
        scopes.append((name, slot))
        return slot
    }

    private mutating func pop(_ n: Int) {
        scopes.removeLast(n)
        nextSlot -= n
    }

    /// Candidate global names for `name` within the container, most specific first.
    private static func candidates(_ name: String, in env: CELEnvironment) -> [String] {
        if name.hasPrefix(".") { return [String(name.dropFirst())] }
        if env.container.isEmpty { return [name] }
        var out: [String] = []
        var parts = env.container.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            out.append(parts.joined(separator: ".") + "." + name)
            parts.removeLast()
        }
        out.append(name)
        return out
    }

    /// The root identifier of a qualified chain, when it is a comprehension variable.
    private func isLocalRooted(_ parts: [String]) -> Bool {
        guard let first = parts.first, !first.hasPrefix(".") else { return false }
        return local(first) != nil
    }

    /// Resolves a qualified name (longest declared prefix wins) into a node plus the selects
    /// still to apply; nil when nothing is declared.
    private static func resolveGlobal(_ parts: [String], in env: CELEnvironment) -> (name: String, position: Int, consumed: Int)? {
        var prefixes: [String] = []
        prefixes.reserveCapacity(parts.count)
        for part in parts { prefixes.append(prefixes.last.map { $0 + "." + part } ?? part) }
        for n in stride(from: parts.count, through: 1, by: -1) {
            for c in candidates(prefixes[n - 1], in: env) {
                if let position = env.position(ofDeclared: c) { return (c, position, n) }
            }
        }
        return nil
    }

    mutating func plan(_ e: Expr) throws(CELCompileError) -> any Interpretable {
        shared(try planNode(e), for: e)
    }

    /// The node itself, or a memo of it when the expression is shared (a constant needs none).
    private func shared(_ node: any Interpretable, for e: Expr) -> any Interpretable {
        guard let slot = sharing.slots[e.id], !(node is ConstNode) else { return node }
        return SharedNode(inner: node, slot: slot)
    }

    /// A declared variable: its value when the environment knows it (``CELEnvironment/constants``).
    /// `field` is the field the expression selects on it, nil when it reads it otherwise.
    private mutating func global(_ name: String, field: String?, position: Int, offset: Int) -> any Interpretable {
        referenced.insert(name)
        if let field { selectedFields[name, default: []].insert(field) } else { readWhole.insert(name) }
        if let value = env.constants[name] { return ConstNode(value: value) }
        return GlobalNode(name: name, position: position, offset: offset)
    }

    /// `operand.field`, looked up now when the operand is a constant map that has the field (a
    /// missing field stays an error of the evaluation, at its position).
    private static func select(_ operand: any Interpretable, field: String, testOnly: Bool, optional: Bool, offset: Int) -> any Interpretable {
        if let constant = operand as? ConstNode, case .map(let map) = constant.value, !optional {
            if testOnly { return ConstNode(value: .bool(map.containsKey(.string(field)))) }
            if let value = map.value(forKey: .string(field)) { return ConstNode(value: value) }
        }
        return SelectNode(operand: operand, field: field, testOnly: testOnly, optional: optional, offset: offset)
    }

    private mutating func planNode(_ e: Expr) throws(CELCompileError) -> any Interpretable {
        let off = offset(e)
        switch e.kind {
        case .literal(let v):
            return ConstNode(value: v)

        case .ident(let name):
            if !name.hasPrefix("."), let slot = local(name) { return LocalNode(slot: slot) }
            if let (g, position, _) = Planner.resolveGlobal([name], in: env) { return global(g, field: nil, position: position, offset: off) }
            let bare = name.hasPrefix(".") ? String(name.dropFirst()) : name
            if let t = Planner.typeNames[bare] { return ConstNode(value: .type(t)) }
            if env.allowUnresolvedReferences {
                return ConstNode(value: .error(CELEvalError("undeclared reference to '\(bare)'", offset: off)))
            }
            return try reject(e, "undeclared reference to '\(bare)'")

        case .select(let operand, let field, let testOnly, let optional):
            if !testOnly, !optional, let parts = e.dottedName, !isLocalRooted(parts) {
                if let (g, position, consumed) = Planner.resolveGlobal(parts, in: env) {
                    var node = global(g, field: consumed < parts.count ? parts[consumed] : nil, position: position, offset: off)
                    // parts[k] is selected by the (k-1)th selection of the chain.
                    let chain = e.selections
                    for k in consumed..<parts.count {
                        node = Planner.select(node, field: parts[k], testOnly: false, optional: false, offset: off)
                        // The whole chain is memoized by plan(e).
                        if k < parts.count - 1 { node = shared(node, for: chain[k - 1]) }
                    }
                    return node
                }
                let full = parts.joined(separator: ".")
                let bare = full.hasPrefix(".") ? String(full.dropFirst()) : full
                if let t = Planner.typeNames[bare] { return ConstNode(value: .type(t)) }
            }
            let o = try plan(operand)
            return Planner.select(o, field: field, testOnly: testOnly, optional: optional, offset: off)

        case .index(let operand, let index, let optional):
            return IndexNode(operand: try plan(operand), index: try plan(index), optional: optional, offset: off)

        case .list(let elements, let optionalIndices):
            var nodes: [any Interpretable] = []
            for el in elements { nodes.append(try plan(el)) }
            return ListNode(elements: nodes, optionalIndices: optionalIndices)

        case .map(let entries):
            var ks: [any Interpretable] = []
            var vs: [any Interpretable] = []
            for en in entries {
                ks.append(try plan(en.key))
                vs.append(try plan(en.value))
            }
            return MapNode(
                keys: ks, values: vs, optional: entries.map(\.optional),
                offsets: entries.map { ast.offsets[$0.id] ?? off })

        case .structLiteral(let typeName, let fields):
            return try reject(e, "message construction is not supported: '\(typeName)'", operands: fields.map(\.value))

        case .comprehension(let c) where c.kind == .block:
            guard case .list(let elements, _) = c.range.kind else { return try reject(e, "cel.block() needs a list literal") }
            var nodes: [any Interpretable] = []
            var first = nextSlot
            for (i, el) in elements.enumerated() {
                nodes.append(try plan(el))
                let slot = push("@index\(i)")
                if i == 0 { first = slot }
            }
            nodes.append(try plan(c.args[0]))
            pop(elements.count)
            return ComprehensionNode(
                kind: .block, range: ConstNode(value: .null), slot1: first, slot2: nil, args: nodes,
                resets: sharing.resets[e.id] ?? [], offset: off)

        case .comprehension(let c):
            let range = try plan(c.range)
            let slot1 = push(c.iterVar)
            var slot2: Int?
            if let v2 = c.iterVar2 { slot2 = push(v2) }
            var args: [any Interpretable] = []
            for a in c.args { args.append(try plan(a)) }
            pop(c.iterVar2 == nil ? 1 : 2)
            return ComprehensionNode(
                kind: c.kind, range: range, slot1: slot1, slot2: slot2, args: args, resets: sharing.resets[e.id] ?? [], offset: off)

        case .call(let function, let target, let args):
            return try planCall(e, function, target, args)
        }
    }

    private mutating func planCall(_ e: Expr, _ function: String, _ target: Expr?, _ args: [Expr]) throws(CELCompileError) -> any Interpretable {
        let off = offset(e)
        if target == nil {
            switch (function, args.count) {
            case ("_&&_", 2): return LogicalNode(lhs: try plan(args[0]), rhs: try plan(args[1]), deciding: false, offset: off)
            case ("_||_", 2): return LogicalNode(lhs: try plan(args[0]), rhs: try plan(args[1]), deciding: true, offset: off)
            case ("_?_:_", 3):
                return ConditionalNode(
                    cond: try plan(args[0]), then: try plan(args[1]), otherwise: try plan(args[2]), offset: off)
            case ("_==_", 2): return equality(try plan(args[0]), try plan(args[1]), negate: false)
            case ("_!=_", 2): return equality(try plan(args[0]), try plan(args[1]), negate: true)
            case ("@in", 2) where !env.hostOverrides.contains(function):
                noteCall(function, args)
                return InNode(element: try plan(args[0]), container: try plan(args[1]), offset: off)
            case ("!_", 1) where !env.hostOverrides.contains(function):
                noteCall(function, args)
                return NotNode(operand: try plan(args[0]), offset: off)
            default: break
            }
        }
        let table = env.functions
        if let target {
            // A namespaced global function such as `math.greatest(...)` or `optional.of(x)`.
            if let parts = target.dottedName, !isLocalRooted(parts), Planner.resolveGlobal(parts, in: env) == nil {
                var ns = parts.joined(separator: ".")
                if ns.hasPrefix(".") { ns.removeFirst() }
                if let entry = table.lookup(table.global, ns + "." + function, args.count) {
                    return try makeCall(ns + "." + function, entry, args, off)
                }
                if let unknown = unknownFunction(function, inNamespace: ns) { return try reject(e, unknown, operands: args) }
            }
            if ["or", "orValue"].contains(function), args.count == 1, !env.hostOverrides.contains(function) {
                called.insert(function)
                return OptionalOrNode(optional: try plan(target), alternative: try plan(args[0]), unwraps: function == "orValue", offset: off)
            }
            if let entry = table.lookup(table.receiver, function, args.count + 1) {
                return try makeCall(function, entry, [target] + args, off)
            }
            if env.allowUnresolvedReferences {
                return try unresolvedCall(function, [target] + args, off)
            }
            // The receiver's errors are reported too, and first: left of the call, and of the calls
            // on it (`authorizer` undeclared in `authorizer.check('get').allowed()`, then `check`).
            if table.receiver[function] != nil {
                return try reject(e, "found no matching overload for '\(function)' applied to a receiver and \(args.count) argument(s)", operands: [target] + args)
            }
            return try reject(e, unknownFunction(function, method: true), operands: [target] + args)
        }
        var name = function
        if name.hasPrefix(".") { name.removeFirst() }
        if let entry = table.lookup(table.global, name, args.count) {
            return try makeCall(name, entry, args, off)
        }
        if env.allowUnresolvedReferences {
            return try unresolvedCall(name, args, off)
        }
        if table.global[name] != nil {
            return try reject(e, "found no matching overload for '\(name)' applied to \(args.count) argument(s)", operands: args)
        }
        return try reject(e, unknownFunction(name, method: false), operands: args)
    }

    /// Why a call of a function no library has is refused, with the functions (and macros) it
    /// may have meant: `startWith` for `startsWith`, `exist` for `exists`. Never inlined, as
    /// ``unknownFunction(_:inNamespace:)``.
    @inline(never)
    private func unknownFunction(_ name: String, method: Bool) -> String {
        let table = env.functions
        let functions = (method ? table.receiver : table.global).keys.filter { $0.first?.isLetter == true && !$0.contains(".") }
        let macros = method ? ["all", "exists", "exists_one", "existsOne", "map", "filter"] : ["has"]
        return "undeclared reference to '\(name)' (unknown function)" + NameSuggestion.hint(for: name, among: Set(functions + macros))
    }

    /// Why `namespace.function(...)` (`resource.Post`) is refused when the namespace has other
    /// functions (Kyverno's `resource.List` and `resource.Get`): naming them, rather than saying
    /// `resource` is undeclared. Nil when the namespace has none, or `function` is a method. Never
    /// inlined: planning recurses, and its frames stay as small as without it.
    @inline(never)
    private func unknownFunction(_ function: String, inNamespace namespace: String) -> String? {
        let table = env.functions
        let others = table.global.keys.filter { $0.hasPrefix(namespace + ".") && !$0.dropFirst(namespace.count + 1).contains(".") }.sorted()
        guard !others.isEmpty, table.receiver[function] == nil else { return nil }
        return "undeclared reference to '\(namespace).\(function)' (unknown function; \(namespace) has \(others.joined(separator: ", ")))"
    }

    /// A call that fails at run time (after evaluating its arguments, so errors propagate).
    private mutating func unresolvedCall(_ name: String, _ args: [Expr], _ off: Int) throws(CELCompileError) -> any Interpretable {
        let entry = FunctionTable.Entry(impl: { noSuchOverload(name, $0) }, sizeCost: false)
        return try makeCall(name, entry, args, off)
    }

    /// `a == b` or `a != b`; `type(x) == T` (either way round) with the built-in `type` and a
    /// constant type tests the type directly, without making and comparing type values. (A
    /// `type(x)` written several times is a shared subexpression; the test reads `x` instead.)
    /// A comparison with a constant keeps the constant in its node.
    private func equality(_ lhs: any Interpretable, _ rhs: any Interpretable, negate: Bool) -> any Interpretable {
        if !env.hostOverrides.contains("type") {
            for (side, constant) in [(lhs, rhs), (rhs, lhs)] {
                let call = (side as? SharedNode)?.inner ?? side
                if let call = call as? CallNode, call.name == "type", call.args.count == 1,
                    let constant = constant as? ConstNode, case .type(let type) = constant.value
                {
                    return TypeTestNode(operand: call.args[0], type: type, negate: negate)
                }
            }
        }
        for (side, constant) in [(rhs, lhs), (lhs, rhs)] {
            if let constant = constant as? ConstNode, !constant.value.isError {
                return EqualsConstantNode(operand: side, constant: constant.value, constantIsLeft: constant === lhs, negate: negate)
            }
        }
        return EqualsNode(lhs: lhs, rhs: rhs, negate: negate)
    }

    /// Records a call of `name` on `args` in `calledFunctions` and `textArguments`.
    private mutating func noteCall(_ name: String, _ args: [Expr]) {
        called.insert(name)
        for (position, arg) in args.enumerated() {
            if case .literal(.string(let text)) = arg.kind { textArguments[name, default: [:]][position, default: []].insert(text) }
        }
    }

    private mutating func makeCall(_ name: String, _ entry: FunctionTable.Entry, _ args: [Expr], _ off: Int) throws(CELCompileError) -> any Interpretable {
        noteCall(name, args)
        var entry = entry
        var nodes: [any Interpretable] = []
        nodes.reserveCapacity(args.count)
        for a in args { nodes.append(try plan(a)) }
        // Constant regex patterns (literals, and constants such as a policy's params) are compiled
        // once, here; a bad pattern is a compile error.
        if ["matches", "find", "findAll"].contains(name), nodes.count >= 2, !env.hostOverrides.contains(name),
            let constant = nodes[1] as? ConstNode, case .string(let pattern) = constant.value
        {
            do {
                let re = try CompiledRegex(pattern: pattern)
                if let impl = RegexFunctions.specialized(name, re) {
                    entry = FunctionTable.Entry(impl: impl, sizeCost: entry.sizeCost)
                }
            } catch {
                _ = try reject(args[1], error.message)
            }
        }
        return CallNode(name: name, args: nodes, impl: entry.impl, offset: off, sizeCost: entry.sizeCost)
    }
}
