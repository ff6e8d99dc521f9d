#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Stops the process cleanly on SIGINT and SIGTERM: the report temp files being written, if any,
/// are unlinked and the process exits 128 + the signal number (130, 143), so an interrupted run
/// never passes and never leaves a partial report behind.
///
/// The handler uses only async-signal-safe calls (`unlink`, `_exit`) and reads paths stored in
/// memory allocated once up front, one slot per report written at the same time; `AtomicFile`
/// registers its temp path before creating the file and clears it after the rename.
enum SignalCleanup {
    /// Longest temp path that can be tracked; longer paths are refused before any file exists.
    static let capacity = 4096
    /// Temp files that can be tracked at once.
    static let slots = 64

    /// One NUL-terminated path per slot, `capacity` bytes each; an empty string is a free slot.
    private nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * slots)
        buffer.initialize(repeating: 0, count: capacity * slots)
        return buffer
    }()

    /// Slots handed out to writers (guarded by `lock`; the handler never reads it).
    private nonisolated(unsafe) static var claimed = [Bool](repeating: false, count: slots)
    private static let lock = NSLock()

    /// Installs the handlers for SIGINT and SIGTERM (idempotent).
    static func install() {
        _ = paths
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = SignalCleanup.handle
            #else
            action.__sigaction_u.__sa_handler = SignalCleanup.handle
            #endif
            sigemptyset(&action.sa_mask)
            sigaddset(&action.sa_mask, SIGINT)
            sigaddset(&action.sa_mask, SIGTERM)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Records `temporary` as a file to remove on a signal; returns its slot, or nil when the
    /// path is too long or every slot is taken.
    static func track(_ temporary: String) -> Int? {
        let bytes = Array(temporary.utf8)
        guard bytes.count < capacity, !bytes.contains(0), let first = bytes.first else { return nil }
        let slot: Int? = lock.withLock {
            guard let free = claimed.firstIndex(of: false) else { return nil }
            claimed[free] = true
            return free
        }
        guard let slot else { return nil }
        let path = paths + slot * capacity
        // The first byte goes in last: the handler (perhaps on another thread) acts only on a
        // non-empty path, and the previous `untrack` left it empty.
        withSignalsBlocked {
            for index in bytes.indices.dropFirst() { path[index] = CChar(bitPattern: bytes[index]) }
            path[bytes.count] = 0
        }
        withSignalsBlocked { path[0] = CChar(bitPattern: first) }
        return slot
    }

    /// Forgets the temp file of `slot` (after it was renamed into place or removed).
    static func untrack(_ slot: Int) {
        withSignalsBlocked { paths[slot * capacity] = 0 }
        lock.withLock { claimed[slot] = false }
    }

    /// Runs `body` with SIGINT and SIGTERM blocked, so the handler never sees a half-written path.
    private static func withSignalsBlocked(_ body: () -> Void) {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGINT)
        sigaddset(&blocked, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        body()
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    private static let handle: @convention(c) (Int32) -> Void = { signalNumber in
        for slot in 0..<SignalCleanup.slots {
            let path = SignalCleanup.paths + slot * SignalCleanup.capacity
            if path[0] != 0 { unlink(path) }
        }
        _exit(128 + signalNumber)
    }
}
