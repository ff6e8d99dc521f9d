import YAMLSource

/// A `NAME.local.yaml` customising a package, found beside the package folder or tarball.
public struct LocalOverrideFacts: Sendable {
    public var file: String
    /// The parsed override; `nil` when it did not parse (see the diagnostics).
    public var root: YAMLNode?
    public var topLevelKeys: [String]
}
