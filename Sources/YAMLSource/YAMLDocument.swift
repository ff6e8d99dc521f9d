/// One YAML document as a compact arena: nodes are fixed-size records, collection children are
/// contiguous runs in one array, scalar text lives in one array of strings. Immutable once built,
/// so documents are shared freely across threads.
public final class YAMLDocument: Sendable {
    /// The path of the input, as given by the user.
    public let file: String
    /// 0-based position of the document in its stream.
    public let index: Int
    /// The `# Source: chart/templates/x.yaml` comment `helm template` writes before the document.
    public let helmSource: String?

    let records: [NodeRecord]
    let children: [UInt32]
    let scalars: [String]
    let rootID: UInt32
    /// Lines before the part of the file this document was parsed from (see `YAMLLoader.load`).
    let lineOffset: Int

    init(file: String, index: Int, lineOffset: Int, helmSource: String?, records: [NodeRecord], children: [UInt32], scalars: [String], rootID: UInt32) {
        self.file = file
        self.index = index
        self.lineOffset = lineOffset
        self.helmSource = helmSource
        self.records = records
        self.children = children
        self.scalars = scalars
        self.rootID = rootID
    }

    /// The top-level node.
    public var root: YAMLNode { YAMLNode(document: self, id: rootID) }

    /// Number of distinct nodes (aliases share nodes).
    public var nodeCount: Int { records.count }
}

/// The fixed-size part of a node. `payload` is the scalar's index in `scalars`, or the start of the
/// collection's run in `children`; `count` is the run's length (two entries per mapping pair).
struct NodeRecord: Sendable {
    var kind: YAMLNodeKind
    var scalarType: YAMLScalarType
    var style: YAMLScalarStyle
    var line: UInt32
    var column: UInt32
    var payload: UInt32
    var count: UInt32
}
