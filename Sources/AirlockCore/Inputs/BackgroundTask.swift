import Foundation

/// A computation that runs on a thread of its own from when the task is made, while the caller
/// goes on; `value` waits for its result. For work that does not depend on what the caller does
/// next: run beside a parallel step, it takes the time the step's cores would spend idle at its
/// end rather than running on one core after it (`DispatchQueue.concurrentPerform` would not do:
/// one nested in another runs on one thread).
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    /// Written by the task's thread before `finished` is signalled, read only after waiting on it.
    private var result: Value?
    private let finished = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Value) {
        Thread { [self] in
            result = body()
            finished.signal()
        }.start()
    }

    /// The computation's result, once it has finished.
    var value: Value {
        finished.wait()
        defer { finished.signal() }
        guard let result else { preconditionFailure("the task stores its result before it signals") }
        return result
    }
}
