/// Supplies variable values during evaluation. A class: an evaluation reads it through an
/// unretained reference, where an existential of any type was copied at each variable read.
public protocol CELActivation: AnyObject {
    /// The value bound to a declared variable name (qualified names such as `a.b` included).
    func resolve(_ name: String) -> CELValue?
    /// The value of the variable `name`, declared at `position` of the declarations of the
    /// environment the expression was compiled in: an activation made for one environment can
    /// find a binding without comparing names. By default `resolve(name)`.
    func resolve(_ name: String, declaredAt position: Int) -> CELValue?
    /// Where the value of the variable `name` (declared at `position`) was read, when it is a
    /// field or an index of a map or list (a variable computed by another expression): asked
    /// only once an evaluation has failed on that value (see ``CELProgram/placeOfValue(_:costLimit:)``).
    /// By default nil.
    func placeOfValue(_ name: String, declaredAt position: Int) -> (container: CELValue, key: CELValue)?
}

extension CELActivation {
    public func resolve(_ name: String, declaredAt position: Int) -> CELValue? { resolve(name) }
    public func placeOfValue(_ name: String, declaredAt position: Int) -> (container: CELValue, key: CELValue)? { nil }
}

/// An activation backed by a dictionary.
public final class CELDictionaryActivation: CELActivation, Sendable {
    /// The bindings.
    public let values: [String: CELValue]
    /// Creates an activation from bindings.
    public init(_ values: [String: CELValue]) { self.values = values }
    public func resolve(_ name: String) -> CELValue? { values[name] }
}

/// Thrown internally to abort evaluation when the cost budget is exhausted.
struct EvalAbort: Error {
    let message: String
}

/// Per-evaluation state: the activation, comprehension locals and the cost meter, all in memory
/// the caller (`CELProgram.evaluateWithCost`) owns for the evaluation, so that an evaluation
/// allocates nothing of its own. A context holds only addresses and numbers: passing it to every
/// node costs no reference counting.
struct EvalContext {
    /// Unretained: the caller holds the activation for the evaluation.
    private unowned(unsafe) let activation: any CELActivation
    /// The comprehension and `cel.bind` variables by slot: a plain buffer, so that reading one
    /// costs no exclusivity or uniqueness check.
    let locals: UnsafeMutableBufferPointer<CELValue>
    /// Values of shared subexpressions by memo slot, valid where `isMemoized` says so.
    let memo: UnsafeMutableBufferPointer<CELValue>
    let isMemoized: UnsafeMutableBufferPointer<Bool>
    private let spent: UnsafeMutablePointer<Int>
    private let limit: Int

    /// Initializes the locals (the first `localSlots` of `values`) to null, `isMemoized` to false
    /// and `spent` to zero; a memo slot (the rest of `values`) is initialized when its value is
    /// kept (see ``keep(_:inMemoSlot:)``), and ``deinitializeValues()`` deinitializes what was.
    /// All must outlive the context.
    init(
        activation: any CELActivation, values: UnsafeMutableBufferPointer<CELValue>, localSlots: Int,
        isMemoized: UnsafeMutableBufferPointer<Bool>, spent: UnsafeMutablePointer<Int>, limit: Int?
    ) {
        self.activation = activation
        isMemoized.initialize(repeating: false)
        spent.initialize(to: 0)
        locals = UnsafeMutableBufferPointer(rebasing: values[..<localSlots])
        memo = UnsafeMutableBufferPointer(rebasing: values[localSlots...])
        locals.initialize(repeating: .null)
        self.isMemoized = isMemoized
        self.spent = spent
        self.limit = limit ?? Int.max
    }

    /// Keeps `value` as the value of memo slot `slot`, which holds none yet.
    func keep(_ value: CELValue, inMemoSlot slot: Int) {
        (memo.baseAddress! + slot).initialize(to: value)
        isMemoized[slot] = true
    }

    /// Forgets the value of memo slot `slot`, if it holds one (a comprehension's iteration
    /// starts without the values that depend on its variables).
    func forget(memoSlot slot: Int) {
        guard isMemoized[slot] else { return }
        isMemoized[slot] = false
        _ = (memo.baseAddress! + slot).move()
    }

    /// Deinitializes the locals and the memo slots that hold a value, at the evaluation's end.
    func deinitializeValues() {
        locals.destroyValues(count: locals.count)
        for slot in 0..<memo.count where isMemoized[slot] { _ = (memo.baseAddress! + slot).move() }
    }

    /// The cost spent so far.
    var cost: Int { spent.pointee }

    /// The activation's value of a declared name (see ``CELActivation/resolve(_:declaredAt:)``).
    func resolve(_ name: String, declaredAt position: Int) -> CELValue? {
        activation.resolve(name, declaredAt: position)
    }

    /// The activation's place of a declared name's value (see ``CELActivation/placeOfValue(_:declaredAt:)``).
    func placeOfValue(_ name: String, declaredAt position: Int) -> (container: CELValue, key: CELValue)? {
        activation.placeOfValue(name, declaredAt: position)
    }

    @inline(__always)
    func charge(_ n: Int) throws(EvalAbort) {
        spent.pointee &+= n
        if spent.pointee > limit { throw EvalAbort(message: "cost limit exceeded") }
    }
}

extension UnsafeMutableBufferPointer where Element == CELValue {
    /// Deinitializes the first `count` values one by one. `deinitialize()` goes through the
    /// runtime's generic array destruction, which costs several times more for the few values
    /// of a call's arguments or an evaluation's slots.
    func destroyValues(count: Int) {
        for index in 0..<count { _ = (baseAddress! + index).move() }
    }
}
