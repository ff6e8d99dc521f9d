#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the process cleanly on SIGINT and SIGTERM: the report temp file being written, if any,
/// is unlinked and the process exits 128 + the signal number (130, 143), so an interrupted run
/// never passes and never leaves a partial report behind.
///
/// The handler uses only async-signal-safe calls (`unlink`, `_exit`) and reads a path stored in
/// memory allocated once up front; `AtomicFile` registers its temp path before creating the file
/// and clears it after the rename.
enum SignalCleanup {
    /// Longest temp path that can be tracked; longer paths are refused before any file exists.
    static let capacity = 4096

    /// NUL-terminated path of the temp file being written, or an empty string.
    private nonisolated(unsafe) static let path: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        return buffer
    }()

    /// Installs the handlers for SIGINT and SIGTERM (idempotent).
    static func install() {
        _ = path
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

    /// Records `temporary` as the file to remove on a signal; false when the path is too long.
    static func track(_ temporary: String) -> Bool {
        let bytes = Array(temporary.utf8)
        guard bytes.count < capacity, !bytes.contains(0) else { return false }
        guard let first = bytes.first else { return false }
        // The first byte goes in last: the handler (perhaps on another thread) acts only on a
        // non-empty path, and the previous `untrack` left it empty.
        withSignalsBlocked {
            for index in bytes.indices.dropFirst() { path[index] = CChar(bitPattern: bytes[index]) }
            path[bytes.count] = 0
        }
        withSignalsBlocked { path[0] = CChar(bitPattern: first) }
        return true
    }

    /// Forgets the tracked temp file (after it was renamed into place or removed).
    static func untrack() {
        withSignalsBlocked { path[0] = 0 }
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
        if SignalCleanup.path[0] != 0 { unlink(SignalCleanup.path) }
        _exit(128 + signalNumber)
    }
}
