/// Identifies a Kubernetes resource in findings and reports.
public struct ResourceRef: Sendable, Hashable, Codable {
    public var apiVersion: String
    public var kind: String
    /// Empty for cluster-scoped resources.
    public var namespace: String
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `namespace/Kind/name`, or `Kind/name` when cluster-scoped: the SARIF logical location.
    public var qualifiedName: String {
        namespace.isEmpty ? "\(kind)/\(name)" : "\(namespace)/\(kind)/\(name)"
    }

    /// The length of `qualifiedName` in UTF-8 bytes, without making it.
    public var qualifiedNameByteCount: Int {
        kind.utf8.count + name.utf8.count + (namespace.isEmpty ? 1 : namespace.utf8.count + 2)
    }
}
