/// A per-file digest declared in a manifest, compared with the digest streamed from the file.
public struct DeclaredDigestCheck: Sendable, Hashable {
    /// The path as declared, relative to the bundle root.
    public var path: String
    /// The path normalised (`./a//b` is `a/b`), as `BundleFacts.files` names the file.
    public var file: String
    /// Lowercase hex, without any `sha256:` prefix.
    public var expected: String
    /// `nil` when no such file is in the bundle.
    public var actual: String?
    public var match: Bool
    /// Why the declaration cannot be checked (not a path and a SHA-256); `nil` when it can.
    public var error: String?
    /// Where the declaration is.
    public var location: SourceSpan
}
