import CEL

/// Variables that several policies define with the same expression of the object alone (most
/// workload policies start with `podSpec(object)` and `containers(object)`): each is evaluated
/// once per object and its value shared by those policies. The value is the same whoever
/// evaluates it, because an expression's result depends only on the bindings it reads, and these
/// read only bindings that are the same for every policy evaluated on one object.
struct SharedVariables: Sendable {
    /// Bindings that do not depend on the policy.
    private static let objectBindings = Set([PolicyBinding.object, .namespaceObject, .tier, .values].map(\.rawValue))

    /// For each policy, for each of its variables, its slot among the shared values (nil when it is
    /// its own).
    let slots: [[Int?]]
    private let count: Int

    init(_ policies: [CompiledPolicy]) {
        var policiesBySource: [String: Set<Int>] = [:]
        for (index, policy) in policies.enumerated() where Self.canShare(policy) {
            for variable in policy.variables where Self.readsOnlyTheObject(variable) {
                policiesBySource[variable.program.source.text, default: []].insert(index)
            }
        }
        let sharedSources = policiesBySource.filter { $0.value.count > 1 }.keys.sorted()
        let slotBySource = Dictionary(uniqueKeysWithValues: sharedSources.enumerated().map { ($1, $0) })
        slots = policies.map { policy in
            policy.variables.map { variable in
                Self.canShare(policy) && Self.readsOnlyTheObject(variable) ? slotBySource[variable.program.source.text] : nil
            }
        }
        count = sharedSources.count
    }

    private static func readsOnlyTheObject(_ variable: CompiledPolicy.Variable) -> Bool {
        variable.program.referencedVariables.isSubset(of: objectBindings)
    }

    /// A `forEach` element named like one of those bindings hides it while the element is
    /// checked, variables included; such a policy keeps its variables to itself.
    private static func canShare(_ policy: CompiledPolicy) -> Bool {
        !policy.validations.contains { $0.forEach != nil && objectBindings.contains($0.validation.forEachName) }
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
