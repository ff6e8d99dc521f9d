/// A file a package.yaml points at (`agents`, `workflows`, `patterns` lists; `config` and
/// `documentation` mappings), and whether the package holds it.
public struct DeclaredFile: Sendable, Hashable {
    /// The package.yaml key it is listed under (`agents`, `config.defaults`, ...).
    public var key: String
    /// The path as written.
    public var path: String
    /// The file the path names, as `files[].path` names it (`./agents//a.md` is `agents/a.md`);
    /// nil when it names no file: it ends in `/` or `/.` (`agents/a.md/`, which an installer
    /// cannot open as a file), or is empty.
    public var file: String?
    public var exists: Bool
    /// Why the file, a YAML or JSON file under config/, cannot be read (`file:line:col: message`,
    /// the file named within the package): the installer cannot merge it.
    public var yamlError: String?
    /// Why the item is not a path (a mapping, a list, null); then `path` is empty.
    public var error: String?
    public var location: SourceSpan
}

extension DeclaredFile {
    /// The file `path` names, normalised as archive entries are; nil when it names a folder
    /// (its last component empty or `.`) or nothing.
    static func file(named path: String) -> String? {
        guard let last = path.split(separator: "/", omittingEmptySubsequences: false).last, last != "", last != "." else { return nil }
        return ArchivePath.normalise(path)
    }
}
