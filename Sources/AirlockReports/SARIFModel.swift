/// The subset of SARIF 2.1.0 airlock writes. Each value writes its properties in sorted key order
/// (`JSONWritable`), leaving out optionals that are nil; a typo in a property name is a schema
/// failure in the tests.
enum SARIF {
    struct Log: JSONWritable {
        var schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("$schema", schema)
                json.member("runs", runs)
                json.member("version", version)
            }
        }
    }

    struct Run: JSONWritable {
        var tool: Tool
        var invocations: [Invocation]
        var originalUriBaseIds: [String: ArtifactLocation]
        var artifacts: [Artifact]
        var results: [Result]
        var columnKind = "unicodeCodePoints"
        var properties: RunProperties?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("artifacts", artifacts)
                json.member("columnKind", columnKind)
                json.member("invocations", invocations)
                json.member("originalUriBaseIds", originalUriBaseIds)
                json.member("properties", ifPresent: properties)
                json.member("results", results)
                json.member("tool", tool)
            }
        }
    }

    struct RunProperties: JSONWritable {
        var failOn: String
        var exitCode: Int32
        var truncatedResults: Int?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("exitCode", exitCode)
                json.member("failOn", failOn)
                json.member("truncatedResults", ifPresent: truncatedResults)
            }
        }
    }

    struct Tool: JSONWritable {
        var driver: ToolComponent

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("driver", driver)
            }
        }
    }

    struct ToolComponent: JSONWritable {
        var name: String
        var version: String
        var informationUri: String
        var rules: [ReportingDescriptor]

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("informationUri", informationUri)
                json.member("name", name)
                json.member("rules", rules)
                json.member("version", version)
            }
        }
    }

    struct ReportingDescriptor: JSONWritable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: MultiformatMessage
        var defaultConfiguration: ReportingConfiguration
        var properties: RuleProperties

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("defaultConfiguration", defaultConfiguration)
                json.member("fullDescription", fullDescription)
                json.member("help", help)
                json.member("id", id)
                json.member("name", name)
                json.member("properties", properties)
                json.member("shortDescription", shortDescription)
            }
        }
    }

    struct ReportingConfiguration: JSONWritable {
        var level: String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("level", level)
            }
        }
    }

    struct RuleProperties: JSONWritable {
        var tags: [String]
        var precision: String
        var securitySeverity: String?
        var category: String
        var severity: String
        var controls: [String]

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("category", category)
                json.member("controls", controls)
                json.member("precision", precision)
                json.member("security-severity", ifPresent: securitySeverity)
                json.member("severity", severity)
                json.member("tags", tags)
            }
        }
    }

    /// A message string as SARIF 2.1.0 §3.11.5 writes it: `{n}` is a placeholder for the message's
    /// `arguments`, so a literal `{` or `}` is `{{` or `}}`, in every message string (plain text
    /// and Markdown, with or without arguments). airlock writes no placeholders.
    static func messageString(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isBrace(scalar) { escaped.unicodeScalars.append(scalar) }
            escaped.unicodeScalars.append(scalar)
        }
        return escaped
    }

    /// How many characters `character` takes in a message string: one more per brace it holds.
    static func writtenLength(of character: Character) -> Int {
        1 + character.unicodeScalars.count(where: isBrace)
    }

    private static func isBrace(_ scalar: Unicode.Scalar) -> Bool { scalar == "{" || scalar == "}" }

    struct Message: JSONWritable {
        var text: String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("text", SARIF.messageString(text))
            }
        }
    }

    struct MultiformatMessage: JSONWritable {
        var text: String
        var markdown: String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("markdown", SARIF.messageString(markdown))
                json.member("text", SARIF.messageString(text))
            }
        }
    }

    struct Invocation: JSONWritable {
        var executionSuccessful: Bool
        var exitCode: Int32
        var toolExecutionNotifications: [Notification]
        /// Rules the run's configuration kept from running (no tier for a tier-limited rule).
        var toolConfigurationNotifications: [Notification]?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("executionSuccessful", executionSuccessful)
                json.member("exitCode", exitCode)
                json.member("toolConfigurationNotifications", ifPresent: toolConfigurationNotifications)
                json.member("toolExecutionNotifications", toolExecutionNotifications)
            }
        }
    }

    struct Notification: JSONWritable {
        var level: String
        var message: Message
        var descriptor: ReportingDescriptorReference
        var associatedRule: ReportingDescriptorReference?
        var locations: [Location]?
        var properties: NotificationProperties?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("associatedRule", ifPresent: associatedRule)
                json.member("descriptor", descriptor)
                json.member("level", level)
                json.member("locations", ifPresent: locations)
                json.member("message", message)
                json.member("properties", ifPresent: properties)
            }
        }
    }

    struct NotificationProperties: JSONWritable {
        var kind: String
        var resource: ResourceProperties?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("kind", kind)
                json.member("resource", ifPresent: resource)
            }
        }
    }

    struct ReportingDescriptorReference: JSONWritable {
        var id: String
        var index: Int?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("id", id)
                json.member("index", ifPresent: index)
            }
        }
    }

    struct ArtifactLocation: JSONWritable {
        var uri: String?
        var uriBaseId: String?
        var description: Message?
        /// The artifact's place in the run's `artifacts` (see `SARIFArtifactIndex`).
        var index: Int?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("description", ifPresent: description)
                json.member("index", ifPresent: index)
                json.member("uri", ifPresent: uri)
                json.member("uriBaseId", ifPresent: uriBaseId)
            }
        }
    }

    struct Artifact: JSONWritable {
        /// Absent for standard input, which is no file: `description` says what it is.
        var location: ArtifactLocation?
        var description: Message?
        /// Nil for a file the run points at but did not read (a file of a bundle folder).
        var hashes: [String: String]?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("description", ifPresent: description)
                json.member("hashes", ifPresent: hashes)
                json.member("location", ifPresent: location)
            }
        }
    }

    struct Result: JSONWritable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
        var relatedLocations: [Location]?
        var suppressions: [Suppression]?
        var properties: ResultProperties

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("level", level)
                json.member("locations", locations)
                json.member("message", message)
                json.member("partialFingerprints", partialFingerprints)
                json.member("properties", properties)
                json.member("relatedLocations", ifPresent: relatedLocations)
                json.member("ruleId", ruleId)
                json.member("ruleIndex", ruleIndex)
                json.member("suppressions", ifPresent: suppressions)
            }
        }
    }

    struct Location: JSONWritable {
        var id: Int?
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]?
        var message: Message?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("id", ifPresent: id)
                json.member("logicalLocations", ifPresent: logicalLocations)
                json.member("message", ifPresent: message)
                json.member("physicalLocation", ifPresent: physicalLocation)
            }
        }
    }

    struct PhysicalLocation: JSONWritable {
        var artifactLocation: ArtifactLocation
        var region: Region?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("artifactLocation", artifactLocation)
                json.member("region", ifPresent: region)
            }
        }
    }

    struct Region: JSONWritable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int?
        var endColumn: Int?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("endColumn", ifPresent: endColumn)
                json.member("endLine", ifPresent: endLine)
                json.member("startColumn", startColumn)
                json.member("startLine", startLine)
            }
        }
    }

    struct LogicalLocation: JSONWritable {
        var fullyQualifiedName: String
        var kind: String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("fullyQualifiedName", fullyQualifiedName)
                json.member("kind", kind)
            }
        }
    }

    /// No `status`: absent means accepted, and the older draft-07 schema many tools use lacks it.
    struct Suppression: JSONWritable {
        var kind: String
        var justification: String
        var properties: SuppressionProperties

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("justification", justification)
                json.member("kind", kind)
                json.member("properties", properties)
            }
        }
    }

    struct SuppressionProperties: JSONWritable {
        var source: String
        var owner: String?
        var expires: String?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("expires", ifPresent: expires)
                json.member("owner", ifPresent: owner)
                json.member("source", source)
            }
        }
    }

    struct ResultProperties: JSONWritable {
        var category: String
        var severity: String
        var resource: ResourceProperties?
        var helmSource: String?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("category", category)
                json.member("helmSource", ifPresent: helmSource)
                json.member("resource", ifPresent: resource)
                json.member("severity", severity)
            }
        }
    }

    struct ResourceProperties: JSONWritable {
        var apiVersion: String
        var kind: String
        var namespace: String
        var name: String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("apiVersion", apiVersion)
                json.member("kind", kind)
                json.member("name", name)
                json.member("namespace", namespace)
            }
        }
    }
}
