import CEL
import Foundation

/// Compiles the expressions of loaded policies in one CEL environment, collecting every error with
/// the file position of the offending expression text.
public struct PolicyCompiler: Sendable {
    let environment: CELEnvironment

    /// Declares, in this order, the bindings every expression may use, then a policy's variables
    /// (`variables.NAME`), then a `forEach` element: `PolicyActivation` relies on that order.
    public init(functions: [CELFunction]) {
        environment = CELEnvironment(declaredVariables: PolicyBinding.allCases.map(\.rawValue), functions: functions)
    }

    /// A compiler with every host function: lookups in `inventory`, the workload functions (whose
    /// environment values read its ConfigMaps) and the fact functions.
    public init(inventory: Inventory) {
        self.init(functions: InventoryFunctions.all(inventory) + WorkloadFunctions.all(inventory) + ImageFunctions.all + FactFunctions.all)
    }

    /// Compiles `policy` with its `params` (defaults merged with run `overrides`, by param name).
    public func compile(_ policy: Policy, params: CELValue, overrides: [String: ParamOverrides.Override] = [:]) -> Result<CompiledPolicy, DiagnosticList> {
        var errors: [Diagnostic] = []
        var declaredVariables: [String] = []
        let params = params.materialized
        var policyEnvironment = environment
        // The built-in pack is checked by its tests once, not at every start: the checker reads
        // params as `dyn`, so its verdict is the same whatever a run sets them to.
        policyEnvironment.checksTypes = !policy.isBuiltin
        // Params a binding's paramRef selects for each object are bound at evaluation instead.
        if policy.binding?.paramRef == nil { policyEnvironment.constants[PolicyBinding.params.rawValue] = params }
        if !policy.declaresParams { policyEnvironment.withdraw(PolicyBinding.params.rawValue) }
        for variable in policy.variables { policyEnvironment.declare("variables." + variable.name) }
        /// The key of the override without which `expression`, failing to compile in `env` with
        /// the run's params, compiles (a `--param` regex that is no regex): the error is the
        /// override's. Nil when no single override is to blame.
        func overrideToBlame(_ env: CELEnvironment, _ expression: Expression) -> String? {
            guard policy.binding?.paramRef == nil else { return nil }
            return overrides.keys.sorted().first { key in
                guard let params = ParamOverrides.params(of: policy, overriddenBy: overrides, but: key) else { return false }
                var retry = env
                retry.constants[PolicyBinding.params.rawValue] = params
                return (try? retry.compile(expression.source)) != nil
            }
        }
        /// Where `compile(_:extra:)` declares a `forEach` element: after the variables (an element
        /// named like a declared name is an error, see `describe(_:)`).
        func elementPosition(_ name: String) -> Int {
            policyEnvironment.position(ofDeclared: name) ?? policyEnvironment.declarations.count
        }
        /// Compiles `expression`, declaring `extra` (a `forEach` element) of type `extraType`; a
        /// value the checker finds can never be of `expected` is an error naming `role`.
        func compile(
            _ expression: Expression, extra: String? = nil, extraType: CELStaticType = .dyn, expected: (type: CELStaticType, role: String)? = nil
        ) -> CELProgram? {
            var env = policyEnvironment
            if let extra {
                env.declare(extra)
                if env.checksTypes { env.declaredTypes[extra] = extraType }
            }
            do {
                let program = try env.compile(expression.source)
                if let expected, !program.resultType.mayBe(expected.type) {
                    errors.append(Diagnostic(
                        kind: .policy, message: "\(policy.id): \(expected.role) must evaluate to \(Self.described(expected.type)), not \(Self.described(program.resultType))",
                        location: expression.filePosition(line: 1, column: 1)))
                }
                // What the compiled expression reads, however it is written; the text gives the places.
                let places = Self.variableReferences(in: expression.source)
                func position(of name: String?) -> SourceSpan {
                    let place = places.first { $0.name == name } ?? places.first { $0.name == nil }
                    return place.map { expression.filePosition(line: $0.line, column: $0.column) }
                        ?? expression.filePosition(line: 1, column: 1)
                }
                for read in program.referencedVariables.sorted() {
                    if read == PolicyBinding.variables.rawValue {
                        // A name declared nowhere reads as a field of `variables` too.
                        let undeclared = places.compactMap(\.name).filter { !declaredVariables.contains($0) }
                        for name in undeclared {
                            errors.append(Diagnostic(
                                kind: .policy, message: "\(policy.id): variables.\(name) is not declared before this expression", location: position(of: name)))
                        }
                        if undeclared.isEmpty || places.contains(where: { $0.name == nil }) {
                            errors.append(Diagnostic(
                                kind: .policy, message: "\(policy.id): variables are read by name (variables.NAME), not whole, by a key or optionally",
                                location: position(of: nil)))
                        }
                    } else if read.hasPrefix("variables."), case let name = String(read.dropFirst("variables.".count)), !declaredVariables.contains(name) {
                        errors.append(Diagnostic(
                            kind: .policy, message: "\(policy.id): variables.\(name) is not declared before this expression", location: position(of: name)))
                    }
                }
                return program
            } catch {
                if let key = overrideToBlame(env, expression), let override = overrides[key], let first = error.all.first {
                    errors.append(ParamOverrides.diagnostic(ofExpressionReading: override, key: key, in: policy, first.message))
                    return nil
                }
                for error in error.all {
                    let position = expression.filePosition(line: error.line, column: error.column)
                    errors.append(Diagnostic(kind: .policy, message: "\(policy.id): \(error.message)" + Self.qualifiedNameHint(error.message, policy: policy, params: params), location: position))
                }
                return nil
            }
        }
        // Checked first: compiling many thousands of variables would itself take long.
        guard policy.variables.count <= Self.maxVariables else {
            let node = policy.variables[Self.maxVariables].expression.node
            return .failure(DiagnosticList([Diagnostic(
                kind: .policy, message: "\(policy.id): more than \(Self.maxVariables) variables (the limit per policy)",
                location: SourceSpan(file: node.document.file, line: node.line, column: node.column))]))
        }
        var variables: [CompiledPolicy.Variable] = []
        for variable in policy.variables {
            if let program = compile(variable.expression) {
                variables.append(CompiledPolicy.Variable(name: variable.name, program: program))
                if policyEnvironment.checksTypes { policyEnvironment.declaredTypes["variables." + variable.name] = program.resultType }
            }
            declaredVariables.append(variable.name)
        }
        if errors.isEmpty, let tooDeep = Self.tooDeepVariable(policy.variables, compiled: variables) {
            errors.append(Diagnostic(
                kind: .policy,
                message: "\(policy.id): variables.\(tooDeep.name) reads a chain of more than \(Self.maxVariableDepth) variables reading variables (the limit)",
                location: tooDeep.location))
        }
        let conditions = policy.conditions.compactMap { condition in
            compile(condition.expression, expected: (.bool, "matchCondition \(condition.name)")).map { (condition.name, $0) }
        }
        for annotation in policy.auditAnnotations { _ = compile(annotation.expression) }
        var validations: [CompiledValidation] = []
        for (index, validation) in policy.validations.enumerated() {
            let element = validation.forEach == nil ? nil : validation.forEachName
            if let element, let conflict = policyEnvironment.conflict(declaring: element) {
                let node = validation.forEachNameNode ?? validation.forEach?.node ?? validation.expression.node
                errors.append(Diagnostic(
                    kind: .policy, message: "\(policy.id): as: \"\(element)\" \(Self.describe(conflict))",
                    location: SourceSpan(file: node.document.file, line: node.line, column: node.column)))
            }
            let name = "validations[\(index)]"
            let forEach = validation.forEach.flatMap { compile($0, expected: (.list(.dyn), name + ".forEach")) }
            var elementType = CELStaticType.dyn
            if case .list(let type) = forEach?.resultType { elementType = type }
            let program = compile(validation.expression, extra: element, extraType: elementType, expected: (.bool, name))
            let message = validation.messageExpression.flatMap {
                compile($0, extra: element, extraType: elementType, expected: (.string, name + ".messageExpression"))
            }
            let path = validation.pathExpression.flatMap { compile($0, extra: element, extraType: elementType) }
            if let program {
                validations.append(CompiledValidation(
                    validation: validation, program: program, forEach: forEach, message: message, path: path,
                    elementPosition: element.map(elementPosition)))
            }
        }
        guard errors.isEmpty else { return .failure(DiagnosticList(errors)) }
        return .success(CompiledPolicy(policy: policy, params: params, overrides: overrides, variables: variables, conditions: conditions, validations: validations))
    }

    /// ` (a variable is read as variables.NAME)` (or a param, `params.NAME`) when `message`
    /// refuses a bare name the policy declares as one of its variables or params, as written
    /// where `variables.` or `params.` was meant; else empty.
    private static func qualifiedNameHint(_ message: String, policy: Policy, params: CELValue) -> String {
        var paramNames: [String] = []
        if policy.declaresParams, case .map(let map) = params {
            paramNames = map.keys.compactMap { if case .string(let key) = $0 { key } else { nil } }
        }
        let named = policy.variables.map { ("variable", "variables", $0.name) } + paramNames.map { ("param", "params", $0) }
        guard let (noun, binding, name) = named.first(where: { message == "undeclared reference to '\($0.2)'" }) else { return "" }
        return " (a \(noun) is read as \(binding).\(name))"
    }

    /// `a bool`, `an int`, `a list`: a type as errors name what an expression gives or must give.
    private static func described(_ type: CELStaticType) -> String {
        let name = if case .list = type { "list" } else { type.description }
        return withArticle(name)
    }

    /// A type's name behind `a` or `an`, as errors name what an expression gives.
    static func withArticle(_ name: String) -> String {
        ("aeiou".contains(name.prefix(1)) ? "an " : "a ") + name
    }

    /// The most variables a policy may declare.
    public static let maxVariables = 256

    /// The longest chain of variables reading variables (`variables.b` reading `variables.a` is
    /// two). Variables are evaluated lazily, each inside the evaluation of the first expression
    /// that reads it, so a chain is a recursion that must fit an evaluation thread's stack, each
    /// level as deep as an expression may nest. `PolicyActivation` enforces it while evaluating too
    /// (a variable may read the whole `variables` map).
    public static let maxVariableDepth = 32

    /// The first variable at the end of a chain longer than `maxVariableDepth`, with the position
    /// of its read of the variable before it in the chain.
    private static func tooDeepVariable(_ variables: [Variable], compiled: [CompiledPolicy.Variable]) -> (name: String, location: SourceSpan)? {
        let positions = Dictionary(compiled.enumerated().map { ($1.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })
        var depths: [Int] = []
        for (index, variable) in compiled.enumerated() {
            // Variables read only those declared before them (checked above), so their depths are known.
            let deepest = variable.program.referencedVariables.compactMap { positions[$0] }.max { depths[$0] < depths[$1] }
            let depth = 1 + (deepest.map { depths[$0] } ?? 0)
            if depth > maxVariableDepth, let deepest {
                let expression = variables[index].expression
                let read = variableReferences(in: expression.source).first { $0.name == compiled[deepest].name }
                let location = read.map { expression.filePosition(line: $0.line, column: $0.column) }
                    ?? SourceSpan(file: expression.node.document.file, line: expression.node.line, column: expression.node.column)
                return (variable.name, location)
            }
            depths.append(depth)
        }
        return nil
    }

    /// Why a `forEach` element cannot take a name (see `CELEnvironment.conflict(declaring:)`): it
    /// would hide, for the rest of the validation, a binding, a type or functions its expressions use.
    static func describe(_ conflict: CELNameConflict) -> String {
        switch conflict {
        case .notAnIdentifier: return "is not a CEL identifier (a letter or _, then letters, digits and _)"
        case .reservedWord: return "is a reserved word of CEL"
        case .declared(let name): return "would hide the binding \(name); choose another name"
        case .typeName(let name): return "would hide the type \(name); choose another name"
        case .functionNamespace(let name): return "would hide functions such as \(name); choose another name"
        }
    }

    /// Where an expression names variables, with 1-based line and column in it: `variables.NAME`
    /// (at the name), and `variables` read otherwise (name nil). Only for placing errors: what
    /// an expression reads is its compiled program's `referencedVariables`.
    static func variableReferences(in source: String) -> [(name: String?, line: Int, column: Int)] {
        var found: [(String?, Int, Int)] = []
        let scalars = Array(source.unicodeScalars)
        let marker = Array("variables".unicodeScalars)
        func isNamePart(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || scalar == "_" || ("0"..."9").contains(scalar)
        }
        var line = 1
        var column = 1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "v", index + marker.count <= scalars.count, Array(scalars[index..<(index + marker.count)]) == marker,
               index + marker.count == scalars.count || !isNamePart(scalars[index + marker.count]),
               index == 0 || !isNamePart(scalars[index - 1]) {
                var after = index + marker.count
                var name = ""
                if after < scalars.count, scalars[after] == "." {
                    after += 1
                    while after < scalars.count, isNamePart(scalars[after]) {
                        name.unicodeScalars.append(scalars[after])
                        after += 1
                    }
                }
                found.append(name.isEmpty ? (nil, line, column) : (name, line, column + marker.count + 1))
            }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }
        return found
    }
}

/// Several diagnostics as one error.
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
