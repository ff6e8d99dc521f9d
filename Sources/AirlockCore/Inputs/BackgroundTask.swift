import Foundation

/// A computation that runs on a thread of its own from when the task is made, while the caller
/// goes on; `value` waits for its result. For work that does not depend on what the caller does
/// next: run beside a parallel step, it takes the time the step's cores would spend idle at its
/// end rather than running on one core after it (`DispatchQueue.concurrentPerform` would not do:
/// one nested in another runs on one thread).
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    /// Guards `result`, which the task's thread sets once.
    private let finished = NSCondition()
    private var result: Value?

    init(_ body: @escaping @Sendable () -> Value) {
        Thread { [self] in
            let value = body()
            finished.lock()
            result = value
            finished.broadcast()
            finished.unlock()
        }.start()
    }

    /// The computation's result, once it has finished.
    var value: Value {
        finished.lock()
        defer { finished.unlock() }
        while true {
            if let result { return result }
            finished.wait()
        }
    }
}
