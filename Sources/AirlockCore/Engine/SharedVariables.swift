import CEL

/// Variables that several policies define with the same expression of the object (most workload
/// policies start with `podSpec(object)` and `containers(object)`): each is evaluated once per
/// object and its value shared by those policies. The value is the same whoever evaluates it,
/// because an expression's result depends only on the bindings it reads: those that are the same
/// for every policy evaluated on one object, params when the policies' params are equal, and other
/// variables when theirs are shared in turn (`variables.containers.filter(...)`).
struct SharedVariables: Sendable {
    /// Bindings that do not depend on the policy.
    private static let objectBindings = Set([PolicyBinding.object, .namespaceObject, .tier, .values].map(\.rawValue))

    /// For each policy, for each of its variables, its slot among the shared values (nil when it is
    /// its own).
    let slots: [[Int?]]
    private let count: Int

    init(_ policies: [CompiledPolicy]) {
        let keys = policies.map(Self.sharingKeys(of:))
        var policiesByKey: [String: Set<Int>] = [:]
        for (index, policyKeys) in keys.enumerated() {
            for case let key? in policyKeys { policiesByKey[key, default: []].insert(index) }
        }
        let sharedKeys = policiesByKey.filter { $0.value.count > 1 }.keys.sorted()
        let slotByKey = Dictionary(uniqueKeysWithValues: sharedKeys.enumerated().map { ($1, $0) })
        slots = keys.map { policyKeys in policyKeys.map { key in key.flatMap { slotByKey[$0] } } }
        count = sharedKeys.count
    }

    /// For each variable of `policy`, what decides whether another policy's variable has the same
    /// value on the same object: its expression, followed by the policy's params when it reads
    /// them and by the keys of the variables it reads; nil when it reads a variable that cannot be
    /// shared. (Variables never see a `forEach` element: none may be named like a binding.)
    private static func sharingKeys(of policy: CompiledPolicy) -> [String?] {
        let positions = Dictionary(policy.variables.enumerated().map { ($1.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })
        var keys: [Int: String?] = [:]
        func key(_ index: Int, reading: Set<Int>) -> String? {
            if let known = keys[index] { return known }
            let program = policy.variables[index].program
            var text = program.source.text
            for name in program.referencedVariables.sorted() where !objectBindings.contains(name) {
                if name == PolicyBinding.params.rawValue {
                    text += "\u{0}params=\(policy.params)"
                    continue
                }
                guard let position = positions[name], !reading.contains(position),
                    let read = key(position, reading: reading.union([index]))
                else {
                    keys[index] = .some(nil)
                    return nil
                }
                text += "\u{0}\(name)=\(read)"
            }
            keys[index] = text
            return text
        }
        return policy.variables.indices.map { key($0, reading: []) }
    }

    /// Empty storage for the shared values of one object.
    func values() -> Values { Values(count: count) }

    /// What one policy evaluated on one object reaches: its variables' slots, and the object's values.
    struct Access {
        let slots: [Int?]
        let values: Values
    }

    /// The shared values of one object, filled as policies read them; confined to the thread
    /// evaluating that object.
    final class Values {
        private var values: [CELValue?]

        init(count: Int) { values = Array(repeating: nil, count: count) }

        subscript(slot: Int) -> CELValue? {
            get { values[slot] }
            set { values[slot] = newValue }
        }
    }
}
