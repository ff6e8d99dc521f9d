import YAMLSource

/// A Kubernetes object read from an input, with where it came from. Labels and provenance are
/// read from the node when asked for, not stored: an inventory holds every object of the run.
public struct Resource: Sendable {
    public let apiVersion: String
    public let kind: String
    /// Empty for cluster-scoped kinds.
    public var namespace: String
    public var name: String
    /// The object's mapping node: every field keeps its position.
    public var node: YAMLNode
    /// 0-based index of the document in its file (the node's document counts within one part of
    /// a large file).
    public var documentIndex: Int
    /// Whether the kind is one of Kubernetes' own in a group that does not serve it (see
    /// `BuiltinKinds`): rules and lookups naming the bare kind leave it out.
    public var isLookalike = false
    /// Where the object keeps its containers, as its kind and apiVersion say (see
    /// `WorkloadFunctions.containerPlace(kind:apiVersion:)`): found once, as rules ask it of
    /// each view of the object.
    let containerPlace: WorkloadFunctions.ContainerPlace?
    /// Which of the fields the API server fills in the node writes, as the decoder found them:
    /// what `CELValue(resource:)` reads otherwise than written follows from them.
    let written: WrittenFields

    struct WrittenFields: OptionSet, Sendable {
        let rawValue: UInt8
        /// An item of a typed list (`PodList`) that states neither kind nor apiVersion: the list's.
        static let inheritedType = WrittenFields(rawValue: 1)
        /// `metadata` has a `namespace` key.
        static let namespaceKey = WrittenFields(rawValue: 2)
        /// ... whose value is a non-empty string.
        static let namespace = WrittenFields(rawValue: 4)
        /// Named by `metadata.generateName` alone: `metadata.name` is absent, null or empty.
        static let generatedName = WrittenFields(rawValue: 8)
        /// `metadata.uid` is a non-empty string: an object exported from a cluster, whose copies
        /// `CrossDocumentChecks` compares.
        static let uid = WrittenFields(rawValue: 16)
    }

    init(apiVersion: String, kind: String, namespace: String, name: String, node: YAMLNode, documentIndex: Int, written: WrittenFields) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.node = node
        self.documentIndex = documentIndex
        self.written = written
        containerPlace = WorkloadFunctions.containerPlace(kind: kind, apiVersion: apiVersion)
    }

    /// The kind the inventory indexes the object under: its kind, or `group/kind` for a lookalike.
    public var indexKind: String { isLookalike ? group + "/" + kind : kind }

    /// The value of the label `key` (an empty string for a null value). The decoder has checked
    /// that every label value is a scalar.
    public func label(_ key: String) -> String? {
        guard let value = labelsNode?[key] else { return nil }
        return value.isNull ? "" : value.text
    }

    /// All labels.
    public var labels: [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in labelsNode?.entries ?? [] {
            if let key = key.text { labels[key] = value.isNull ? "" : value.text ?? "" }
        }
        return labels
    }

    private var labelsNode: YAMLNode? {
        guard let labels = node["metadata"]?["labels"], labels.kind == .mapping else { return nil }
        return labels
    }

    public var provenance: Provenance {
        Provenance(file: node.document.file, documentIndex: documentIndex, line: node.line, column: node.column, helmSource: node.document.helmSource)
    }

    public var ref: ResourceRef {
        ResourceRef(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }

    /// The API group, empty for the core group (`apps/v1` → `apps`, `v1` → ``).
    public var group: String { String(groupAndVersion.group) }

    /// `apiVersion` split at its slash (found among the UTF-8 bytes: a search by `Character`
    /// costs thousands of instructions, and this runs for every policy offered an object).
    var groupAndVersion: (group: Substring, version: Substring) { Self.groupAndVersion(of: apiVersion) }

    /// An `apiVersion` split at its slash: the group (empty for the core group) and the version.
    static func groupAndVersion(of apiVersion: String) -> (group: Substring, version: Substring) {
        guard let slash = apiVersion.utf8.firstIndex(of: UInt8(ascii: "/")) else { return ("", apiVersion[...]) }
        return (apiVersion[..<slash], apiVersion[apiVersion.index(after: slash)...])
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
