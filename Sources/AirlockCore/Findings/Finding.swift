/// One rule violated by one object: the unit every reporter writes.
public struct Finding: Sendable, Hashable, Codable {
    public var ruleID: String
    public var category: Category
    public var severity: Severity
    /// What is wrong, at most `MessageLength.limit` bytes.
    public var message: String
    /// Where the finding points: the field at fault where known, else the document.
    public var location: SourceSpan?
    /// The `# Source:` template path of a `helm template` document, bounded as `message` is
    /// (a comment of the input: 1 MiB of it was repeated in each finding of its document).
    public var helmSource: String?
    public var resource: ResourceRef?
    /// Other places involved, e.g. the NetworkPolicy that opens a boundary.
    public var relatedLocations: [RelatedLocation]
    public var suppression: Suppression?
    /// The same finding in other objects of this object's controller (its ReplicaSets and Pods),
    /// reported once, here (see ``OwnedObjectFolding``).
    public var alsoIn: [FoldedOccurrence] = []
    /// The root controller of the finding's object (a Pod's Deployment), when it has one (see
    /// ``ControllerChain``): the finding's fingerprint names it instead of the object, whose
    /// name changes with every rollout.
    public var controller: ControllerChain.Identity?

    public init(
        ruleID: String, category: Category, severity: Severity, message: String,
        location: SourceSpan?, helmSource: String? = nil, resource: ResourceRef? = nil,
        relatedLocations: [RelatedLocation] = [], suppression: Suppression? = nil
    ) {
        self.ruleID = ruleID
        self.category = category
        self.severity = severity
        self.message = MessageLength.bounded(message)
        self.location = location
        self.helmSource = helmSource.map { MessageLength.bounded($0) }
        self.resource = resource
        self.relatedLocations = relatedLocations
        self.suppression = suppression
    }
}

extension Finding {
    /// This finding and the findings folded into it (`alsoIn`), each of its own object, with its
    /// own place and message and this finding's suppression and controller (this finding's
    /// object, when it is the root).
    public var unfolded: [Finding] {
        guard !alsoIn.isEmpty else { return [self] }
        var folded = self
        folded.alsoIn = []
        return [folded] + alsoIn.map { occurrence in
            var copy = folded
            copy.resource = occurrence.resource
            copy.location = occurrence.location
            copy.message = occurrence.message
            copy.controller = controller ?? resource.map(ControllerChain.Identity.init)
            return copy
        }
    }

    /// The message with the object's name and kind read as its controller's (`Pod web-7d9f-x uses
    /// the host network` as `Deployment web uses the host network`): what the same problem of
    /// another object of the controller says, and what its fingerprint holds.
    public var messageAsController: String {
        guard let controller, let resource, !resource.name.isEmpty, !resource.kind.isEmpty else { return message }
        return message.replacing(resource.name, with: controller.name).replacing(resource.kind, with: controller.kind)
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

/// A finding folded into another: the same rule at the same field of the same pod template, in
/// another object made from it.
public struct FoldedOccurrence: Sendable, Hashable, Codable {
    public var resource: ResourceRef?
    public var location: SourceSpan?
    /// The folded finding's own message: the other's, but for the objects' names and kinds.
    public var message: String

    public init(resource: ResourceRef?, location: SourceSpan?, message: String) {
        self.resource = resource
        self.location = location
        self.message = message
    }

    /// `the same in ns/Pod/name`, or `in ns/Pod/name: <message>` when its message is not
    /// `finding`'s word for word.
    public func description(foldedInto finding: Finding) -> String {
        let object = resource?.qualifiedName ?? "another object"
        return message == finding.message ? "the same in \(object)" : "in \(object): \(message)"
    }

    /// Where `finding` was and what it said.
    public init(_ finding: Finding) {
        self.init(resource: finding.resource, location: finding.location, message: finding.message)
    }
}
