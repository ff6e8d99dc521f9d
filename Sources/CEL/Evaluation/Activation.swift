/// Supplies variable values during evaluation.
public protocol CELActivation {
    /// The value bound to a declared variable name (qualified names such as `a.b` included).
    func resolve(_ name: String) -> CELValue?
    /// The value of the variable `name`, declared at `position` of the declarations of the
    /// environment the expression was compiled in: an activation made for one environment can
    /// find a binding without comparing names. By default `resolve(name)`.
    func resolve(_ name: String, declaredAt position: Int) -> CELValue?
}

extension CELActivation {
    public func resolve(_ name: String, declaredAt position: Int) -> CELValue? { resolve(name) }
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
    /// The comprehension and `cel.bind` variables by slot: a plain buffer, so that reading one
    /// costs no exclusivity or uniqueness check.
    let locals: UnsafeMutableBufferPointer<CELValue>
    var cost: Int = 0
    let limit: Int

    init(activation: any CELActivation, localSlots: Int, limit: Int?) {
        self.activation = activation
        // Most expressions have no comprehension, hence no locals and nothing to allocate.
        locals = localSlots == 0 ? UnsafeMutableBufferPointer(start: nil, count: 0) : .allocate(capacity: localSlots)
        locals.initialize(repeating: .null)
        self.limit = limit ?? Int.max
    }

    deinit {
        locals.deinitialize()
        if locals.baseAddress != nil { locals.deallocate() }
    }

    @inline(__always)
    func charge(_ n: Int) throws(EvalAbort) {
        cost &+= n
        if cost > limit { throw EvalAbort(message: "cost limit exceeded") }
    }
}
