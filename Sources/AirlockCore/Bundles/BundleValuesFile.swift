import YAMLSource

/// A Helm values file found in a bundle or inside one of its chart archives, kept parsed (with
/// positions naming it as reports do) for the values rules.
public struct BundleValuesFile: Sendable {
    /// Bundle-relative path; inside a chart archive `charts/x.tgz!x/values-tier1-edge.yaml`.
    public var file: String
    public var root: YAMLNode

    public init(file: String, root: YAMLNode) {
        self.file = file
        self.root = root
    }
}
