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

/// Mutable per-evaluation state: the activation, comprehension locals and the cost meter. The
/// slot buffers belong to the caller (`CELProgram.evaluateWithCost`), which keeps them for the
/// evaluation and deinitializes them after it.
final class EvalContext {
    let activation: any CELActivation
    /// The comprehension and `cel.bind` variables by slot: a plain buffer, so that reading one
    /// costs no exclusivity or uniqueness check.
    let locals: UnsafeMutableBufferPointer<CELValue>
    /// Values of shared subexpressions by memo slot, valid where `isMemoized` says so.
    let memo: UnsafeMutableBufferPointer<CELValue>
    let isMemoized: UnsafeMutableBufferPointer<Bool>
    var cost: Int = 0
    let limit: Int

    /// Initializes `values` (the locals, then the memo slots) to null and `isMemoized` to false.
    init(activation: any CELActivation, values: UnsafeMutableBufferPointer<CELValue>, localSlots: Int, isMemoized: UnsafeMutableBufferPointer<Bool>, limit: Int?) {
        self.activation = activation
        values.initialize(repeating: .null)
        isMemoized.initialize(repeating: false)
        locals = UnsafeMutableBufferPointer(rebasing: values[..<localSlots])
        memo = UnsafeMutableBufferPointer(rebasing: values[localSlots...])
        self.isMemoized = isMemoized
        self.limit = limit ?? Int.max
    }

    @inline(__always)
    func charge(_ n: Int) throws(EvalAbort) {
        cost &+= n
        if cost > limit { throw EvalAbort(message: "cost limit exceeded") }
    }
}
