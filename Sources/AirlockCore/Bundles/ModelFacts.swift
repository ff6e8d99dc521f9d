/// A model under `models/`: a folder (or a single file) with its file count and total size.
public struct ModelFacts: Sendable, Hashable {
    public var name: String
    /// Bundle-relative path of the model folder or file.
    public var path: String
    public var fileCount: Int
    public var totalBytes: Int64
}
