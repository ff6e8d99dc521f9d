/// Bounds on what reading one package or bundle may cost. Hitting one stops the read with an
/// `ArchiveReadError.limitExceeded` that names the limit and the flag that raises it.
public struct BundleLimits: Sendable, Hashable, Codable {
    /// Largest total of uncompressed entry bytes (default 64 GiB). Flag: `--max-bundle-bytes`.
    public var maxTotalBytes: Int64
    /// Most entries in one archive or folder (default 1,000,000). Flag: `--max-bundle-entries`.
    public var maxEntries: Int
    /// Largest ratio of uncompressed to compressed bytes over the whole archive, checked once
    /// `ratioGraceBytes` have been decompressed (default 1000). Flag: `--max-compression-ratio`.
    public var maxCompressionRatio: Double
    /// Uncompressed bytes read before the ratio is enforced (default 8 MiB), so tiny archives of
    /// very compressible text do not trip it.
    public var ratioGraceBytes: Int64
    /// Largest single file read whole into memory, e.g. a manifest (default 4 MiB).
    /// Flag: `--max-bundle-file-bytes`.
    public var maxInMemoryFileBytes: Int
    /// Deepest archive nesting opened (an image or chart archive inside a bundle is depth 1, a
    /// subchart packed inside that chart depth 2; default 2).
    public var maxNestingDepth: Int

    public init(
        maxTotalBytes: Int64 = 64 << 30,
        maxEntries: Int = 1_000_000,
        maxCompressionRatio: Double = 1000,
        ratioGraceBytes: Int64 = 8 << 20,
        maxInMemoryFileBytes: Int = 4 << 20,
        maxNestingDepth: Int = 2
    ) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioGraceBytes = ratioGraceBytes
        self.maxInMemoryFileBytes = maxInMemoryFileBytes
        self.maxNestingDepth = maxNestingDepth
    }

    /// Which limit was hit.
    public enum Limit: String, Sendable, Hashable, Codable, CaseIterable {
        case totalBytes = "max-bundle-bytes"
        case entries = "max-bundle-entries"
        case compressionRatio = "max-compression-ratio"
        case inMemoryFileBytes = "max-bundle-file-bytes"

        /// The command-line flag that raises this limit.
        public var flag: String { "--" + rawValue }
    }
}
