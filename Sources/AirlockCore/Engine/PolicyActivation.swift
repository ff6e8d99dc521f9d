import CEL

/// The bindings of one policy evaluated on one subject. The common bindings are stored fields
/// (no dictionary built per evaluation), and each of the policy's variables, which expressions
/// read as the qualified name `variables.NAME`, is evaluated the first time it is read and then
/// kept for the rest of this subject.
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

    private let bindings: Bindings
    /// The current element of a `forEach` validation, under its `as` name.
    private var element: (name: String, value: CELValue)?
    private let variables: LazyVariables

    init(bindings: Bindings, policy: CompiledPolicy, costLimit: Int) {
        self.bindings = bindings
        variables = LazyVariables(programs: policy.variables, costLimit: costLimit)
        variables.activation = self
    }

    /// Binds the current element of a `forEach` validation.
    func bind(_ name: String, to value: CELValue) {
        element = (name, value)
    }

    func resolve(_ name: String) -> CELValue? {
        if let element, element.name == name { return element.value }
        switch name {
        case "object": return bindings.object
        case "namespaceObject": return bindings.namespaceObject
        case "params": return bindings.params
        case "tier": return bindings.tier
        case "values": return bindings.values
        case "request": return bindings.request
        case "oldObject": return .null
        case "variables": return .map(CELMap(provider: variables))
        default: return variables.value(qualifiedName: name) ?? bindings.others[name]
        }
    }
}

/// Policy variables evaluated on first use, in the activation of the subject being checked.
/// Confined to one evaluation on one thread.
private final class LazyVariables: CELMapProvider, @unchecked Sendable {
    private let programs: [CompiledPolicy.Variable]
    private let costLimit: Int
    private var cache: [CELValue?]
    weak var activation: PolicyActivation?

    init(programs: [CompiledPolicy.Variable], costLimit: Int) {
        self.programs = programs
        self.costLimit = costLimit
        cache = Array(repeating: nil, count: programs.count)
    }

    var count: Int { programs.count }

    var keys: [CELValue] { programs.map { .string($0.name) } }

    func value(forKey key: CELValue) -> CELValue? {
        guard case .string(let name) = key, let index = programs.firstIndex(where: { $0.name == name }) else { return nil }
        return value(at: index)
    }

    /// The variable `variables.NAME` as the compiler resolved it.
    func value(qualifiedName: String) -> CELValue? {
        programs.firstIndex { $0.qualifiedName == qualifiedName }.flatMap(value(at:))
    }

    private func value(at index: Int) -> CELValue? {
        if let cached = cache[index] { return cached }
        guard let activation else { return nil }
        let value = programs[index].program.evaluate(activation, costLimit: costLimit)
        cache[index] = value
        return value
    }
}
