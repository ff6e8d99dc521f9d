/// A problem that makes the result untrustworthy: unreadable input, a bad policy, or a rule that
/// could not be evaluated on an object. Every reporter writes these, and they fail the run (exit 2).
public struct Diagnostic: Sendable, Hashable, Codable, Error {
    public enum Kind: String, Sendable, Codable {
        /// An input file could not be read or parsed.
        case input
        /// A policy could not be loaded.
        case policy
        /// A rule failed while evaluating one object.
        case evaluation
        /// A usage or configuration problem (config file, exceptions file).
        case configuration
    }

    public var kind: Kind
    /// What is wrong, without `firstDefinition`, at most `MessageLength.limit` bytes.
    public var summary: String
    public var location: SourceSpan?
    /// The first definition of what this one repeats (an object or policy defined twice). Kept
    /// apart from `summary` so that reports write its path relative to the root, as every other.
    public var firstDefinition: SourceSpan?
    /// Set for evaluation errors: the rule that failed.
    public var ruleID: String?
    /// Set for evaluation errors on a resource.
    public var resource: ResourceRef?

    public init(kind: Kind, message: String, location: SourceSpan?, firstDefinition: SourceSpan? = nil, ruleID: String? = nil, resource: ResourceRef? = nil) {
        self.kind = kind
        summary = MessageLength.bounded(message)
        self.location = location
        self.firstDefinition = firstDefinition
        self.ruleID = ruleID
        self.resource = resource
    }

    /// The summary, then where the first definition is: `(first at line 3)` in the same file,
    /// `(first at FILE:LINE)` in another.
    public var message: String {
        guard let first = firstDefinition else { return summary }
        let place = first.file == location?.file ? "line \(first.line)" : "\(first.file):\(first.line)"
        return "\(summary) (first at \(place))"
    }

    /// The diagnostic with its files (where it is, and where the first definition is) named as
    /// `name` gives them: relative to the root, as reports name files.
    public func naming(files name: (String) -> String) -> Diagnostic {
        var copy = self
        if let file = location?.file { copy.location?.file = name(file) }
        if let file = firstDefinition?.file { copy.firstDefinition?.file = name(file) }
        return copy
    }

    /// `file:line:col: message`, the form every error takes on the terminal.
    public var description: String {
        guard let location else { return message }
        return "\(location.file):\(location.line):\(location.column): \(message)"
    }
}
