/// One rule violated by one object: the unit every reporter writes.
public struct Finding: Sendable, Hashable, Codable {
    public var ruleID: String
    public var category: Category
    public var severity: Severity
    public var message: String
    /// Where the finding points: the field at fault where known, else the document.
    public var location: SourceSpan?
    /// The `# Source:` template path of a `helm template` document.
    public var helmSource: String?
    public var resource: ResourceRef?
    /// Other places involved, e.g. the NetworkPolicy that opens a boundary.
    public var relatedLocations: [RelatedLocation]
    public var suppression: Suppression?

    public init(
        ruleID: String, category: Category, severity: Severity, message: String,
        location: SourceSpan?, helmSource: String? = nil, resource: ResourceRef? = nil,
        relatedLocations: [RelatedLocation] = [], suppression: Suppression? = nil
    ) {
        self.ruleID = ruleID
        self.category = category
        self.severity = severity
        self.message = message
        self.location = location
        self.helmSource = helmSource
        self.resource = resource
        self.relatedLocations = relatedLocations
        self.suppression = suppression
    }
}

/// A secondary location attached to a finding.
public struct RelatedLocation: Sendable, Hashable, Codable {
    public var message: String
    public var location: SourceSpan

    public init(message: String, location: SourceSpan) {
        self.message = message
        self.location = location
    }
}
