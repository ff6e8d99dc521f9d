import YAMLSource

/// What an image archive (`docker save` output, or an OCI image layout as a tar) says it holds.
/// Read from the bundle's stream; layers are skipped, never unpacked.
public struct ImageArchiveFacts: Sendable, Hashable {
    public enum Layout: String, Sendable, Hashable, Codable {
        /// `manifest.json` with `RepoTags`.
        case dockerSave = "docker-save"
        /// `index.json` (and `oci-layout`).
        case oci
        /// Both, as Docker 25+ writes.
        case dockerSaveAndOCI = "docker-save+oci"
        case unknown
    }

    /// Path of the archive inside the bundle, relative to the bundle root.
    public var archive: String
    public var layout: Layout
    /// `RepoTags` of every image in `manifest.json`.
    public var repoTags: [String]
    /// `org.opencontainers.image.ref.name` annotations in `index.json`.
    public var ociRefNames: [String]
    /// `io.containerd.image.name` annotations in `index.json` (full references).
    public var containerdImageNames: [String]
    /// The `index.json` descriptor digest (`sha256:...`, the manifest or index digest a pinned
    /// reference names) of each annotated name.
    public var descriptorDigests: [String: String] = [:]
    /// Hex SHA-256 and size of the archive file itself.
    public var sha256: String?
    public var size: Int64
    /// Why the archive could not be read or understood; `nil` when it was.
    public var error: String?
    /// `false` when the archive itself is corrupt or over a limit (then also a diagnostic), as
    /// opposed to a readable archive that is not what it should be.
    public var isReadable: Bool = true
    /// A `manifest.json` or `index.json` that is not JSON, at the place of the error inside it:
    /// what the image holds cannot be known.
    public var diagnostics: [Diagnostic] = []

    /// Every image reference found, deduplicated, in the order: RepoTags, containerd names, OCI ref names.
    public var references: [String] {
        var seen: Set<String> = []
        return (repoTags + containerdImageNames + ociRefNames).filter { seen.insert($0).inserted }
    }

    public init(archive: String, layout: Layout = .unknown, repoTags: [String] = [], ociRefNames: [String] = [],
                containerdImageNames: [String] = [], sha256: String? = nil, size: Int64 = 0, error: String? = nil) {
        self.archive = archive
        self.layout = layout
        self.repoTags = repoTags
        self.ociRefNames = ociRefNames
        self.containerdImageNames = containerdImageNames
        self.sha256 = sha256
        self.size = size
        self.error = error
    }

    /// Whether `path` (relative to a bundle root) names an image archive to open.
    public static func isImageArchive(_ path: String) -> Bool {
        guard path.hasPrefix("images/") else { return false }
        return [".tar", ".tar.gz", ".tgz", ".tar.zst"].contains { path.hasSuffix($0) }
    }

    /// Reads the inner archive; errors of the inner archive end up in `error`, never thrown. An
    /// archive whose `manifest.json` names a config or layer, or whose `index.json` names a blob,
    /// that it does not hold cannot be loaded: that is an error too. `displayName` is the archive
    /// as reports name it.
    public static func read(_ reader: ArchiveReader, archive: String, displayName: String) -> ImageArchiveFacts {
        var facts = ImageArchiveFacts(archive: archive)
        var manifest: [UInt8]?
        var index: [UInt8]?
        var held: Set<String> = []
        var blobs = BlobContents()
        var disagreements: [String] = []
        var listed: [ArchiveEntry] = []
        do {
            try reader.read(plan: { entry in
                if entry.path == "manifest.json" || entry.path == "index.json" { return .whole }
                guard entry.path.hasPrefix("blobs/"), entry.type == .file else { return .skip }
                return entry.size <= BlobContents.keptBytes ? .prefix(BlobContents.keptBytes) : .digestOnly
            }, visit: { entry in
                if let disagreement = entry.readerDisagreement { disagreements.append(disagreement) }
                if entry.type == .file || entry.type == .hardlink { held.insert(entry.path) }
                if entry.path == "manifest.json" { manifest = entry.content }
                if entry.path == "index.json" { index = entry.content }
                if entry.path.hasPrefix("blobs/") { blobs.add(entry) }
                var metadata = entry
                metadata.content = nil
                listed.append(metadata)
            })
        } catch {
            facts.error = String(describing: error)
            facts.isReadable = false
            return facts
        }
        var problems: [String] = disagreements.isEmpty ? [] : ["tar readers unpack this image differently: " + disagreements.joined(separator: "; ")]
        // `docker load` unpacks the archive: an entry that leaves it, or that links out, is hostile here too.
        let hostile = HostileEntryCheck.issues(in: listed)
        if !hostile.isEmpty {
            problems.append("hostile entries: " + hostile.map { "\($0.kind.rawValue) \($0.path) (\($0.detail))" }.joined(separator: ", "))
        }
        var missing: [String] = []
        if let manifest {
            switch EmbeddedYAML.load(manifest, file: displayName + "!manifest.json") {
            case .loaded(let root):
                for image in root.items {
                    facts.repoTags += image["RepoTags"]?.items.compactMap(\.string) ?? []
                    let parts = [image["Config"]?.string].compactMap { $0 } + (image["Layers"]?.items.compactMap(\.string) ?? [])
                    missing += parts.filter { !held.contains(ArchivePath.normalise($0)) }.map { "manifest.json names " + $0 }
                }
                if root.kind != .sequence { problems.append("manifest.json is not a list") }
            case .failed(let diagnostic):
                facts.diagnostics.append(diagnostic)
            }
        }
        if let index {
            switch EmbeddedYAML.load(index, file: displayName + "!index.json") {
            case .loaded(let root):
                for descriptor in root["manifests"]?.items ?? [] {
                    let annotations = descriptor["annotations"]
                    let digest = descriptor["digest"]?.string
                    if let digest, let colon = digest.firstIndex(of: ":") {
                        let blob = "blobs/" + digest[..<colon] + "/" + digest[digest.index(after: colon)...]
                        if !held.contains(blob) { missing.append("index.json names " + blob) }
                    }
                    if let digest { problems += blobs.verify(digest, namedBy: "index.json", file: displayName) }
                    if let name = annotations?["org.opencontainers.image.ref.name"]?.string {
                        facts.ociRefNames.append(name)
                        facts.descriptorDigests[name] = digest
                    }
                    if let name = annotations?["io.containerd.image.name"]?.string {
                        facts.containerdImageNames.append(name)
                        facts.descriptorDigests[name] = digest
                    }
                }
            case .failed(let diagnostic):
                facts.diagnostics.append(diagnostic)
            }
        }
        switch (manifest != nil, index != nil) {
        case (true, true): facts.layout = .dockerSaveAndOCI
        case (true, false): facts.layout = .dockerSave
        case (false, true): facts.layout = .oci
        case (false, false): problems.append("neither manifest.json nor index.json found: not an image archive")
        }
        if !missing.isEmpty {
            problems.append(missing.joined(separator: ", ") + ", which the archive does not hold: not a loadable image")
        }
        if !problems.isEmpty { facts.error = problems.joined(separator: "; ") }
        return facts
    }
}
