import CEL

/// The bindings of one policy evaluated on one object. `variables` is a lazy map: each variable is
/// evaluated the first time an expression reads it, then cached for the rest of this object.
final class PolicyActivation: CELActivation, @unchecked Sendable {
    private var bindings: [String: CELValue]
    private let variables: LazyVariables

    init(bindings: [String: CELValue], policy: CompiledPolicy, costLimit: Int) {
        self.bindings = bindings
        variables = LazyVariables(programs: policy.variables, costLimit: costLimit)
        variables.activation = self
    }

    /// Binds the current element of a `forEach` validation.
    func bind(_ name: String, to value: CELValue) {
        bindings[name] = value
    }

    func resolve(_ name: String) -> CELValue? {
        if name == "variables" { return .map(CELMap(provider: variables)) }
        return bindings[name]
    }
}

/// Policy variables evaluated on first use, in the activation of the object being checked.
/// Confined to one evaluation on one thread.
private final class LazyVariables: CELMapProvider, @unchecked Sendable {
    private let programs: [(name: String, program: CELProgram)]
    private let costLimit: Int
    private var cache: [String: CELValue] = [:]
    weak var activation: PolicyActivation?

    init(programs: [(name: String, program: CELProgram)], costLimit: Int) {
        self.programs = programs
        self.costLimit = costLimit
    }

    var count: Int { programs.count }

    var keys: [CELValue] { programs.map { .string($0.name) } }

    func value(forKey key: CELValue) -> CELValue? {
        guard case .string(let name) = key else { return nil }
        if let cached = cache[name] { return cached }
        guard let activation, let program = programs.first(where: { $0.name == name })?.program else { return nil }
        let value = program.evaluate(activation, costLimit: costLimit)
        cache[name] = value
        return value
    }
}
