#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the entries of a tar archive (plain, gzip, zstd, xz or bzip2 compressed) or of a folder
/// through one interface. Every file's bytes are hashed while read; nothing is written to disk,
/// no link is followed, and `BundleLimits` bound the work. Single use per `read` call.
public struct ArchiveReader {
    enum Origin {
        case file(String)
        case directory(String)
        case bytes(ByteSource)
    }

    let origin: Origin
    /// The name used in errors and issues: the path given, or `outer!inner` for nested archives.
    public let name: String
    public let limits: BundleLimits
    /// 0 for the outermost archive.
    public let depth: Int

    init(origin: Origin, name: String, limits: BundleLimits, depth: Int) {
        self.origin = origin
        self.name = name
        self.limits = limits
        self.depth = depth
    }

    /// A reader for an archive file, or for a folder when `path` is a directory (by `lstat`: a
    /// symlink to a folder is read as an archive file and fails).
    public init(path: String, limits: BundleLimits = BundleLimits()) {
        var info = stat()
        let isDirectory = lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        self.init(origin: isDirectory ? .directory(path) : .file(path), name: path, limits: limits, depth: 0)
    }

    /// A reader for an archive held in memory.
    public init(bytes: [UInt8], name: String, limits: BundleLimits = BundleLimits()) {
        self.init(origin: .bytes(MemoryByteSource(bytes)), name: name, limits: limits, depth: 0)
    }

    /// Compression filters readable here (those linked into libarchive: gzip, zstd, xz, ...).
    public static var supportedFilters: [String] { LibarchiveSession.supportedFilters }

    /// Whether this reader walks a folder rather than an archive.
    public var isDirectory: Bool {
        if case .directory = origin { return true }
        return false
    }

    /// Reads every entry in archive order (folders: sorted, depth first). `plan` sees each entry
    /// before its bytes are read (no digest, no content yet); `visit` sees it after.
    @discardableResult
    public func read(
        plan: (ArchiveEntry) -> EntryReadPlan = { _ in .digestOnly },
        visit: (ArchiveEntry) throws -> Void
    ) throws -> ArchiveReadSummary {
        switch origin {
        case .directory(let root):
            return try DirectoryWalk(root: root, reader: self).run(plan: plan, visit: visit)
        case .file(let path):
            let source = try FileByteSource(path: path, name: name, hashing: true)
            var summary = try LibarchiveSession(source: source, reader: self).run(plan: plan, visit: visit)
            summary.sourceSHA256 = source.finishDigest()
            if let failure = source.failure { throw failure }
            summary.compressedBytes = source.delivered
            return summary
        case .bytes(let source):
            return try LibarchiveSession(source: source, reader: self).run(plan: plan, visit: visit)
        }
    }

    /// Reads an inner archive streamed from `consumer`, then lets the caller's closure finish.
    func nested(_ consumer: EntryConsumer, entryPath: String, body: (ArchiveReader) throws -> Void) throws {
        let source = PullByteSource { () throws(ArchiveReadError) in try consumer.next() }
        let inner = ArchiveReader(origin: .bytes(source), name: name + "!" + entryPath, limits: limits, depth: depth + 1)
        do {
            try body(inner)
        } catch {
            if let failure = source.failure { throw failure }
            throw error
        }
        if let failure = source.failure { throw failure }
    }
}
