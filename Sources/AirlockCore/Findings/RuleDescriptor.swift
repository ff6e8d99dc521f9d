/// What reports need to know about a rule, independent of how it is evaluated.
public struct RuleDescriptor: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var description: String
    public var remediation: String
    public var category: Category
    public var severity: Severity
    /// Compliance mappings such as `NIST-800-53:AC-4`.
    public var controls: [String]

    public init(
        id: String, title: String, description: String, remediation: String,
        category: Category, severity: Severity, controls: [String]
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.remediation = remediation
        self.category = category
        self.severity = severity
        self.controls = controls
    }
}
