/// One `dependencies` item of a package.yaml, `name@range` (e.g. `core-workflow@^2.0.0`).
public struct PackageDependency: Sendable, Hashable {
    /// The item as written.
    public var text: String
    public var name: String
    /// The range text after `@` (`*` when none is given).
    public var range: String
    /// Why the range is not a valid npm range; `nil` when it is.
    public var rangeError: String?
    /// Why the item is not a `name@range` string at all (a mapping, a list, null); then `text`,
    /// `name` and `range` are empty.
    public var error: String?
    public var location: SourceSpan

    /// Splits `name@range` at the last `@` that is not the first character (scoped names such as
    /// `@team/pkg@^1.0.0` keep their leading `@`).
    public static func parse(_ text: String, location: SourceSpan) -> PackageDependency {
        var name = text
        var range = "*"
        if let at = text.lastIndex(of: "@"), at != text.startIndex {
            name = String(text[..<at])
            range = String(text[text.index(after: at)...])
        }
        range = range.trimmingSpaces
        var rangeError: String?
        do {
            _ = try VersionRange(range)
        } catch {
            rangeError = error.description
        }
        return PackageDependency(text: text, name: name.trimmingSpaces, range: range, rangeError: rangeError, location: location)
    }

    /// An item that is not a string, kept so that the rules fail on it.
    static func malformed(_ error: String, location: SourceSpan) -> PackageDependency {
        PackageDependency(text: "", name: "", range: "", rangeError: nil, error: error, location: location)
    }
}

private extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
