/// Identifies a Kubernetes resource in findings and reports.
public struct ResourceRef: Sendable, Hashable, Codable {
    /// The most UTF-8 bytes each field keeps whole (`MessageLength.bounded`): reports write the
    /// fields of every finding's object, and a 1 MiB name made each finding's line 1 MiB (and
    /// each passing JUnit test case). Kubernetes allows at most 317 (an `apiVersion`'s group
    /// and version), so no object it accepts is cut.
    public static let fieldLimit = 512

    public var apiVersion: String
    public var kind: String
    /// Empty for cluster-scoped resources.
    public var namespace: String
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String, name: String) {
        self.apiVersion = MessageLength.bounded(apiVersion, limit: Self.fieldLimit)
        self.kind = MessageLength.bounded(kind, limit: Self.fieldLimit)
        self.namespace = MessageLength.bounded(namespace, limit: Self.fieldLimit)
        self.name = MessageLength.bounded(name, limit: Self.fieldLimit)
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
