/// Totals of one completed read.
public struct ArchiveReadSummary: Sendable, Hashable {
    public var entryCount: Int
    /// Entry data bytes read (uncompressed).
    public var uncompressedBytes: Int64
    /// Bytes read from the source (compressed); equals the file size for archive files.
    public var compressedBytes: Int64
    /// Bytes of the source the archive reader used: fewer than `compressedBytes` when data follows
    /// the archive's last compressed stream, which unpackers ignore.
    public var consumedBytes: Int64
    /// Hex SHA-256 of the whole archive file, computed in the same pass (archive files only).
    public var sourceSHA256: String?
    /// libarchive's names, e.g. `GNU tar format` and `["gzip"]`; empty for folders.
    public var formatName: String?
    public var filterNames: [String]
}
