/// How to read a package or bundle.
public struct BundleReadOptions: Sendable {
    public var limits: BundleLimits
    /// PEM `PUBLIC KEY` to verify signatures with; without it signatures are only found, not checked.
    public var publicKeyPEM: String?
    /// The file the key was read from, named in an error about it.
    public var publicKeyFile: String?
    /// Bytes of each markdown file kept for title and description detection.
    public var markdownPrefixBytes: Int
    /// Reads the Kubernetes objects of a bundle's manifests (the run's `--namespace`).
    public var decoder: ManifestDecoder

    public init(limits: BundleLimits = BundleLimits(), publicKeyPEM: String? = nil, markdownPrefixBytes: Int = 64 << 10,
                decoder: ManifestDecoder = ManifestDecoder()) {
        self.limits = limits
        self.publicKeyPEM = publicKeyPEM
        self.markdownPrefixBytes = markdownPrefixBytes
        self.decoder = decoder
    }
}
