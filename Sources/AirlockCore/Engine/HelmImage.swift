import YAMLSource

/// An image as Helm charts write it: `image: REF`, or a mapping `image: {registry, repository,
/// tag, digest}` (charts that write `name` for `repository` are read alike), which the chart's
/// templates, or a custom resource's operator, compose into one reference.
enum HelmImage {
    /// The reference `node` names: a scalar's text, or a mapping's parts composed as
    /// `registry/repository:tag@digest`, as written (a tag `1.10` stays `1.10`; empty parts left
    /// out; no tag and no digest means `latest`); nil for an empty one or a mapping without a
    /// repository.
    static func reference(of node: YAMLNode) -> String? {
        if node.kind == .scalar { return EmbeddedYAML.text(node).flatMap { $0.isEmpty ? nil : $0 } }
        guard let repository = part(repositoryKey(of: node), of: node) else { return nil }
        var reference = repository
        if let registry = part("registry", of: node) { reference = registry + "/" + reference }
        if let tag = part("tag", of: node) { reference += ":" + tag }
        if let digest = part("digest", of: node) { reference += "@" + digest }
        return reference
    }

    /// The key of a mapping's part that names where the image comes from: its `registry` when
    /// given, else its repository's key.
    static func sourceKey(of node: YAMLNode) -> String {
        part("registry", of: node) != nil ? "registry" : repositoryKey(of: node)
    }

    private static func repositoryKey(of node: YAMLNode) -> String {
        part("repository", of: node) != nil ? "repository" : "name"
    }

    private static func part(_ key: String, of node: YAMLNode) -> String? {
        EmbeddedYAML.text(node[key]).flatMap { $0.isEmpty ? nil : $0 }
    }
}
