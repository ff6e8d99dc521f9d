/// An image reference found inside an image archive of a bundle.
public struct BundleImage: Sendable, Hashable {
    /// As written in the archive, e.g. `ai-platform/inference:v1.2.0`.
    public var reference: String
    /// Bundle-relative path of the archive holding it.
    public var archive: String
    /// Where the reference came from: `RepoTags`, `io.containerd.image.name` or `org.opencontainers.image.ref.name`.
    public var origin: String
    /// The digest of the image's manifest (or index) when the archive records it: the
    /// `index.json` descriptor a name is annotated on. `nil` for `RepoTags`, which carry none.
    public var digest: String?
}
