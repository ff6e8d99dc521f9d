import Foundation

/// Long-lived threads with 16 MiB stacks, one per core, that run the compilations of the process.
/// Starting a thread per expression cost more than compiling it (a pack has hundreds), and one
/// thread per core lets callers compile policies in parallel.
final class CompilerThread: @unchecked Sendable {
    /// The pool: `run` takes whichever thread is free.
    private static let pool = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in CompilerThread() }
    private static let free = DispatchSemaphore(value: pool.count)
    private static let poolLock = NSLock()
    private nonisolated(unsafe) static var idle = Array(pool.indices)

    private let jobReady = DispatchSemaphore(value: 0)
    private let jobDone = DispatchSemaphore(value: 0)
    /// Set by the caller that holds this thread before `jobReady`, read by the thread after it.
    private var job: (() -> Void)?

    private init() {
        let thread = Thread { [self] in
            while true {
                jobReady.wait()
                job?()
                jobDone.signal()
            }
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Runs `body` on a free compiler thread and returns when it has finished.
    static func run(_ body: () -> Void) {
        free.wait()
        let index = poolLock.withLock { idle.removeLast() }
        defer {
            poolLock.withLock { idle.append(index) }
            free.signal()
        }
        let worker = pool[index]
        withoutActuallyEscaping(body) { escapable in
            worker.job = escapable
            worker.jobReady.signal()
            worker.jobDone.wait()
            worker.job = nil
        }
    }
}
