import Foundation

/// Fixed slots that parallel workers fill by index, so results keep input order whatever order
/// the workers finish in. Each slot is written once; the lock only guards the array itself.
public final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    public init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    public subscript(index: Int) -> Value? {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }

    /// The filled slots in order.
    public var values: [Value] { lock.withLock { storage.compactMap { $0 } } }
}
