/// A signature file found for a bundle or package, and what checking it gave.
public struct SignatureFacts: Sendable, Hashable {
    /// What was signed: the tarball (`NAME.tar.gz.sig` beside it) or the manifest
    /// (`manifest.yaml.sig` beside it).
    public enum Subject: String, Sendable, Hashable, Codable {
        case tarball
        case manifest
    }

    public var subject: Subject
    /// Path of the `.sig` file (bundle-relative for files inside the bundle).
    public var file: String
    /// `nil` when no public key was given, so the signature was found but not checked.
    public var status: CosignBlobSignature.Status?
    public var detail: String?
    /// The entries of the bundle the signature does not vouch for, bundle-relative: none for the
    /// tarball's; for the manifest's, every link (a hardlink's digest is never the bytes an
    /// unpacker writes) and file other than manifest.yaml and its signature without a matching
    /// SHA-256 the manifest declares (all of them when the manifest could not be loaded).
    public var unbound: [String] = []
}
