/// What `ArchiveReader` should do with an entry's bytes besides hashing them.
public struct EntryReadPlan {
    /// How much of a file to keep in memory.
    public enum Capture: Sendable, Hashable {
        /// Up to this many bytes; larger files are cut (and marked truncated), never an error.
        case prefix(Int)
        /// The whole file; larger than `BundleLimits.maxInMemoryFileBytes` is an error.
        case whole
    }

    /// Whether to read and hash the bytes at all; `false` lets libarchive skip them (the size
    /// still counts against the limits).
    public var hash: Bool
    public var capture: Capture?
    /// Reads the entry as an archive of its own, streamed from the enclosing one, while the
    /// enclosing reader still hashes every byte. Errors thrown by the inner archive itself should
    /// be caught in the closure; errors of the enclosing archive always propagate.
    public var inner: ((ArchiveReader) throws -> Void)?

    public init(hash: Bool = true, capture: Capture? = nil, inner: ((ArchiveReader) throws -> Void)? = nil) {
        self.hash = hash
        self.capture = capture
        self.inner = inner
    }

    /// Neither hash nor keep: the bytes are skipped.
    public static var skip: EntryReadPlan { EntryReadPlan(hash: false) }
    /// Hash only.
    public static var digestOnly: EntryReadPlan { EntryReadPlan() }
    /// Hash and keep the first `count` bytes.
    public static func prefix(_ count: Int) -> EntryReadPlan { EntryReadPlan(capture: .prefix(count)) }
    /// Hash and keep the whole file (bounded by `maxInMemoryFileBytes`).
    public static var whole: EntryReadPlan { EntryReadPlan(capture: .whole) }
    /// Hash and read as an inner archive.
    public static func nested(_ body: @escaping (ArchiveReader) throws -> Void) -> EntryReadPlan {
        EntryReadPlan(inner: body)
    }
}
