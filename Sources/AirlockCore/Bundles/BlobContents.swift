/// The streamed SHA-256 of every `blobs/ALG/HEX` entry of an OCI image layout, and the bytes of the
/// small ones (manifests, indexes, configs), so that a blob is checked against the digest that
/// names it: `docker load` and containerd refuse a blob whose content does not hash to its name,
/// and a digest-pinned reference means nothing when the pinned manifest is not what it claims.
struct BlobContents {
    /// Blobs up to this size are kept to read the manifests and indexes among them.
    static let keptBytes = 1 << 20
    /// How deep an index of indexes is followed.
    private static let maxDepth = 4

    private var sha256ByPath: [String: String] = [:]
    private var contentByPath: [String: [UInt8]] = [:]

    mutating func add(_ entry: ArchiveEntry) {
        if entry.type == .hardlink, let target = entry.linkTarget.map(ArchivePath.normalise) {
            sha256ByPath[entry.path] = sha256ByPath[target]
            contentByPath[entry.path] = contentByPath[target]
            return
        }
        guard entry.type == .file else { return }
        sha256ByPath[entry.path] = entry.sha256
        if let content = entry.content, !entry.contentIsTruncated { contentByPath[entry.path] = content }
    }

    /// Problems with the blob `digest` names and, when it is a manifest or an index, with the
    /// blobs it names in turn (config, layers, manifests): a content that hashes to another
    /// digest, a digest that is not SHA-256 and so cannot be checked, or a blob a manifest names
    /// that the archive does not hold (those index.json names are the caller's to report).
    func verify(_ digest: String, namedBy: String, file: String, depth: Int = 0) -> [String] {
        guard let colon = digest.firstIndex(of: ":") else { return ["\(namedBy) names \(digest), not ALGORITHM:HEX"] }
        let algorithm = digest[..<colon]
        let hex = digest[digest.index(after: colon)...]
        let blob = "blobs/\(algorithm)/\(hex)"
        guard algorithm == "sha256" else { return ["\(namedBy) names \(blob), whose \(algorithm) digest airlock cannot check"] }
        guard let actual = sha256ByPath[blob] else {
            return depth == 0 ? [] : ["\(namedBy) names \(blob), which the archive does not hold"]
        }
        guard actual == hex.lowercased() else {
            return ["\(namedBy) names \(blob), whose content hashes to sha256:\(actual)"]
        }
        guard depth < Self.maxDepth, let content = contentByPath[blob],
              case .loaded(let root) = EmbeddedYAML.load(content, file: file + "!" + blob), root.kind == .mapping else { return [] }
        let named = [root["config"]].compactMap { $0 } + (root["layers"]?.items ?? []) + (root["manifests"]?.items ?? [])
        return named.compactMap { $0["digest"]?.string }.flatMap { verify($0, namedBy: blob, file: file, depth: depth + 1) }
    }
}
