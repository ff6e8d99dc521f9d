/// A file a package.yaml points at (`agents`, `workflows`, `patterns` lists; `config` and
/// `documentation` mappings), and whether the package holds it.
public struct DeclaredFile: Sendable, Hashable {
    /// The package.yaml key it is listed under (`agents`, `config.defaults`, ...).
    public var key: String
    /// The path as written.
    public var path: String
    public var exists: Bool
    /// Why the item is not a path (a mapping, a list, null); then `path` is empty.
    public var error: String?
    public var location: SourceSpan
}
