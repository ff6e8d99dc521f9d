import Foundation

/// A host function callable from CEL.
public struct CELFunction: Sendable {
    /// How the function may be called.
    public enum Kind: Sendable {
        /// `f(a, b)`
        case global
        /// `a.f(b)`: the target is passed as the first argument.
        case receiver
        /// Both call styles.
        case both
    }

    /// Function name; may be qualified (`semver.parse`) for global calls.
    public let name: String
    /// Call style.
    public let kind: Kind
    /// Number of arguments including the receiver; nil means any number.
    public let arity: Int?
    /// The type of every value it gives but errors, for the type check (`dyn`: unknown).
    public let resultType: CELStaticType
    /// Implementation; receives already-evaluated, non-error arguments. It must have no side
    /// effects: a call may be evaluated once and its value reused (see `SharedSubexpressions`).
    public let implementation: CELFunctionImpl

    /// Creates a host function.
    public init(name: String, kind: Kind, arity: Int?, resultType: CELStaticType = .dyn, implementation: @escaping CELFunctionImpl) {
        self.name = name
        self.kind = kind
        self.arity = arity
        self.resultType = resultType
        self.implementation = implementation
    }
}

/// Function overloads by name and arity (receiver arity includes the target; -1 = variadic).
struct FunctionTable: Sendable {
    struct Entry: Sendable {
        let impl: CELFunctionImpl
        let sizeCost: Bool
        /// What a host function declares it gives (``CELFunction/resultType``).
        var resultType = CELStaticType.dyn
    }
    var global: [String: [Int: Entry]] = [:]
    var receiver: [String: [Int: Entry]] = [:]

    mutating func addGlobal(_ name: String, _ arity: Int, sizeCost: Bool = false, resultType: CELStaticType = .dyn, _ impl: @escaping CELFunctionImpl) {
        global[name, default: [:]][arity] = Entry(impl: impl, sizeCost: sizeCost, resultType: resultType)
    }

    mutating func addReceiver(_ name: String, _ arity: Int, sizeCost: Bool = false, resultType: CELStaticType = .dyn, _ impl: @escaping CELFunctionImpl) {
        receiver[name, default: [:]][arity] = Entry(impl: impl, sizeCost: sizeCost, resultType: resultType)
    }

    mutating func addBoth(_ name: String, _ arity: Int, sizeCost: Bool = false, resultType: CELStaticType = .dyn, _ impl: @escaping CELFunctionImpl) {
        addGlobal(name, arity, sizeCost: sizeCost, resultType: resultType, impl)
        addReceiver(name, arity, sizeCost: sizeCost, resultType: resultType, impl)
    }

    func lookup(_ table: [String: [Int: Entry]], _ name: String, _ arity: Int) -> Entry? {
        guard let byArity = table[name] else { return nil }
        return byArity[arity] ?? byArity[-1]
    }

    static let standard: FunctionTable = {
        var t = FunctionTable()
        Stdlib.register(&t)
        StringsExt.register(&t)
        ListsExt.register(&t)
        MathExt.register(&t)
        RegexFunctions.register(&t)
        QuantityLib.register(&t)
        NetworkLib.register(&t)
        URLLib.register(&t)
        SemverLib.register(&t)
        FormatLib.register(&t)
        OpaqueOrdering.register(&t)
        return t
    }()
}

/// Declarations for compiling expressions: variables, host functions and a container.
public struct CELEnvironment: Sendable {
    /// Names of variables the expressions may reference (qualified names such as `a.b` allowed),
    /// in the order declared. A compiled expression refers to a variable by its position here as
    /// well as by name (see ``CELActivation/resolve(_:declaredAt:)``).
    public private(set) var declarations: [String] = []
    private var positions: [String: Int] = [:]
    /// Namespace used to resolve unqualified names (`y` in container `a.b` tries `a.b.y`, `a.y`, `y`).
    public var container: String
    /// Whether macros (`has`, `all`, `exists`, ...) are expanded.
    public var macrosEnabled = true
    /// When true, undeclared identifiers and unknown functions compile to nodes that yield
    /// an error value at evaluation instead of failing compilation (cel-go "disableCheck").
    public var allowUnresolvedReferences = false
    /// Maximum parse nesting depth.
    public var maxParseDepth = 250
    /// Whether a subexpression written more than once, or inside a comprehension that binds none of
    /// its variables, is evaluated once and reused (see `SharedSubexpressions`). Off only to
    /// compare: results are the same either way, costs lower with it.
    public var sharesSubexpressions = true
    /// Declared variables whose value is known when compiling and the same for every evaluation
    /// (a policy's params): expressions use the value itself, and fields selected from a
    /// constant map are looked up once, at compile time. The activation is not asked for them.
    public var constants: [String: CELValue] = [:]
    /// Whether expressions are type-checked before planning (see ``TypeChecker``): a call no
    /// overload takes, a selection on a scalar, a comprehension over a scalar are compile errors.
    /// Off by default, as for an expression compiled without cel-go's checker.
    public var checksTypes = false
    /// The types of declared variables known when compiling, by a name of one part or two (a
    /// policy's earlier variables, `variables.x`); the others are `dyn`.
    public var declaredTypes: [String: CELStaticType] = [:]
    var functions: FunctionTable
    /// Names of built-ins replaced by host functions (they lose built-in specializations).
    var hostOverrides: Set<String> = []

    /// Creates an environment with the standard library and the Kubernetes extensions.
    public init(declaredVariables: some Sequence<String> = [], functions: [CELFunction] = [], container: String = "") {
        self.container = container
        self.functions = FunctionTable.standard
        for f in functions { register(f) }
        for name in declaredVariables { declare(name) }
    }

    /// Declares a variable (again: no change).
    public mutating func declare(_ name: String) {
        guard positions[name] == nil else { return }
        positions[name] = declarations.count
        declarations.append(name)
    }

    /// Makes a declared variable unknown to the expressions compiled from now on, a reference to
    /// it an undeclared reference, while the others keep their positions (a policy environment
    /// withdraws what one kind of policy has not).
    public mutating func withdraw(_ name: String) {
        positions[name] = nil
    }

    /// The position of a declared variable in ``declarations``.
    public func position(ofDeclared name: String) -> Int? { positions[name] }

    /// Registers a host function; it replaces a built-in of the same name, style and arity.
    public mutating func register(_ function: CELFunction) {
        let arity = function.arity ?? -1
        hostOverrides.insert(function.name)
        let type = function.resultType
        switch function.kind {
        case .global: functions.addGlobal(function.name, arity, resultType: type, function.implementation)
        case .receiver: functions.addReceiver(function.name, arity, resultType: type, function.implementation)
        case .both: functions.addBoth(function.name, arity, resultType: type, function.implementation)
        }
    }

    /// Parses, expands macros, resolves names and functions, and plans the expression.
    ///
    /// Parsing and planning recurse once per nesting level; they run on a helper thread with
    /// a 16 MiB stack so that a maximally nested expression cannot overflow a small caller
    /// stack (secondary threads may have only 512 KiB). Evaluation needs no such help.
    public func compile(_ source: String) throws(CELCompileError) -> CELProgram {
        var result: Result<CELProgram, CELCompileError>?
        CompilerThread.run {
            do throws(CELCompileError) {
                result = .success(try compileOnCurrentThread(source))
            } catch {
                result = .failure(error)
            }
        }
        guard let result else {
            throw CELCompileError(source: CELSource(source), offset: 0, message: "internal error: compilation did not run")
        }
        return try result.get()
    }

    func compileOnCurrentThread(_ source: String) throws(CELCompileError) -> CELProgram {
        let src = CELSource(source)
        let ast: CELAST
        do {
            ast = try Parser.parse(src, options: ParserOptions(macros: macrosEnabled, maxDepth: maxParseDepth))
        } catch {
            throw CELCompileError(source: src, offset: error.offset, message: error.message)
        }
        // Both phases go on past an error (throwing only at the most errors), and their errors are
        // reported together; the checker finds an unknown name or function `dyn`, never wrong.
        var planner = Planner(env: self, ast: ast)
        let root = try? planner.plan(ast.root)
        var errors = planner.errors
        var resultType = CELStaticType.dyn
        if checksTypes {
            var checker = TypeChecker(env: self, ast: ast)
            resultType = (try? checker.check(ast.root)) ?? .dyn
            errors += checker.errors
        }
        guard errors.isEmpty, let root else { throw CELCompileError(errors) }
        return CELProgram(
            root: root, localSlots: planner.maxSlots, sharedSlots: planner.sharing.slotCount, source: src,
            referencedVariables: planner.referenced, selectedFields: planner.selectedFields, readWhole: planner.readWhole,
            calledFunctions: planner.called, textArguments: planner.textArguments, resultType: resultType)
    }
}

/// A compiled expression: immutable and safe to evaluate concurrently from many threads. A class,
/// so that handing it to an evaluation costs one reference, not a copy of its tree and source.
public final class CELProgram: Sendable {
    let root: any Interpretable
    let localSlots: Int
    let sharedSlots: Int
    /// The source the program was compiled from.
    public let source: CELSource
    /// Declared variables the expression reads (the activation needs only these).
    public let referencedVariables: Set<String>
    private let selectedFields: [String: Set<String>]
    private let readWhole: Set<String>
    /// Functions the expression calls, by name.
    public let calledFunctions: Set<String>
    /// The string literals the expression gives functions as arguments, by function and position
    /// (`resources('Service', ns)` gives `resources: [0: [Service]]`): names a host can check.
    public let textArguments: [String: [Int: Set<String>]]
    /// The type of the expression's value as the checker found it; `dyn` when unknown or unchecked.
    public let resultType: CELStaticType

    init(
        root: any Interpretable, localSlots: Int, sharedSlots: Int, source: CELSource, referencedVariables: Set<String>,
        selectedFields: [String: Set<String>], readWhole: Set<String>,
        calledFunctions: Set<String>, textArguments: [String: [Int: Set<String>]], resultType: CELStaticType
    ) {
        self.root = root
        self.localSlots = localSlots
        self.sharedSlots = sharedSlots
        self.source = source
        self.referencedVariables = referencedVariables
        self.selectedFields = selectedFields
        self.readWhole = readWhole
        self.calledFunctions = calledFunctions
        self.textArguments = textArguments
        self.resultType = resultType
    }

    /// The fields of the declared variable `name` the expression reads, when it reads it only by
    /// selecting fields (`bundle.issues.size()` gives `issues`; empty when it does not read it);
    /// nil when it reads it otherwise too (whole, by an index, in `has()`), so any field.
    public func fieldsRead(of name: String) -> Set<String>? {
        readWhole.contains(name) ? nil : selectedFields[name] ?? []
    }

    /// Evaluates against an activation. Errors are returned as `.error` values; when the cost
    /// of evaluation passes `costLimit` the result is the error `cost limit exceeded`.
    public func evaluate(_ activation: any CELActivation, costLimit: Int? = nil) -> CELValue {
        evaluateWithCost(activation, costLimit: costLimit).value
    }

    /// Evaluates and also reports the cost spent.
    public func evaluateWithCost(_ activation: any CELActivation, costLimit: Int? = nil) -> (value: CELValue, cost: Int) {
        withContext(activation, costLimit: costLimit) { ctx throws(EvalAbort) in
            (try root.eval(ctx), ctx.cost)
        } aborted: { abort, cost in
            (.error(CELEvalError(abort.message, kind: .costLimitExceeded)), cost)
        }
    }

    /// Where the value this expression gives was read, when it is a field or an index of a map or
    /// list (`has(object.spec) ? object.spec : {}` gives `object`'s `spec` when it has one): the
    /// expression's branches are evaluated again to find it. A host asks it of a variable whose
    /// value an evaluation failed on (see ``CELActivation/placeOfValue(_:declaredAt:)``).
    public func placeOfValue(_ activation: any CELActivation, costLimit: Int? = nil) -> (container: CELValue, key: CELValue)? {
        withContext(activation, costLimit: costLimit) { ctx throws(EvalAbort) in
            try CEL.placeOfValue(of: root, ctx)
        } aborted: { _, _ in nil }
    }

    /// Runs `body` with a context for `activation`, whose slots and meter live on the stack for
    /// the call (an evaluation allocates nothing of its own); `aborted` gives the result when the
    /// cost limit stops it.
    private func withContext<Result>(
        _ activation: any CELActivation, costLimit: Int?, _ body: (EvalContext) throws(EvalAbort) -> Result,
        aborted: (EvalAbort, Int) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(of: CELValue.self, capacity: localSlots + sharedSlots) { values in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: sharedSlots) { flags in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 1) { spent in
                    withExtendedLifetime(activation) {
                        let ctx = EvalContext(
                            activation: activation, values: values, localSlots: localSlots, isMemoized: flags,
                            spent: spent.baseAddress!, limit: costLimit)
                        defer { ctx.deinitializeValues() }
                        do throws(EvalAbort) {
                            return try body(ctx)
                        } catch {
                            return aborted(error, ctx.cost)
                        }
                    }
                }
            }
        }
    }

    /// Evaluates with a dictionary of bindings.
    public func evaluate(_ bindings: [String: CELValue], costLimit: Int? = nil) -> CELValue {
        evaluate(CELDictionaryActivation(bindings), costLimit: costLimit)
    }
}
