/// Supplies variable values during evaluation.
public protocol CELActivation {
    /// The value bound to a declared variable name (qualified names such as `a.b` included).
    func resolve(_ name: String) -> CELValue?
}

/// An activation backed by a dictionary.
public struct CELDictionaryActivation: CELActivation, Sendable {
    /// The bindings.
    public var values: [String: CELValue]
    /// Creates an activation from bindings.
    public init(_ values: [String: CELValue]) { self.values = values }
    public func resolve(_ name: String) -> CELValue? { values[name] }
}

/// Thrown internally to abort evaluation when the cost budget is exhausted.
struct EvalAbort: Error {
    let message: String
}

/// Mutable per-evaluation state: the activation, comprehension locals and the cost meter.
final class EvalContext {
    let activation: any CELActivation
    var locals: [CELValue]
    var cost: Int = 0
    let limit: Int

    init(activation: any CELActivation, localSlots: Int, limit: Int?) {
        self.activation = activation
        self.locals = Array(repeating: .null, count: localSlots)
        self.limit = limit ?? Int.max
    }

    @inline(__always)
    func charge(_ n: Int) throws(EvalAbort) {
        cost &+= n
        if cost > limit { throw EvalAbort(message: "cost limit exceeded") }
    }
}
