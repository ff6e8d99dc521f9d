/// The check phase, after planning (which reports unknown names and functions): works out each node's type from the literals,
/// the declared types (``CELEnvironment/declaredTypes``) and the standard functions' signatures,
/// and refuses an expression with a call no overload of which takes its arguments' types
/// (`1 + 'a'`, `size(x) > '3'`), a selection on a scalar, or a comprehension over one. Such an
/// expression can only fail, and without the check it would fail only when evaluation reached it,
/// which a branch no input takes never does. What the checker cannot tell is `dyn` and never
/// refused: an input's fields, extension functions, host functions that declare no result type
/// (a host function's arguments are never checked).
struct TypeChecker {
    let env: CELEnvironment
    let ast: CELAST
    private var locals: [(name: String, type: CELStaticType)] = []
    /// The errors found, in the order checking met them (see ``reject(_:)``).
    private(set) var errors: [CELCompileError] = []

    init(env: CELEnvironment, ast: CELAST) {
        self.env = env
        self.ast = ast
    }

    /// The type of `e`; each of its nodes that can only fail is an error in ``errors``.
    mutating func check(_ e: Expr) throws(CELCompileError) -> CELStaticType {
        switch e.kind {
        case .literal(let value):
            return CELStaticType(of: value)
        case .ident(let name):
            if let type = local(name) { return type }
            if env.position(ofDeclared: name) != nil { return env.declaredTypes[name] ?? .dyn }
            return Planner.typeNames[name] != nil ? .type : .dyn
        case .select(let operand, let field, let testOnly, let optional):
            // A declared name of two parts (`variables.x`) read whole.
            if !optional, !env.declaredTypes.isEmpty, case .ident(let root) = operand.kind, local(root) == nil,
                let type = env.declaredTypes[root + "." + field]
            {
                return testOnly ? .bool : type
            }
            let operandType = try check(operand)
            if optional { return .dyn }
            switch operandType {
            case .map(_, let value): return testOnly ? .bool : value
            case .dyn: return testOnly ? .bool : .dyn
            default: return try reject(fail(e, "type '\(operandType)' does not support field selection (selecting '\(field)')"))
            }
        case .index(let operand, let index, let optional):
            let operandType = try check(operand)
            let indexType = try check(index)
            if optional { return .dyn }
            switch operandType {
            case .list(let element) where indexType.mayBe(.int) || indexType.isNumber: return element
            case .map(_, let value): return value
            case .dyn: return .dyn
            default: return try reject(noOverload(e, "_[_]", [operandType, indexType]))
            }
        case .list(let elements, let optionalIndices):
            let types = try elements.map { element throws(CELCompileError) in try check(element) }
            guard optionalIndices.isEmpty, let first = types.first else { return .list(.dyn) }
            return .list(types.dropFirst().reduce(first) { $0.joined(with: $1) })
        case .map(let entries):
            var key: CELStaticType?
            var value: CELStaticType?
            for entry in entries {
                let entryKey = try check(entry.key)
                let entryValue = try check(entry.value)
                key = key.map { $0.joined(with: entryKey) } ?? entryKey
                value = entry.optional ? .dyn : value.map { $0.joined(with: entryValue) } ?? entryValue
            }
            return .map(key ?? .dyn, value ?? .dyn)
        case .structLiteral(_, let fields):
            for field in fields { _ = try check(field.value) }
            return .dyn
        case .comprehension(let comprehension):
            return try check(comprehension)
        case .call(let function, let target, let args):
            return try checkCall(e, function, target, args)
        }
    }

    // MARK: Comprehensions

    private mutating func check(_ c: Comprehension) throws(CELCompileError) -> CELStaticType {
        if c.kind == .block, case .list(let elements, _) = c.range.kind {
            // `cel.index(i)` reads element i, which sees the elements before it.
            var slots: [(String, CELStaticType)] = []
            for (index, element) in elements.enumerated() {
                slots.append(("@index\(index)", try withLocals(slots) { checker throws(CELCompileError) in try checker.check(element) }))
            }
            return try withLocals(slots) { checker throws(CELCompileError) in try checker.check(c.args[0]) }
        }
        let rangeType = try check(c.range)
        switch c.kind {
        case .bind:
            return try withLocals([(c.iterVar, rangeType)]) { checker throws(CELCompileError) in try checker.check(c.args[0]) }
        case .optMap, .optFlatMap:
            _ = try withLocals([(c.iterVar, .dyn)]) { checker throws(CELCompileError) in try checker.checkAll(c.args) }
            return .dyn
        default:
            break
        }
        let variables: [(String, CELStaticType)]
        switch (rangeType, c.iterVar2) {
        case (.list(let element), nil): variables = [(c.iterVar, element)]
        case (.list(let element), let second?): variables = [(c.iterVar, .int), (second, element)]
        case (.map(let key, _), nil): variables = [(c.iterVar, key)]
        case (.map(let key, let value), let second?): variables = [(c.iterVar, key), (second, value)]
        default:
            if rangeType != .dyn {
                _ = try reject(fail(c.range, "expression of type '\(rangeType)' cannot be the range of a comprehension (must be list, map, or dynamic)"))
            }
            variables = [(c.iterVar, .dyn)] + (c.iterVar2.map { [($0, .dyn)] } ?? [])
        }
        let argTypes = try withLocals(variables) { checker throws(CELCompileError) in try checker.checkAll(c.args) }
        // The predicate is the first argument of the macros that take one.
        let hasPredicate: Bool
        switch c.kind {
        case .all, .exists, .existsOne, .filter, .mapFilter, .transformListFilter, .transformMapFilter, .transformMapEntryFilter: hasPredicate = true
        default: hasPredicate = false
        }
        if hasPredicate, !argTypes[0].mayBe(.bool) {
            _ = try reject(fail(c.args[0], "the condition of \(c.kind.rawValue)() must be a bool, not \(argTypes[0])"))
        }
        let transform = argTypes[argTypes.count - 1]
        switch c.kind {
        case .all, .exists, .existsOne: return .bool
        case .filter, .sortBy: return .list(variables[0].1)
        case .map, .mapFilter, .transformList, .transformListFilter: return .list(transform)
        case .transformMap, .transformMapFilter: return .map(variables[0].1, transform)
        default: return .dyn
        }
    }

    private mutating func checkAll(_ expressions: [Expr]) throws(CELCompileError) -> [CELStaticType] {
        try expressions.map { expression throws(CELCompileError) in try check(expression) }
    }

    private mutating func withLocals<T>(
        _ variables: [(String, CELStaticType)], _ body: (inout TypeChecker) throws(CELCompileError) -> T
    ) throws(CELCompileError) -> T {
        locals += variables.map { (name: $0.0, type: $0.1) }
        defer { locals.removeLast(variables.count) }
        return try body(&self)
    }

    // MARK: Calls

    private mutating func checkCall(_ e: Expr, _ function: String, _ target: Expr?, _ args: [Expr]) throws(CELCompileError) -> CELStaticType {
        if let target {
            // A namespaced global function (`math.greatest(x)`) reads as a receiver call on an
            // unknown name, which is `dyn`: none is named like a checked receiver function of its
            // arity, so it is not checked.
            var types = [try check(target)]
            types.reserveCapacity(args.count + 1)
            for arg in args { types.append(try check(arg)) }
            guard !env.hostOverrides.contains(function), let overloads = StandardSignatures.receiver[function] else {
                return hostResultType(env.functions.receiver, function, arity: types.count)
            }
            return try resolve(e, function, overloads, types, receiver: true)
        }
        let types = try checkAll(args)
        switch function {
        case "_&&_", "_||_":
            if types.contains(where: { !$0.mayBe(.bool) }) { return try reject(noOverload(e, function, types)) }
            return .bool
        case "_?_:_":
            if !types[0].mayBe(.bool) { return try reject(noOverload(e, function, types)) }
            return types[1].joined(with: types[2])
        case "_==_", "_!=_":
            // Values of two scalar types, not both numbers, are never equal: the comparison is a
            // constant, a mistake (`size(x) == '3'`). cel-go's checker refuses it too, and also
            // numbers of different kinds (`1.0 == 1`), which CEL's equality finds equal.
            if types[0].isScalar, types[1].isScalar, types[0] != types[1], !(types[0].isNumber && types[1].isNumber) {
                return try reject(noOverload(e, function, types))
            }
            return .bool
        default:
            break
        }
        let name = function.hasPrefix(".") ? String(function.dropFirst()) : function
        guard !env.hostOverrides.contains(name), let overloads = StandardSignatures.global[name] else {
            return hostResultType(env.functions.global, name, arity: types.count)
        }
        let result = try resolve(e, name, overloads, types, receiver: false)
        if name == "_+_", case .list(let a) = types[0], case .list(let b) = types[1] { return .list(a.joined(with: b)) }
        return result
    }

    /// What a function the signatures do not list declares it gives (a host function's
    /// ``CELFunction/resultType``); its arguments are not checked.
    private func hostResultType(_ table: [String: [Int: FunctionTable.Entry]], _ name: String, arity: Int) -> CELStaticType {
        env.functions.lookup(table, name, arity)?.resultType ?? .dyn
    }

    /// The result of the overloads `types` may call; an error when they may call none. A call of
    /// an arity the signatures do not list is not checked.
    private mutating func resolve(
        _ e: Expr, _ name: String, _ overloads: [StaticOverload], _ types: [CELStaticType], receiver: Bool
    ) throws(CELCompileError) -> CELStaticType {
        var hasArity = false
        var result: CELStaticType?
        for overload in overloads where overload.parameters.count == types.count {
            hasArity = true
            guard zip(types, overload.parameters).allSatisfy({ $0.mayBe($1) }) else { continue }
            // Overloads of different results leave the result unknown.
            result = result.map { $0 == overload.result ? $0 : .dyn } ?? overload.result
        }
        guard hasArity else { return .dyn }
        guard let result else { return try reject(noOverload(e, name, types, receiver: receiver)) }
        return result
    }

    private func local(_ name: String) -> CELStaticType? {
        locals.last { $0.name == name }?.type
    }

    // MARK: Errors

    /// Records `error` and gives `dyn` as the type of its node, so that checking goes on to find
    /// the expression's other errors and none that is only a consequence of this one; throws once
    /// it has ``CELCompileError/maxErrors``.
    private mutating func reject(_ error: CELCompileError) throws(CELCompileError) -> CELStaticType {
        errors.append(error)
        if errors.count == CELCompileError.maxErrors { throw error }
        return .dyn
    }

    private func fail(_ e: Expr, _ message: String) -> CELCompileError {
        CELCompileError(source: ast.source, offset: ast.offsets[e.id] ?? 0, message: message)
    }

    /// cel-go's wording: `found no matching overload for '_+_' applied to '(int, string)'`, and
    /// for a receiver call `'startsWith' applied to 'string.(int)'`.
    private func noOverload(_ e: Expr, _ name: String, _ types: [CELStaticType], receiver: Bool = false) -> CELCompileError {
        let arguments = (receiver ? types.dropFirst() : types[...]).map(\.description).joined(separator: ", ")
        let applied = receiver ? "\(types[0]).(\(arguments))" : "(\(arguments))"
        return fail(e, "found no matching overload for '\(name)' applied to '\(applied)'" + Self.hint(name, types, receiver: receiver))
    }

    /// What was likely meant, for the mistakes CEL newcomers make most: `list.contains(x)` for
    /// membership, and text joined to a number or a bool with `+`.
    private static func hint(_ name: String, _ types: [CELStaticType], receiver: Bool) -> String {
        switch (name, receiver, types.first) {
        case ("contains", true, .list?), ("contains", true, .map?):
            return " (membership is written `x in list`)"
        case ("_+_", false, _) where types.contains(.string) && types.contains(where: { $0.isNumber || $0 == .bool }):
            return " (text is joined to a number with string(x))"
        case ("_==_", false, _), ("_!=_", false, _):
            return " (values of different types are never equal)"
        default:
            return ""
        }
    }
}
