import YAMLSource

/// A place in an input file: 1-based line and column (columns count Unicode scalars),
/// with an optional end. `file` is the path as the user gave it, made relative for reports.
public struct SourceSpan: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    public var endLine: Int?
    public var endColumn: Int?

    public init(file: String, line: Int, column: Int, endLine: Int? = nil, endColumn: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }
}

extension SourceSpan {
    /// Where `node` starts.
    public init(_ node: YAMLNode) {
        self.init(file: node.document.file, line: node.line, column: node.column)
    }
}
