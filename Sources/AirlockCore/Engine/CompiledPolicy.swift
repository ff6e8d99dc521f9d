import CEL

/// A policy whose expressions are compiled once for the run, ready to evaluate on many objects.
/// A class: the engine hands it to every evaluation, and copying its many fields each time costs
/// more than the evaluation of a simple rule.
public final class CompiledPolicy: Sendable {
    public let policy: Policy
    /// The policy's params after run overrides, as plain CEL values (see `CELValue.materialized`):
    /// every evaluation on every core reads them (null for one whose binding's `paramRef` selects
    /// them for each object).
    public let params: CELValue
    /// The run's overrides of the params, by name: an error computed from one is theirs.
    let overrides: [String: ParamOverrides.Override]
    let variables: [Variable]
    let conditions: [(name: String, program: CELProgram)]
    let validations: [CompiledValidation]

    /// Whether the policy reads the Helm values: it is on them (`target: values`) or an expression
    /// reads `values`.
    let readsValues: Bool
    /// For each variable, whether it reads only what is the same for every object of a run
    /// (`params`, `values`, `tier`, and variables that do too): such a value is computed once.
    let isRunConstant: [Bool]
    /// For each variable, whether it reads only `params` (and variables that do too), and no
    /// input through an inventory function: in a policy of airlock's own format, an error there is
    /// the params' fault, and stops the policy before any object (see `PolicyEngine`).
    let isParamConstant: [Bool]
    /// The bindings some expression of the policy reads (`object`, `namespaceObject`, `params`, ...).
    let readBindings: Set<String>
    /// Whether an expression may read what a bundle's manifest.yaml holds
    /// (`BundleFacts.manifestFields`, or `bundle`/`object` other than by a field): such a policy is
    /// not run on a bundle whose manifest is not known (`BundleFacts.manifestProblem`).
    let readsBundleManifest: Bool
    /// Whether an expression may read who sends the request (`request.userInfo`, or `request`
    /// whole), which a manifest does not say: the synthetic request's user is airlock's
    /// (`AdmissionRequest`).
    let readsRequester: Bool
    /// For each variable, the variables it reads when it reads nothing of the object directly (see
    /// `KeyedVariables`), nil otherwise.
    let keyedDependencies: [[Int]?]
    /// For each variable, whether it has keyed dependencies: read on every evaluation of a
    /// variable, where reading `keyedDependencies` would retain an array every thread shares.
    let isKeyed: [Bool]
    /// Each variable's program, unretained (the variables hold them): an activation evaluates them
    /// without retaining an object every thread shares (see ``PolicyActivation``).
    let variablePrograms: [Unmanaged<CELProgram>]
    /// The kinds the expressions look up by name (`resources('Service', ns)`), for hints on
    /// misspelt ones.
    let lookedUpKinds: Set<String>
    /// The resources Kyverno's lookups name (`resource.List('v1', 'services', ns)`), likewise.
    let lookedUpResources: Set<String>

    init(
        policy: Policy, params: CELValue, overrides: [String: ParamOverrides.Override] = [:], variables: [Variable],
        conditions: [(name: String, program: CELProgram)], validations: [CompiledValidation]
    ) {
        self.policy = policy
        self.params = params.materialized
        self.overrides = overrides
        self.variables = variables
        self.conditions = conditions
        self.validations = validations
        let programs = variables.map(\.program) + conditions.map(\.program)
            + validations.flatMap { [$0.program, $0.forEach, $0.message].compactMap { $0 } }
        readBindings = programs.reduce(into: Set<String>()) { $0.formUnion($1.referencedVariables) }.intersection(PolicyBinding.allCases.map(\.rawValue))
        readsValues = policy.target == .values || readBindings.contains(PolicyBinding.values.rawValue)
        readsBundleManifest = policy.target == .bundle && programs.contains { program in
            [PolicyBinding.bundle, .object].contains { program.fieldsRead(of: $0.rawValue).map { !$0.isDisjoint(with: BundleFacts.manifestFields) } ?? true }
        }
        readsRequester = programs.contains { program in
            program.referencedVariables.contains(PolicyBinding.request.rawValue)
                && program.fieldsRead(of: PolicyBinding.request.rawValue)?.contains("userInfo") ?? true
        }
        // A binding's paramRef selects params for each object: they are not the same for the whole run.
        let runConstantBindings: [PolicyBinding] = policy.binding?.paramRef == nil ? [.params, .values, .tier] : [.values, .tier]
        isRunConstant = Self.variables(variables, readingOnly: runConstantBindings)
        // One that looks across the inputs fails on what it finds there, not on the params.
        isParamConstant = Self.variables(variables, readingOnly: [.params]) { $0.program.calledFunctions.isDisjoint(with: InventoryFunctions.names) }
        keyedDependencies = KeyedVariables.dependencies(of: variables, isRunConstant: isRunConstant, constantBindings: runConstantBindings)
        isKeyed = keyedDependencies.map { $0 != nil }
        variablePrograms = variables.map { .passUnretained($0.program) }
        lookedUpKinds = Self.textArguments(InventoryFunctions.kindLookups, at: 0, of: programs)
        lookedUpResources = Self.textArguments(KyvernoResourceLookup.functionNames, at: 1, of: programs)
    }

    /// The string literals `programs` give `functions` at `position`.
    private static func textArguments(_ functions: [String], at position: Int, of programs: [CELProgram]) -> Set<String> {
        programs.reduce(into: []) { texts, program in
            for function in functions { texts.formUnion(program.textArguments[function]?[position] ?? []) }
        }
    }

    /// A rule the run evaluates on nothing (see ``RunSubjects``), described but not compiled.
    convenience init(evaluatingNothing policy: Policy, params: CELValue) {
        self.init(policy: policy, params: params, variables: [], conditions: [], validations: [])
    }

    /// For each variable, whether it reads only `bindings` and variables that do too, and
    /// `qualifies` (see `isRunConstant`). (A `forEach` element cannot hide what they read: the
    /// compiler rejects an element named like a binding.)
    private static func variables(
        _ variables: [Variable], readingOnly bindings: [PolicyBinding], where qualifies: (Variable) -> Bool = { _ in true }
    ) -> [Bool] {
        // Variables read only those declared before them (the compiler checks it).
        var constantNames = Set(bindings.map(\.rawValue))
        return variables.map { variable in
            let isConstant = variable.program.referencedVariables.isSubset(of: constantNames) && qualifies(variable)
            if isConstant { constantNames.insert(variable.qualifiedName) }
            return isConstant
        }
    }

    public var descriptor: RuleDescriptor { policy.descriptor }

    /// The params variable `index` reads, itself or through the variables it reads (nil: params whole).
    func paramsRead(byVariable index: Int) -> Set<String>? {
        let program = variables[index].program
        guard var read = program.fieldsRead(of: PolicyBinding.params.rawValue) else { return nil }
        for (position, variable) in variables[..<index].enumerated() where program.referencedVariables.contains(variable.qualifiedName) {
            guard let fields = paramsRead(byVariable: position) else { return nil }
            read.formUnion(fields)
        }
        return read
    }

    /// A compiled variable, which expressions reach as `variables.NAME`.
    final class Variable: Sendable {
        let name: String
        /// The name as the expressions' global reference, `variables.NAME`.
        let qualifiedName: String
        let program: CELProgram

        init(name: String, program: CELProgram) {
            self.name = name
            qualifiedName = "variables." + name
            self.program = program
        }
    }
}

/// A validation with its compiled expressions.
final class CompiledValidation: Sendable {
    let validation: Validation
    let program: CELProgram
    let forEach: CELProgram?
    let message: CELProgram?
    let path: CELProgram?
    /// Where the `forEach` element is among the declarations its expressions were compiled with.
    let elementPosition: Int?

    init(validation: Validation, program: CELProgram, forEach: CELProgram?, message: CELProgram?, path: CELProgram?, elementPosition: Int?) {
        self.validation = validation
        self.program = program
        self.forEach = forEach
        self.message = message
        self.path = path
        self.elementPosition = elementPosition
    }
}
