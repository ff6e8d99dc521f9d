/// Why an archive or folder could not be read to the end. Every case fails the run closed.
public enum ArchiveReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The archive is corrupt, truncated, in an unknown format, or the file cannot be opened.
    case unreadable(archive: String, message: String)
    /// A file read whole that is no archive (a key, a sidecar, a signature, a registry index)
    /// cannot be opened or read; `reason` says why, as the message does.
    case unreadableFile(path: String, reason: String)
    /// A `BundleLimits` limit was hit; `observed` is the value that crossed it.
    case limitExceeded(archive: String, limit: BundleLimits.Limit, allowed: String, observed: String)

    /// The archive (or `outer!inner` path) the error is about.
    public var archive: String {
        switch self {
        case .unreadable(let archive, _), .unreadableFile(let archive, _), .limitExceeded(let archive, _, _, _): return archive
        }
    }

    public var description: String {
        switch self {
        case .unreadable(_, let message):
            return "cannot read archive: \(message)"
        case .unreadableFile(_, let reason):
            return reason
        case .limitExceeded(_, let limit, let allowed, let observed):
            return "limit \(limit.rawValue) exceeded: \(observed) > \(allowed); raise it with \(limit.flag) if this input is trusted"
        }
    }

    /// The error as a diagnostic naming the archive, for reports (exit code 2).
    public var diagnostic: Diagnostic {
        Diagnostic(kind: .input, message: description, location: SourceSpan(file: archive, line: 1, column: 1))
    }
}
