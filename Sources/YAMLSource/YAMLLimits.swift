/// Bounds that keep hostile input from exhausting memory or time. Each has a flag in the CLI.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest input file, in bytes (default 1 GiB): a file is read whole before it is parsed, so
    /// without a bound `/dev/zero` or a sparse file of terabytes was read until memory ran out.
    public var maxInputBytes: Int
    /// Largest single document, in bytes (default 256 MiB: `kubectl get -A -o json` of a cluster
    /// of some 40,000 objects with their managedFields is one document of that size).
    public var maxDocumentBytes: Int
    /// Deepest nesting of mappings and sequences (default 512).
    public var maxDepth: Int
    /// A document may reference at most this many times its own node count through aliases
    /// (default 10), which stops "billion laughs" expansion; and the scalar text a stream's
    /// aliases repeat may be at most this many times the text before the alias, which stops one
    /// large scalar being read thousands of times.
    public var aliasExpansionFactor: Int
    /// Expansion always allowed regardless of the factor, so small documents may use anchors freely.
    public var aliasExpansionFloor: Int
    /// Bytes of scalar text aliases may always repeat regardless of the factor (default 16 MiB).
    public var aliasTextFloor: Int

    public init(
        maxInputBytes: Int = 1 << 30, maxDocumentBytes: Int = 256 << 20, maxDepth: Int = 512,
        aliasExpansionFactor: Int = 10, aliasExpansionFloor: Int = 10_000, aliasTextFloor: Int = 16 << 20
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.aliasExpansionFactor = aliasExpansionFactor
        self.aliasExpansionFloor = aliasExpansionFloor
        self.aliasTextFloor = aliasTextFloor
    }
}
