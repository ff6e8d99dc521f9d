/// Why a finding does not count against the gate.
public struct Suppression: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// From an exceptions file.
        case external
        /// From an `airlock.dev/exception.<rule>` annotation on the resource.
        case inline
        /// Present in the baseline given with `--baseline`.
        case baseline
    }

    public var kind: Kind
    public var justification: String
    public var owner: String?
    /// `YYYY-MM-DD`.
    public var expires: String?

    public init(kind: Kind, justification: String, owner: String? = nil, expires: String? = nil) {
        self.kind = kind
        self.justification = justification
        self.owner = owner
        self.expires = expires
    }
}
