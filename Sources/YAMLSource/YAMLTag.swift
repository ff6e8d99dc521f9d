/// The standard tags airlock accepts, in libyaml's expanded form.
enum YAMLTag {
    static let prefix = "tag:yaml.org,2002:"
    static let str = prefix + "str"
    static let int = prefix + "int"
    static let float = prefix + "float"
    static let bool = prefix + "bool"
    static let null = prefix + "null"
    static let map = prefix + "map"
    static let seq = prefix + "seq"
    static let timestamp = prefix + "timestamp"

    /// `!!name` for standard tags, the tag as written otherwise.
    static func display(_ tag: String) -> String {
        tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }
}
