/// An image reference written in a file of a bundle: a chart's values or templates, a plain
/// manifest or values file. Compared by policies with the images the bundle ships.
public struct ReferencedImage: Sendable, Hashable {
    /// Which kind of file the reference was found in.
    public enum Source: String, Sendable, Hashable {
        case chartValues = "chart-values"
        case chartTemplate = "chart-template"
        case manifest
        case values
    }

    /// The reference as written, or composed from a Helm `image: {registry, repository, tag, digest}` map.
    public var reference: String
    /// Bundle-relative path of the file; inside a chart archive `charts/x.tgz!x/values.yaml`.
    public var file: String
    /// Where the reference (or the `image` map) was written, as reports name the file.
    public var location: SourceSpan
    public var source: Source
    /// Whether the reference holds a Helm template (`{{ ... }}`) and cannot be known without rendering.
    public var isTemplated: Bool

    public init(reference: String, file: String, location: SourceSpan, source: Source) {
        self.reference = reference
        self.file = file
        self.location = location
        self.source = source
        isTemplated = reference.contains("{{")
    }
}
