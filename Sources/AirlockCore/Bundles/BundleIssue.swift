/// A hostile or suspicious property of an archive, reported as a fact for policies to judge.
/// airlock never acts on these: nothing is extracted, no link is followed.
public struct BundleIssue: Sendable, Hashable, Codable {
    /// Raw values are what policies match on.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A path with a `..` component.
        case pathTraversal = "path-traversal"
        /// A path starting with `/`.
        case absolutePath = "absolute-path"
        /// A symlink or hardlink whose target resolves outside the bundle root.
        case linkOutsideRoot = "link-outside-root"
        /// A symlink or hardlink whose target cannot be followed to an end: a loop of links, or
        /// more than Linux follows in one path (`MAXSYMLINKS`, 40).
        case unresolvableLink = "unresolvable-link"
        /// An entry whose folder is a symlink of the archive: unpacking writes it wherever the
        /// link points (over a file checked earlier, or outside the bundle).
        case throughLink = "through-link"
        /// A hardlink entry carrying data (pax allows it): libarchive reads those bytes, GNU tar
        /// and Python link to the target and drop them, so what is checked is not what is unpacked.
        case hardlinkWithData = "hardlink-with-data"
        /// A PAX global header (typeflag `g`): GNU tar and Python apply its `path=` (or `size=`,
        /// `linkpath=`) to the entries after it, libarchive ignores it, so the archive unpacks
        /// other than it was checked.
        case paxGlobalHeader = "pax-global-header"
        /// An entry named (or its link target given) twice, by a GNU long name and a pax record
        /// or by two of one kind: libarchive and GNU tar read one name, Go's archive/tar (Helm,
        /// `docker load`) the other, so a chart or image unpacks other files than were checked.
        case ambiguousName = "ambiguous-name"
        /// An entry whose name or link target is not UTF-8. The bytes that are not are shown as
        /// `%XX`; unpackers write the bytes themselves.
        case notUTF8 = "name-not-utf8"
        /// A character or block device, FIFO, socket or unknown entry type.
        case specialFile = "special-file"
        case setuid
        case setgid
        /// Two entries with the same normalised path.
        case duplicatePath = "duplicate-path"
        /// Bytes after the end of the archive's last compressed stream.
        case trailingData = "trailing-data"
        /// A `BundleLimits` limit stopped the read.
        case limitExceeded = "limit-exceeded"
        /// An entry outside the bundle's folder in the archive (beside `airgap-bundle-X/`).
        case outsideBundleRoot = "outside-bundle-root"
        /// An archive inside the bundle (image, chart) could not be read.
        case unreadableNestedArchive = "unreadable-nested-archive"
    }

    public var kind: Kind
    /// The entry's path (normalised), or the archive's path for whole-archive issues.
    public var path: String
    /// Human-readable specifics: the link target, the limit and its flag, the duplicate count.
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }
}
