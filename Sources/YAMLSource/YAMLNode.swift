/// What a node is.
public enum YAMLNodeKind: UInt8, Sendable {
    case scalar, mapping, sequence
}

/// How a scalar was written; block and quoted scalars are always strings.
public enum YAMLScalarStyle: UInt8, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A handle on a node of a `YAMLDocument`: cheap to copy, knows its position.
public struct YAMLNode: Sendable {
    public let document: YAMLDocument
    /// The node's number in its document's storage (see `YAMLDocument.node(_:)`).
    public let id: UInt32

    init(document: YAMLDocument, id: UInt32) {
        self.document = document
        self.id = id
    }

    private var record: NodeRecord { document.arena.records[Int(id)] }

    public var kind: YAMLNodeKind { document.kind(ofNode: id) }
    /// 1-based line.
    public var line: Int { document.arena.position(of: record).line + document.lineOffset }
    /// 1-based column, in Unicode scalars.
    public var column: Int { document.arena.position(of: record).column }
    /// Where the node starts, as one number that orders the nodes of a document as their
    /// positions do: comparing these costs nothing, where `line` is a search.
    public var startIndex: Int { Int(record.index) }

    /// The `startIndex` of a node of this node's document at `line` and `column`, nil when the
    /// line is not in the document's part of its file.
    public func startIndex(line: Int, column: Int) -> Int? {
        let lineStarts = document.arena.lineStarts
        let position = line - 1 - document.lineOffset
        guard lineStarts.indices.contains(position) else { return nil }
        return Int(lineStarts[position]) + column - 1
    }

    // MARK: Scalars

    /// The resolved type of a scalar; `nil` for collections.
    public var scalarType: YAMLScalarType? { kind == .scalar ? record.scalarType : nil }
    /// How the scalar was written (`.plain` for collections).
    public var style: YAMLScalarStyle { record.style }
    /// Whether the scalar was written quoted or as a block (so is a string whatever its text).
    public var isQuoted: Bool { record.style != .plain }
    /// The scalar's text as written (after YAML unescaping); `nil` for collections.
    public var text: String? {
        let record = record
        return record.kind == .scalar ? document.arena.text(of: record) : nil
    }

    /// The scalar's text when it resolved to a string.
    public var string: String? { scalarType == .string ? text : nil }
    public var bool: Bool? { scalarType == .bool ? text.flatMap(YAMLScalarType.parseBool) : nil }
    public var int: Int64? { scalarType == .int ? text.flatMap(YAMLScalarType.parseInt) : nil }
    public var double: Double? {
        switch scalarType {
        case .float: return text.flatMap(YAMLScalarType.parseFloat)
        case .int: return int.map(Double.init)
        default: return nil
        }
    }
    public var isNull: Bool { scalarType == .null }

    // MARK: Collections

    /// Number of entries of a mapping or items of a sequence; 0 for scalars.
    public var count: Int { document.count(ofNode: id) }

    /// Items of a sequence; empty otherwise.
    public var items: [YAMLNode] {
        guard kind == .sequence else { return [] }
        return (0..<count).map { item(at: $0) }
    }

    /// The item at `position` of a sequence.
    public func item(at position: Int) -> YAMLNode {
        YAMLNode(document: document, id: document.item(at: position, ofNode: id))
    }

    /// Key and value nodes of a mapping in document order; empty otherwise.
    public var entries: [(key: YAMLNode, value: YAMLNode)] {
        guard kind == .mapping else { return [] }
        return (0..<count).map { entry(at: $0) }
    }

    /// The key and value of the mapping entry at `position`.
    public func entry(at position: Int) -> (key: YAMLNode, value: YAMLNode) {
        let (key, value) = document.arena.entry(at: Int(record.payload) + position)
        return (YAMLNode(document: document, id: key), YAMLNode(document: document, id: value))
    }

    /// The value under a scalar key of a mapping, as a string key compares in JSON.
    public subscript(key: String) -> YAMLNode? {
        document.value(forKey: key, ofNode: id).map { YAMLNode(document: document, id: $0) }
    }

    /// Follows a path of mapping keys, e.g. `["metadata", "name"]`.
    public func value(at path: [String]) -> YAMLNode? {
        var node: YAMLNode? = self
        for key in path { node = node?[key] }
        return node
    }
}
