/// One accepted finding pattern, from an exceptions file or an inline annotation.
public struct AcceptedRisk: Sendable {
    public var rule: String
    /// Globs (`*`, `?`) on kind, namespace and name; nil matches anything. For an inline
    /// exception, the annotated object's own kind, namespace and name, compared exactly.
    public var kind: String?
    public var namespace: String?
    public var name: String?
    /// For an inline exception, the annotated object's file: only findings of that object are
    /// matched, never by glob, so that an object named `*` (or made with `generateName: web-`,
    /// `web-*` in the inventory) cannot reach others.
    public var objectFile: String?
    public var justification: String
    public var owner: String
    /// `YYYY-MM-DD`: the last day the exception holds.
    public var expires: String
    /// Where the exception is written.
    public var location: SourceSpan
    public var source: Suppression.Kind

    public func matches(_ finding: Finding) -> Bool {
        guard finding.ruleID == rule else { return false }
        // A finding of no object (values, a bundle, a package) is matched by a pattern that names
        // no object: kind and name, when given, are `*`, and no namespace (it has none).
        guard let resource = finding.resource else { return namespace == nil && [kind, name].allSatisfy { $0 == nil || $0 == "*" } }
        if let objectFile {
            return finding.location?.file == objectFile && resource.kind == kind && resource.namespace == namespace && resource.name == name
        }
        // A namespace glob, `*` too, matches only an object in a namespace: a cluster-scoped one has
        // none, which only `namespace: ""` names.
        if let namespace, Glob.hasWildcard(namespace), resource.namespace.isEmpty { return false }
        return Glob.matches(kind, resource.kind) && Glob.matches(namespace, resource.namespace) && Glob.matches(name, resource.name)
    }

    /// Whether the exception has expired on `today` (`YYYY-MM-DD`, compared as text).
    public func isExpired(on today: String) -> Bool { expires < today }

    var suppression: Suppression {
        Suppression(kind: source, justification: justification, owner: owner, expires: expires)
    }
}

/// Shell-style globs: `*` any run of characters, `?` one character.
enum Glob {
    /// Whether `pattern` matches anything but itself.
    static func hasWildcard(_ pattern: String) -> Bool {
        pattern.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
    }

    static func matches(_ pattern: String?, _ text: String) -> Bool {
        guard let pattern else { return true }
        return match(Array(pattern.unicodeScalars)[...], Array(text.unicodeScalars)[...])
    }

    private static func match(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        var star: Int?
        var resume = t
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.endIndex, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let starIndex = star {
                p = starIndex + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}
