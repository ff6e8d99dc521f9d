import Foundation

/// Long-lived threads with 16 MiB stacks, one per core, that run the compilations of the process,
/// and work that compiles many expressions (`concurrentPerform`). Starting a thread per expression
/// cost more than compiling it (a pack has hundreds), and one thread per core lets callers compile
/// policies in parallel.
public final class CompilerThread: @unchecked Sendable {
    /// The pool: `run` takes whichever thread is free.
    private static let pool = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in CompilerThread() }
    private static let free = DispatchSemaphore(value: pool.count)
    private static let poolLock = NSLock()
    private nonisolated(unsafe) static var idle = Array(pool.indices)
    /// Set (to any non-null value) on the pool's own threads.
    private static let onPoolThread: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private let jobReady = DispatchSemaphore(value: 0)
    private let jobDone = DispatchSemaphore(value: 0)
    /// Set by the caller that holds this thread before `jobReady`, read by the thread after it.
    private var job: (() -> Void)?

    private init() {
        let key = Self.onPoolThread
        let thread = Thread { [self] in
            pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
            while true {
                jobReady.wait()
                job?()
                jobDone.signal()
            }
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Whether the calling thread is one of the pool's: a compilation can run on it as it is.
    static var isCurrent: Bool { pthread_getspecific(onPoolThread) != nil }

    /// Runs `body` on a free compiler thread and returns when it has finished; on a compiler
    /// thread, runs it there.
    static func run(_ body: () -> Void) {
        concurrentPerform(iterations: 1) { _ in body() }
    }

    /// Calls `body` with each of `0..<iterations`, on as many of the pool's threads as are free
    /// (at least one; on a compiler thread, on that thread alone), and returns when every call
    /// has returned. A `CELEnvironment.compile` that `body` makes runs on the thread calling it:
    /// compiling a pack's policies this way spares two thread switches per expression, which
    /// left a core idle half the time. `body` must not wait for another thread that compiles:
    /// every compiler thread may be running `body`.
    public static func concurrentPerform(iterations: Int, _ body: (Int) -> Void) {
        if isCurrent {
            for index in 0..<iterations { body(index) }
            return
        }
        guard iterations > 0 else { return }
        free.wait()
        var taken = [takeIdle()]
        while taken.count < iterations, free.wait(timeout: .now()) == .success { taken.append(takeIdle()) }
        let next = NextIndex()
        withoutActuallyEscaping(body) { body in
            let drain = {
                while let index = next.take(below: iterations) { body(index) }
            }
            for index in taken { pool[index].start(drain) }
            for index in taken { pool[index].finish() }
        }
        poolLock.withLock { idle += taken }
        for _ in taken { free.signal() }
    }

    /// The position in `pool` of an idle thread; the caller has taken one count of `free`.
    private static func takeIdle() -> Int {
        poolLock.withLock { idle.removeLast() }
    }

    /// The iterations handed out so far.
    private final class NextIndex: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0

        func take(below end: Int) -> Int? {
            lock.withLock {
                guard next < end else { return nil }
                defer { next += 1 }
                return next
            }
        }
    }

    /// Hands `job` to the thread; `finish` waits for it. `job` must stay valid until then.
    private func start(_ job: @escaping () -> Void) {
        self.job = job
        jobReady.signal()
    }

    private func finish() {
        jobDone.wait()
        job = nil
    }
}
