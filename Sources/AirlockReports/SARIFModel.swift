/// The subset of SARIF 2.1.0 airlock writes, as Codable values: a typo in a property name is a
/// compile error here and a schema failure in the tests. Optionals are omitted when nil.
enum SARIF {
    struct Log: Codable {
        var schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", version, runs
        }
    }

    struct Run: Codable {
        var tool: Tool
        var invocations: [Invocation]
        var originalUriBaseIds: [String: ArtifactLocation]
        var artifacts: [Artifact]
        var results: [Result]
        var columnKind = "unicodeCodePoints"
        var properties: RunProperties?
    }

    struct RunProperties: Codable {
        var failOn: String
        var exitCode: Int32
        var truncatedResults: Int?
    }

    struct Tool: Codable {
        var driver: ToolComponent
    }

    struct ToolComponent: Codable {
        var name: String
        var version: String
        var informationUri: String
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Codable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: MultiformatMessage
        var defaultConfiguration: ReportingConfiguration
        var properties: RuleProperties
    }

    struct ReportingConfiguration: Codable {
        var level: String
    }

    struct RuleProperties: Codable {
        var tags: [String]
        var precision: String
        var securitySeverity: String?
        var category: String
        var severity: String
        var controls: [String]

        enum CodingKeys: String, CodingKey {
            case tags, precision, securitySeverity = "security-severity", category, severity, controls
        }
    }

    struct Message: Codable {
        var text: String
    }

    struct MultiformatMessage: Codable {
        var text: String
        var markdown: String
    }

    struct Invocation: Codable {
        var executionSuccessful: Bool
        var exitCode: Int32
        var toolExecutionNotifications: [Notification]
        /// Rules the run's configuration kept from running (no tier for a tier-limited rule).
        var toolConfigurationNotifications: [Notification]?
    }

    struct Notification: Codable {
        var level: String
        var message: Message
        var descriptor: ReportingDescriptorReference
        var associatedRule: ReportingDescriptorReference?
        var locations: [Location]?
        var properties: NotificationProperties?
    }

    struct NotificationProperties: Codable {
        var kind: String
        var resource: ResourceProperties?
    }

    struct ReportingDescriptorReference: Codable {
        var id: String
        var index: Int?
    }

    struct ArtifactLocation: Codable {
        var uri: String?
        var uriBaseId: String?
        var description: Message?
    }

    struct Artifact: Codable {
        var location: ArtifactLocation
        var hashes: [String: String]
    }

    struct Result: Codable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
        var relatedLocations: [Location]?
        var suppressions: [Suppression]?
        var properties: ResultProperties
    }

    struct Location: Codable {
        var id: Int?
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]?
        var message: Message?
    }

    struct PhysicalLocation: Codable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct Region: Codable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int?
        var endColumn: Int?
    }

    struct LogicalLocation: Codable {
        var fullyQualifiedName: String
        var kind: String
    }

    /// No `status`: absent means accepted, and the older draft-07 schema many tools use lacks it.
    struct Suppression: Codable {
        var kind: String
        var justification: String
        var properties: SuppressionProperties
    }

    struct SuppressionProperties: Codable {
        var source: String
        var owner: String?
        var expires: String?
    }

    struct ResultProperties: Codable {
        var category: String
        var severity: String
        var resource: ResourceProperties?
        var helmSource: String?
    }

    struct ResourceProperties: Codable {
        var apiVersion: String
        var kind: String
        var namespace: String
        var name: String
    }
}
