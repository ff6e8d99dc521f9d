import YAMLSource

/// A Kubernetes object read from an input, with where it came from.
public struct Resource: Sendable {
    public var apiVersion: String
    public var kind: String
    /// Empty for cluster-scoped kinds.
    public var namespace: String
    public var name: String
    public var labels: [String: String]
    /// The object's mapping node: every field keeps its position.
    public var node: YAMLNode
    public var provenance: Provenance

    public var ref: ResourceRef {
        ResourceRef(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }

    /// The API group, empty for the core group (`apps/v1` → `apps`, `v1` → ``).
    public var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }
}

/// Where a resource was read.
public struct Provenance: Sendable, Hashable {
    public var file: String
    /// 0-based index of the document in its file.
    public var documentIndex: Int
    public var line: Int
    public var column: Int
    /// The `# Source:` template of `helm template` output.
    public var helmSource: String?

    public var span: SourceSpan { SourceSpan(file: file, line: line, column: column) }
}
