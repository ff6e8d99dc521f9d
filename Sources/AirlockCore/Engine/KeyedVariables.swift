import CEL
import Foundation

/// Values of variables that look across the inputs (`resources('LimitRange', variables.ns)`)
/// reading no binding of the object, only params, values, tier and other variables: such a
/// variable's value depends only on the values it reads, so objects that give those the same
/// scalar values (the namespace, a flag) share one evaluation, and a namespace of many objects
/// does not scan its LimitRanges once per object. Variables computed from those are keyed too.
/// Shared by every worker of one run; its values are immutable.
final class KeyedVariables: @unchecked Sendable {
    /// A variable (its position) of a policy (its position in the engine).
    struct VariableID: Hashable {
        var policy: Int
        var variable: Int
    }

    /// One variable of one policy, with the scalar values it depends on.
    struct Key: Hashable {
        var variable: VariableID
        var inputs: [Input]
    }

    /// The cost (in CEL cost units) of one evaluation of a variable from which it is keyed.
    static let keyingCost = 1_000

    /// A scalar a keyed variable depends on: a variable's position and its value.
    struct Input: Hashable {
        var variable: Int
        var value: Scalar
    }

    /// A scalar value, of its own type: `1`, `1u` and `true` are different inputs, as `type()`
    /// tells them apart (a double is no input: `1.0 == 1` in a map key would conflate it). A
    /// string is its UTF-8 bytes: Swift's `==` equates canonically equivalent text (`K` and the
    /// Kelvin sign), which CEL tells apart.
    enum Scalar: Hashable {
        case null
        case bool(Bool)
        case int(Int64)
        case uint(UInt64)
        case string([UInt8])
    }

    private let lock = NSLock()
    private var values: [Key: CELValue] = [:]

    subscript(key: Key) -> CELValue? {
        get { lock.withLock { values[key] } }
        set { lock.withLock { values[key] = newValue } }
    }

    /// The scalar `value` as an input, nil when it is no scalar (a list, a map, an error, ...).
    static func input(_ variable: Int, _ value: CELValue) -> Input? {
        let scalar: Scalar
        switch value {
        case .null: scalar = .null
        case .bool(let flag): scalar = .bool(flag)
        case .int(let number): scalar = .int(number)
        case .uint(let number): scalar = .uint(number)
        case .string(let text): scalar = .string(Array(text.utf8))
        default: return nil
        }
        return Input(variable: variable, value: scalar)
    }

    /// For each variable of `variables`, the variables it reads (positions) when it is keyed: it
    /// reads no binding but `constantBindings` (those the same for the whole run: `values`,
    /// `tier`, and `params` unless a binding's paramRef selects them for each object), and calls
    /// an inventory function or reads a keyed variable (run constants aside: see
    /// `isRunConstant`); nil otherwise. (Keying a variable costs more than evaluating a cheap one
    /// again.)
    static func dependencies(of variables: [CompiledPolicy.Variable], isRunConstant: [Bool], constantBindings: [PolicyBinding]) -> [[Int]?] {
        let positions = Dictionary(variables.enumerated().map { ($1.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })
        let constantBindings = Set(constantBindings.map(\.rawValue))
        var dependencies: [[Int]?] = []
        for (index, variable) in variables.enumerated() {
            var read: [Int]? = []
            for name in variable.program.referencedVariables.sorted() where !constantBindings.contains(name) {
                guard let position = positions[name], position < index else { read = nil; break }
                read?.append(position)
            }
            let looksAcross = !variable.program.calledFunctions.isDisjoint(with: InventoryFunctions.names)
                || read?.contains { dependencies[$0] != nil } == true
            dependencies.append(isRunConstant[index] || !looksAcross ? nil : read)
        }
        return dependencies
    }
}
