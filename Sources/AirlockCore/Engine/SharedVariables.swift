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
    /// shared, or when the policy binds `object` to another view of it (``PodTemplateView``). (Variables never see a `forEach` element: none may be named like a binding.)
    private static func sharingKeys(of policy: CompiledPolicy) -> [String?] {
        // A policy that reads a pod controller's template as its `object` reads another object.
        guard policy.policy.podTemplateControllers.isEmpty else { return policy.variables.map { _ in nil } }
        let positions = Dictionary(policy.variables.enumerated().map { ($1.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })
        var keys: [Int: String?] = [:]
        func key(_ index: Int, reading: Set<Int>) -> String? {
            if let known = keys[index] { return known }
            let program = policy.variables[index].program
            var text = program.source.text
            for name in program.referencedVariables.sorted() where !objectBindings.contains(name) {
                if name == PolicyBinding.params.rawValue, let params = Self.exactText(policy.params) {
                    text += "\u{0}params=\(params)"
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

    /// A text that two values share only when every expression reads them alike: of equal type
    /// as well as value (params `1` and `1.0` are equal in CEL, but `type(params.p)` tells them
    /// apart, and so does `string()` for `0.0` and `-0.0`); nil for a value it cannot render so
    /// (an opaque host value), which is then no key for sharing.
    static func exactText(_ value: CELValue) -> String? {
        switch value {
        case .null, .bool, .string, .type, .duration, .timestamp, .error: return "\(value.celType.name):\(value)"
        case .bytes(let bytes): return "bytes:" + bytes.map { String($0, radix: 16) }.joined(separator: ".")
        case .int(let int): return "int:\(int)"
        case .uint(let uint): return "uint:\(uint)"
        case .double(let double): return "double:\(double.bitPattern)"
        case .optional(nil): return "optional:none"
        case .optional(let wrapped?): return exactText(wrapped).map { "optional:\($0)" }
        case .list(let list):
            var parts: [String] = []
            for element in list.elements {
                guard let part = exactText(element) else { return nil }
                parts.append(part)
            }
            return "list:[" + parts.joined(separator: ",") + "]"
        case .map(let map):
            var parts: [String] = []
            for key in map.keys {
                guard let keyText = exactText(key), let valueText = exactText(map.value(forKey: key) ?? .null) else { return nil }
                parts.append(keyText + "=" + valueText)
            }
            // In order: expressions that iterate over the map see its order.
            return "map:{" + parts.joined(separator: ",") + "}"
        case .opaque: return nil
        }
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
        /// Released value by value: an array of optional values is released through the
        /// runtime's generic destruction, which cost more than the values (one per object).
        private let values: UnsafeMutableBufferPointer<CELValue?>

        init(count: Int) {
            values = .allocate(capacity: count)
            values.initialize(repeating: nil)
        }

        deinit {
            for index in values.indices { _ = (values.baseAddress! + index).move() }
            values.deallocate()
        }

        subscript(slot: Int) -> CELValue? {
            get { values[slot] }
            set { values[slot] = newValue }
        }
    }
}
