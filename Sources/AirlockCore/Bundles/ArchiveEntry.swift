/// One entry of an archive or folder as `ArchiveReader` yields it. Nothing here was written to disk.
public struct ArchiveEntry: Sendable, Hashable {
    /// The path normalised: no `./` prefix, no empty or `.` components, no trailing `/`.
    /// `..` components and a leading `/` are kept, so hostile paths stay visible.
    public var path: String
    /// The path exactly as stored in the archive.
    public var rawPath: String
    public var type: ArchiveEntryType
    /// Size in bytes as declared by the header (files, and the data a hardlink carries, which
    /// unpackers ignore); 0 for other types.
    public var size: Int64
    /// Permission bits including setuid (0o4000), setgid (0o2000) and sticky (0o1000).
    public var mode: UInt32
    /// Target of a symlink (as written) or hardlink (an archive path).
    public var linkTarget: String?
    /// Lowercase hex SHA-256 of the bytes read, for files only: a hardlink's carried bytes are
    /// not what an unpacker writes, so they are never hashed.
    public var sha256: String?
    /// The first bytes or whole content, when the read plan asked for them.
    public var content: [UInt8]?
    /// Whether `content` holds only a prefix of the file.
    public var contentIsTruncated: Bool
    /// The keys set by PAX global headers (typeflag `g`) just before this entry, which GNU tar
    /// and Python apply to it and to every entry after it (libarchive ignores them); `nil` when
    /// none precedes it.
    public var globalHeaderKeys: [String]?
    /// Why tar readers disagree on this entry's name or link target (a GNU long name and a pax
    /// `path` both given, see `TarExtensionHeaderScanner`), or nil.
    public var nameConflict: String?
    /// What of the entry's header is not UTF-8 (`name`, `link target`): those bytes are shown as
    /// `%XX` (see `ArchivePath.decode`), while unpackers write them as they are.
    public var notUTF8: [String] = []

    /// Why tar readers unpack this entry differently (an ambiguous name, a PAX global header
    /// before it), in words; nil when they agree. For archives inside a bundle, which Helm and
    /// `docker load` read with Go's archive/tar.
    var readerDisagreement: String? {
        if let nameConflict { return "\(rawPath): \(nameConflict)" }
        if globalHeaderKeys != nil { return "\(rawPath): a PAX global header precedes it, which GNU tar and Python apply and libarchive ignores" }
        return nil
    }

    public init(
        path: String, rawPath: String, type: ArchiveEntryType, size: Int64, mode: UInt32,
        linkTarget: String? = nil, sha256: String? = nil, content: [UInt8]? = nil, contentIsTruncated: Bool = false
    ) {
        self.path = path
        self.rawPath = rawPath
        self.type = type
        self.size = size
        self.mode = mode
        self.linkTarget = linkTarget
        self.sha256 = sha256
        self.content = content
        self.contentIsTruncated = contentIsTruncated
        self.globalHeaderKeys = nil
        nameConflict = nil
    }

    public var isSetuid: Bool { mode & 0o4000 != 0 }
    public var isSetgid: Bool { mode & 0o2000 != 0 }
}
