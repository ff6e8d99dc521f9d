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
    public var message: String
    public var location: SourceSpan?
    /// Set for evaluation errors: the rule that failed.
    public var ruleID: String?
    /// Set for evaluation errors on a resource.
    public var resource: ResourceRef?

    public init(kind: Kind, message: String, location: SourceSpan?, ruleID: String? = nil, resource: ResourceRef? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.ruleID = ruleID
        self.resource = resource
    }

    /// `file:line:col: message`, the form every error takes on the terminal.
    public var description: String {
        guard let location else { return message }
        return "\(location.file):\(location.line):\(location.column): \(message)"
    }
}
