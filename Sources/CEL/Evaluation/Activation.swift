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
    /// Values of shared subexpressions by memo slot, valid where `isMemoized` says so.
    let memo: UnsafeMutableBufferPointer<CELValue>
    let isMemoized: UnsafeMutableBufferPointer<Bool>
    var cost: Int = 0
    let limit: Int

    init(activation: any CELActivation, localSlots: Int, sharedSlots: Int, limit: Int?) {
        self.activation = activation
        // Most expressions have no comprehension and nothing shared, hence nothing to allocate;
        // locals and memo values share one allocation.
        let values = localSlots + sharedSlots
        let storage: UnsafeMutablePointer<CELValue>? = values == 0 ? nil : .allocate(capacity: values)
        storage?.initialize(repeating: .null, count: values)
        locals = UnsafeMutableBufferPointer(start: storage, count: localSlots)
        memo = UnsafeMutableBufferPointer(start: storage.map { $0 + localSlots }, count: sharedSlots)
        let flags: UnsafeMutablePointer<Bool>? = sharedSlots == 0 ? nil : .allocate(capacity: sharedSlots)
        flags?.initialize(repeating: false, count: sharedSlots)
        isMemoized = UnsafeMutableBufferPointer(start: flags, count: sharedSlots)
        self.limit = limit ?? Int.max
    }

    deinit {
        // The start of the one allocation, even when there are no locals.
        if let storage = locals.baseAddress {
            storage.deinitialize(count: locals.count + memo.count)
            storage.deallocate()
        }
        isMemoized.baseAddress?.deallocate()
    }

    @inline(__always)
    func charge(_ n: Int) throws(EvalAbort) {
        cost &+= n
        if cost > limit { throw EvalAbort(message: "cost limit exceeded") }
    }
}
