import CEL

/// The bindings of one policy evaluated on one subject. The common bindings are stored fields
/// (no dictionary built per evaluation), and each of the policy's variables, which expressions
/// read as the qualified name `variables.NAME`, is evaluated the first time it is read and then
/// kept for the rest of this subject. Confined to one thread, which reuses it for one (policy,
/// subject) pair after the other (see ``start(_:bindings:shared:)``): an evaluation then
/// allocates no activation and no array of variable values.
final class PolicyActivation: CELActivation, @unchecked Sendable {
    /// What every policy sees; `others` holds the artifact bindings (`package`, `bundle`, ...).
    struct Bindings {
        var object: CELValue = .null
        var namespaceObject: CELValue = .null
        var params: CELValue = .null
        var tier: CELValue = .null
        var values: CELValue = .null
        /// The synthetic admission request: bound for ValidatingAdmissionPolicies only.
        var request: CELValue?
        var others: [String: CELValue] = [:]
    }

    private var bindings = Bindings()
    /// The current element of a `forEach` validation, under its `as` name and its position among
    /// the declarations of the validation's expressions (-1 when none is bound). Three fields
    /// rather than an optional tuple, which each read copied whole, its name included.
    private var elementName = ""
    private var elementPosition = -1
    private var elementValue = CELValue.null
    /// The policy being evaluated, unretained (the engine holds its policies for the run): a
    /// retain of an object that every thread reads, once per variable evaluated, made the cores
    /// contend for its reference count. Read through ``reading(_:)``.
    private var policy: Unmanaged<CompiledPolicy>?
    private var variableCount = 0
    /// Each variable's value once read, by the variable's position.
    private var variableValues: [CELValue?] = []
    /// Where the variables shared with other policies evaluated on this object keep their values.
    private var shared: SharedVariables.Access?
    /// The current policy's position in the engine, and the values of each policy's run-constant
    /// variables (see `CompiledPolicy.isRunConstant`) by that position, kept from one subject to
    /// the next.
    private var policyIndex = 0
    private var runConstants: [[CELValue?]] = []
    /// The values of variables that read nothing of the object directly, by what they read (see
    /// `KeyedVariables`), shared by the activations of one run; with each variable's reads.
    private let keyed: KeyedVariables?
    /// The keyed variables (policy position, variable position) one of whose evaluations here
    /// cost `KeyedVariables.keyingCost` or more: only those are keyed.
    private var costlyVariables: Set<KeyedVariables.VariableID> = []
    private let costLimit: Int

    /// `runConstants`: the values of run-constant variables already computed, by policy position
    /// (see ``computeRunConstants()``); `keyed`: where values of keyed variables are kept.
    init(costLimit: Int, runConstants: [[CELValue?]] = [], keyed: KeyedVariables? = nil) {
        self.costLimit = costLimit
        self.runConstants = runConstants
        self.keyed = keyed
    }

    /// Starts the evaluation of `policy` (the `index`th of the engine) on `bindings`: what the
    /// previous one bound or computed is forgotten, and its storage reused, except the values of
    /// run-constant variables. One activation serves one engine, whose bindings other than the
    /// subject's are the same for every subject.
    func start(_ policy: CompiledPolicy, index: Int, bindings: consuming Bindings, shared: consuming SharedVariables.Access?) {
        self.bindings = consume bindings
        unbindElement()
        policyIndex = index
        if runConstants.count <= index { runConstants += repeatElement([], count: index + 1 - runConstants.count) }
        if runConstants[index].isEmpty { runConstants[index] = Array(repeating: nil, count: policy.variables.count) }
        // The previous policy's values are cleared in place (`removeAll(keepingCapacity:)` releases
        // through the runtime's generic destruction, several times dearer for optional values);
        // past its variables, every value is nil already.
        for index in 0..<variableCount { variableValues[index] = nil }
        self.policy = .passUnretained(policy)
        variableCount = policy.variables.count
        if variableValues.count < variableCount {
            variableValues.append(contentsOf: repeatElement(nil, count: variableCount - variableValues.count))
        }
        self.shared = consume shared
    }

    /// Binds the current element of a `forEach` validation.
    func bind(_ name: String, declaredAt position: Int, to value: CELValue) {
        (elementName, elementPosition, elementValue) = (name, position, value)
    }

    /// Ends a `forEach` validation: its element is bound no more.
    func unbindElement() {
        (elementName, elementPosition, elementValue) = ("", -1, .null)
    }

    func resolve(_ name: String) -> CELValue? {
        if elementPosition >= 0, elementName == name { return elementValue }
        if let binding = PolicyBinding(rawValue: name) { return value(of: binding) }
        if let index = reading({ $0.variables.firstIndex { $0.qualifiedName == name } }) { return variable(at: index) }
        return nil
    }

    /// Positions follow the order of `PolicyCompiler`'s declarations: the bindings, then the
    /// variables, then the `forEach` element.
    func resolve(_ name: String, declaredAt position: Int) -> CELValue? {
        if position == elementPosition { return elementValue }
        if position < PolicyBinding.allCases.count { return value(of: PolicyBinding.allCases[position]) }
        let index = position - PolicyBinding.allCases.count
        return index < variableCount ? variable(at: index) : nil
    }

    /// Where a variable's value was read from the bindings, found by its expression (see
    /// ``CELProgram/placeOfValue(_:costLimit:)``): an error on a value of the wrong type that a
    /// variable passes on (`'k' in variables.labels`) points at where the value is written.
    func placeOfValue(_ name: String, declaredAt position: Int) -> (container: CELValue, key: CELValue)? {
        let index = position - PolicyBinding.allCases.count
        guard index >= 0, index < variableCount else { return nil }
        return reading { $0.variables[index].program }.placeOfValue(self, costLimit: costLimit)
    }

    private func value(of binding: PolicyBinding) -> CELValue? {
        switch binding {
        case .object: return bindings.object
        case .namespaceObject: return bindings.namespaceObject
        case .params: return bindings.params
        case .tier: return bindings.tier
        case .values: return bindings.values
        case .request: return bindings.request
        case .oldObject: return .null
        case .variables: return nil  // Read only as `variables.NAME` (the compiler refuses the rest).
        case .package, .bundle, .registry: return bindings.others[binding.rawValue]
        }
    }

    /// The variable at `index`, evaluated on first use in this activation.
    private func variable(at index: Int) -> CELValue {
        if let value = variableValues[index] { return value }
        if reading({ $0.isRunConstant[index] }) {
            if let value = runConstants[policyIndex][index] { return value }
            let value = named(evaluateVariable(at: index).value, at: index)
            runConstants[policyIndex][index] = value
            variableValues[index] = value
            return value
        }
        // A shared value is kept as evaluated: each policy names its errors after its own variable.
        let slot = shared?.slots[index]
        let evaluated: CELValue
        if let slot, let value = shared?.values[slot] {
            evaluated = value
        } else {
            evaluated = evaluateKeyed(at: index)
            if let slot { shared?.values[slot] = evaluated }
        }
        var value = evaluated
        if case .error = evaluated { value = named(evaluated, at: index) }
        variableValues[index] = value
        return value
    }

    /// The variable at `index` evaluated, or, for a keyed variable, its value from an earlier
    /// subject whose variables it reads had the same values.
    private func evaluateKeyed(at index: Int) -> CELValue {
        guard reading({ $0.isKeyed[index] }), let keyed else { return evaluateVariable(at: index).value }
        let variable = KeyedVariables.VariableID(policy: policyIndex, variable: index)
        // Keying costs more than evaluating a cheap variable again: a variable is keyed from its
        // first costly evaluation on.
        guard costlyVariables.contains(variable) else {
            let (value, cost) = evaluateVariable(at: index)
            if cost >= KeyedVariables.keyingCost {
                costlyVariables.insert(variable)
                if let key = key(of: index) { keyed[key] = value }
            }
            return value
        }
        guard let key = key(of: index) else { return evaluateVariable(at: index).value }
        if let known = keyed[key] { return known }
        let value = evaluateVariable(at: index).value
        keyed[key] = value
        return value
    }

    /// What keyed variable `index` depends on here, nil when that is not made of scalars.
    private func key(of index: Int) -> KeyedVariables.Key? {
        var inputs: [KeyedVariables.Input] = []
        var visited = VisitedVariables()
        guard collectInputs(of: index, into: &inputs, visited: &visited) else { return nil }
        return KeyedVariables.Key(variable: KeyedVariables.VariableID(policy: policyIndex, variable: index), inputs: inputs)
    }

    /// Adds what keyed variable `index` depends on to `inputs`: for each variable it reads, what
    /// that one depends on when it is keyed in turn (so that it need not be evaluated), else its
    /// value; false when that is no scalar. `visited`: the variables already accounted for, each
    /// once however many paths lead to it.
    private func collectInputs(of index: Int, into inputs: inout [KeyedVariables.Input], visited: inout VisitedVariables) -> Bool {
        guard let dependencies = reading({ $0.keyedDependencies[index] }) else { return false }
        for dependency in dependencies where !reading({ $0.isRunConstant[dependency] }) && !visited.contains(dependency) {
            let (inputsBefore, mark) = (inputs.count, visited.mark)
            visited.insert(dependency)
            if reading({ $0.isKeyed[dependency] }), collectInputs(of: dependency, into: &inputs, visited: &visited) { continue }
            // Its value instead: what the attempt added is taken back.
            visited.undo(to: mark + 1)
            inputs.removeSubrange(inputsBefore...)
            guard let input = KeyedVariables.input(dependency, variable(at: dependency)) else { return false }
            inputs.append(input)
        }
        return true
    }

    /// The variables `collectInputs` has accounted for, in order, so that an attempt can be taken back.
    private struct VisitedVariables {
        private var set: Set<Int> = []
        private var order: [Int] = []

        var mark: Int { order.count }

        func contains(_ variable: Int) -> Bool { set.contains(variable) }

        mutating func insert(_ variable: Int) {
            set.insert(variable)
            order.append(variable)
        }

        /// Forgets the variables inserted after the first `count`.
        mutating func undo(to count: Int) {
            for variable in order[count...] { set.remove(variable) }
            order.removeSubrange(count...)
        }
    }

    /// `value`, an error of the variable's own expression naming it (`variables.NAME: ...`); one
    /// it passes on from another variable keeps that one's name.
    private func named(_ value: CELValue, at index: Int) -> CELValue {
        guard case .error(var error) = value, !error.message.hasPrefix("variables.") else { return value }
        error.message = "variables.\(reading { $0.variables[index].name }): " + error.message
        return .error(error)
    }

    /// Computes every run-constant variable of the current policy: their values by variable
    /// position, nil for the other variables.
    func computeRunConstants() -> [CELValue?] {
        for index in 0..<variableCount where reading({ $0.isRunConstant[index] }) { _ = variable(at: index) }
        return runConstants[policyIndex]
    }

    /// Evaluates a variable, with the cost it took. (Variables read only variables declared
    /// before them, in chains the compiler limits, so evaluations nest no deeper than that.)
    private func evaluateVariable(at index: Int) -> (value: CELValue, cost: Int) {
        reading { $0.variablePrograms[index] }._withUnsafeGuaranteedRef { $0.evaluateWithCost(self, costLimit: costLimit) }
    }

    /// `body` of the current policy, which is not retained for it.
    @inline(__always)
    private func reading<Result>(_ body: (CompiledPolicy) -> Result) -> Result {
        policy!._withUnsafeGuaranteedRef(body)
    }
}

/// The names every policy expression may read, in the order `PolicyCompiler` declares them.
enum PolicyBinding: String, CaseIterable {
    case object, oldObject, namespaceObject, params, variables, tier, values, request, package, bundle, registry
}
