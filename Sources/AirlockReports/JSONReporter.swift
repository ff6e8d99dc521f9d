import AirlockCore

/// airlock's own JSON report (`--format json`), schema version 1, documented in docs/reports.md.
public struct JSONReporter: Reporter {
    /// Bumped on any incompatible change to the document's shape.
    public static let schemaVersion = "1"

    public init() {}

    public func write<Sink: TextOutputStream>(_ result: CheckResult, context: ReportContext, to sink: inout Sink) throws {
        let findings = ReportOrdering.findings(result.findings)
        let fingerprints = Fingerprint.occurrences(of: findings)
        let summary = ReportSummary(result)
        let document = JSONReportDocument(
            schemaVersion: Self.schemaVersion,
            tool: .init(name: context.toolName, version: context.toolVersion, informationUri: context.informationURI),
            summary: .init(
                findings: summary.findings,
                bySeverity: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, summary.bySeverity[$0] ?? 0) }),
                byCategory: Dictionary(uniqueKeysWithValues: Category.allCases.map { ($0.rawValue, summary.byCategory[$0] ?? 0) }),
                suppressed: summary.suppressed, folded: summary.folded, errors: summary.errors, files: summary.files, rulesNotRun: summary.rulesNotRun,
                rulesMatchingNothing: summary.rulesMatchingNothing,
                failOn: result.failOn.rawValue, exitCode: summary.exitCode, passed: summary.passed),
            findings: zip(findings, fingerprints).map { JSONReportDocument.FindingEntry($0, fingerprint: $1) },
            diagnostics: ReportOrdering.diagnostics(result.diagnostics).map(JSONReportDocument.DiagnosticEntry.init),
            rules: ReportOrdering.rules(result).map(JSONReportDocument.RuleEntry.init),
            artifacts: ReportOrdering.artifacts(result.artifacts).map { .init(path: $0.path, sha256: $0.sha256) },
            notes: result.notes.isEmpty ? nil : result.notes)
        JSONWriter.write(document, to: &sink)
    }
}

/// The `--format json` document. Optional fields are omitted when absent, never `null`; each
/// value writes its members in sorted key order (`JSONWritable`).
struct JSONReportDocument: JSONWritable {
    struct Tool: JSONWritable {
        var name: String
        var version: String
        var informationUri: String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("informationUri", informationUri)
                json.member("name", name)
                json.member("version", version)
            }
        }
    }

    struct Summary: JSONWritable {
        var findings: Int
        var bySeverity: [String: Int]
        var byCategory: [String: Int]
        var suppressed: Int
        var folded: Int
        var errors: Int
        var files: Int
        var rulesNotRun: Int
        var rulesMatchingNothing: Int
        var failOn: String
        var exitCode: Int32
        var passed: Bool

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("byCategory", byCategory)
                json.member("bySeverity", bySeverity)
                json.member("errors", errors)
                json.member("exitCode", exitCode)
                json.member("failOn", failOn)
                json.member("files", files)
                json.member("findings", findings)
                json.member("folded", folded)
                json.member("passed", passed)
                json.member("rulesMatchingNothing", rulesMatchingNothing)
                json.member("rulesNotRun", rulesNotRun)
                json.member("suppressed", suppressed)
            }
        }
    }

    struct Location: JSONWritable {
        var file: String
        var line: Int
        var column: Int
        var endLine: Int?
        var endColumn: Int?

        init(_ span: SourceSpan) {
            file = span.file
            line = span.line
            column = span.column
            endLine = span.endLine
            endColumn = span.endColumn
        }

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("column", column)
                json.member("endColumn", ifPresent: endColumn)
                json.member("endLine", ifPresent: endLine)
                json.member("file", file)
                json.member("line", line)
            }
        }
    }

    struct Resource: JSONWritable {
        var apiVersion: String
        var kind: String
        var namespace: String
        var name: String
        var qualifiedName: String

        init(_ ref: ResourceRef) {
            apiVersion = ref.apiVersion
            kind = ref.kind
            namespace = ref.namespace
            name = ref.name
            qualifiedName = ref.qualifiedName
        }

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("apiVersion", apiVersion)
                json.member("kind", kind)
                json.member("name", name)
                json.member("namespace", namespace)
                json.member("qualifiedName", qualifiedName)
            }
        }
    }

    struct Related: JSONWritable {
        var message: String
        var location: Location

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("location", location)
                json.member("message", message)
            }
        }
    }

    /// A finding folded into this one (see `Finding.alsoIn`).
    struct Occurrence: JSONWritable {
        var message: String
        var location: Location?
        var resource: Resource?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("location", ifPresent: location)
                json.member("message", message)
                json.member("resource", ifPresent: resource)
            }
        }
    }

    struct SuppressionEntry: JSONWritable {
        var kind: String
        var justification: String
        var owner: String?
        var expires: String?

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("expires", ifPresent: expires)
                json.member("justification", justification)
                json.member("kind", kind)
                json.member("owner", ifPresent: owner)
            }
        }
    }

    struct FindingEntry: JSONWritable {
        var ruleId: String
        var category: String
        var severity: String
        var message: String
        var location: Location?
        var resource: Resource?
        var helmSource: String?
        var relatedLocations: [Related]
        var alsoIn: [Occurrence]
        var suppression: SuppressionEntry?
        var fingerprint: String

        init(_ finding: Finding, fingerprint: String) {
            ruleId = finding.ruleID
            category = finding.category.rawValue
            severity = finding.severity.rawValue
            message = finding.message
            location = finding.location.map(Location.init)
            resource = finding.resource.map(Resource.init)
            helmSource = finding.helmSource
            relatedLocations = finding.relatedLocations.map { Related(message: $0.message, location: Location($0.location)) }
            alsoIn = finding.alsoIn.map { Occurrence(message: $0.message, location: $0.location.map(Location.init), resource: $0.resource.map(Resource.init)) }
            suppression = finding.suppression.map {
                SuppressionEntry(kind: $0.kind.rawValue, justification: $0.justification, owner: $0.owner, expires: $0.expires)
            }
            self.fingerprint = fingerprint
        }

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("alsoIn", alsoIn)
                json.member("category", category)
                json.member("fingerprint", fingerprint)
                json.member("helmSource", ifPresent: helmSource)
                json.member("location", ifPresent: location)
                json.member("message", message)
                json.member("relatedLocations", relatedLocations)
                json.member("resource", ifPresent: resource)
                json.member("ruleId", ruleId)
                json.member("severity", severity)
                json.member("suppression", ifPresent: suppression)
            }
        }
    }

    struct DiagnosticEntry: JSONWritable {
        var kind: String
        var message: String
        var location: Location?
        var ruleId: String?
        var resource: Resource?

        init(_ diagnostic: Diagnostic) {
            kind = diagnostic.kind.rawValue
            message = diagnostic.message
            location = diagnostic.location.map(Location.init)
            ruleId = diagnostic.ruleID
            resource = diagnostic.resource.map(Resource.init)
        }

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("kind", kind)
                json.member("location", ifPresent: location)
                json.member("message", message)
                json.member("resource", ifPresent: resource)
                json.member("ruleId", ifPresent: ruleId)
            }
        }
    }

    struct RuleEntry: JSONWritable {
        var id: String
        var title: String
        var description: String
        var remediation: String
        var category: String
        var severity: String
        var controls: [String]
        var evaluated: Int
        /// Present only for a rule that could not run at all: why.
        var notRun: String?
        /// Present only for a rule of the user's policies that evaluated no object: why.
        var matchedNothing: String?
        /// Present only for a rule that ran but not on every subject it applies to: those, and why.
        var skipped: [CheckResult.RuleRun.Skip]

        init(_ run: CheckResult.RuleRun) {
            id = run.rule.id
            title = run.rule.title
            description = run.rule.description
            remediation = run.rule.remediation
            category = run.rule.category.rawValue
            severity = run.rule.severity.rawValue
            controls = run.rule.controls
            evaluated = run.evaluated.count
            notRun = run.notRun
            matchedNothing = run.matchedNothing
            skipped = run.skipped
        }

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("category", category)
                json.member("controls", controls)
                json.member("description", description)
                json.member("evaluated", evaluated)
                json.member("id", id)
                json.member("matchedNothing", ifPresent: matchedNothing)
                json.member("notRun", ifPresent: notRun)
                json.member("remediation", remediation)
                json.member("severity", severity)
                json.member("skipped", ifPresent: skipped.isEmpty ? nil : skipped)
                json.member("title", title)
            }
        }
    }

    struct ArtifactEntry: JSONWritable {
        var path: String
        var sha256: String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("path", path)
                json.member("sha256", sha256)
            }
        }
    }

    var schemaVersion: String
    var tool: Tool
    var summary: Summary
    var findings: [FindingEntry]
    var diagnostics: [DiagnosticEntry]
    var rules: [RuleEntry]
    var artifacts: [ArtifactEntry]
    /// What the run noted beside its findings and errors (a hidden folder skipped, a Kyverno
    /// PolicyException not applied, a kind that looks misspelt); nil when it noted nothing.
    var notes: [String]?

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("artifacts", artifacts)
            json.member("diagnostics", diagnostics)
            json.member("findings", findings)
            json.member("notes", ifPresent: notes)
            json.member("rules", rules)
            json.member("schemaVersion", schemaVersion)
            json.member("summary", summary)
            json.member("tool", tool)
        }
    }
}

extension CheckResult.RuleRun.Skip: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("reason", reason)
            json.member("subject", subject)
        }
    }
}
