import AirlockCore

/// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. See docs/reports.md for the mapping.
public struct SARIFReporter: Reporter {
    /// GitHub rejects runs with more results than this; extra results are dropped (lowest
    /// severity first) and a notification says how many.
    public var maxResults: Int
    /// Longer result messages are cut to this many characters (a notification is not needed:
    /// the cut is marked in the message itself).
    public var maxMessageLength: Int
    /// GitHub shows at most 100 locations per result; further related locations are dropped.
    public var maxRelatedLocations: Int
    /// GitHub shows at most 10 tags per rule.
    public var maxTags: Int
    /// GitHub documents a rule's short and full description as at most 1,024 characters: a longer
    /// one is cut (marked) and given whole in the rule's help.
    public var maxDescriptionLength: Int

    /// Creates a reporter with GitHub code scanning's limits.
    public init(
        maxResults: Int = 25_000, maxMessageLength: Int = 4_096, maxRelatedLocations: Int = 100, maxTags: Int = 10,
        maxDescriptionLength: Int = 1_024
    ) {
        self.maxResults = maxResults
        self.maxMessageLength = maxMessageLength
        self.maxRelatedLocations = maxRelatedLocations
        self.maxTags = maxTags
        self.maxDescriptionLength = maxDescriptionLength
    }

    public func write<Sink: TextOutputStream>(_ result: CheckResult, context: ReportContext, to sink: inout Sink) throws {
        let ruleRuns = ReportOrdering.rules(result)
        let ruleIndex = Dictionary(uniqueKeysWithValues: ruleRuns.enumerated().map { ($1.rule.id, $0) })
        let allFindings = ReportOrdering.findings(result.findings)
        let allFingerprints = Fingerprint.occurrences(of: allFindings)

        // Over the limit, keep the findings that count (unsuppressed) before the accepted ones, the
        // most severe first, and write them in report order: a baseline of many findings must not
        // crowd out the new one that fails the run.
        var kept = Array(allFindings.indices)
        if kept.count > maxResults {
            let ranked = kept.sorted { Self.keptBefore(allFindings[$0], $0, allFindings[$1], $1) }
            kept = Array(ranked.prefix(maxResults)).sorted()
        }
        let truncated = allFindings.count - kept.count

        let files = SARIFFileLocations(namesEscapingBytes: result.namesEscapingBytes)
        var notifications = ReportOrdering.diagnostics(result.diagnostics).map { notification(for: $0, ruleIndex: ruleIndex, files: files) }
        notifications += result.notes.map { note in
            SARIF.Notification(level: "note", message: .init(text: note), descriptor: .init(id: "airlock/note"))
        }
        if truncated > 0 {
            notifications.append(SARIF.Notification(
                level: "warning",
                message: .init(text: "\(truncated) of \(allFindings.count) results were left out to stay within the limit of \(maxResults) results per run; unsuppressed results were kept before suppressed ones, the most severe first. Use --format json for the complete list."),
                descriptor: .init(id: "airlock/results-truncated")))
        }

        var run = SARIF.Run(
            tool: .init(driver: .init(
                name: context.toolName, version: context.toolVersion, informationUri: context.informationURI,
                rules: ruleRuns.map { descriptor(for: $0.rule) })),
            invocations: [.init(
                executionSuccessful: result.diagnostics.isEmpty, exitCode: result.exitCode,
                toolExecutionNotifications: notifications,
                toolConfigurationNotifications: ruleNotifications(ruleRuns, ruleIndex: ruleIndex))],
            originalUriBaseIds: [SARIFFileLocations.sourceRoot: .init(description: .init(
                text: "The folder airlock was run from (or its --root). A file outside it that was named by an absolute path has an absolute file URI instead; one named by a relative path is relative to it (../)."))],
            artifacts: [],
            results: kept.map { index in
                sarifResult(allFindings[index], fingerprint: allFingerprints[index], ruleIndex: ruleIndex[allFindings[index].ruleID] ?? 0, files: files)
            },
            properties: .init(failOn: result.failOn.rawValue, exitCode: result.exitCode, truncatedResults: truncated > 0 ? truncated : nil))
        SARIFArtifactIndex.index(&run, read: ReportOrdering.artifacts(result.artifacts).map {
            Self.isStandardInput($0.path)
                ? SARIF.Artifact(description: .init(text: "standard input"), hashes: ["sha-256": $0.sha256])
                : SARIF.Artifact(location: files.artifactLocation($0.path), hashes: ["sha-256": $0.sha256])
        })
        JSONWriter.write(SARIF.Log(runs: [run]), to: &sink)
    }

    /// The order results are kept in when there are more than `maxResults`: unsuppressed before
    /// suppressed, then by severity (highest first), then in report order.
    private static func keptBefore(_ a: Finding, _ aIndex: Int, _ b: Finding, _ bIndex: Int) -> Bool {
        let (aCounts, bCounts) = (a.suppression == nil, b.suppression == nil)
        if aCounts != bCounts { return aCounts }
        if a.severity != b.severity { return a.severity > b.severity }
        return aIndex < bIndex
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    /// GitHub's `security-severity` score (CVSS-like, 0.0-10.0); none for `info`.
    static func securitySeverity(_ severity: Severity) -> String? {
        switch severity {
        case .critical: return "9.5"
        case .high: return "8.0"
        case .medium: return "5.5"
        case .low: return "3.0"
        case .info: return nil
        }
    }

    /// `classification.cross-level` -> `ClassificationCrossLevel`: the SARIF rule `name`.
    static func ruleName(_ id: String) -> String {
        let words = id.split { !($0.isLetter || $0.isNumber) }
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.isEmpty ? "Rule" : name
    }

    private func descriptor(for rule: RuleDescriptor) -> SARIF.ReportingDescriptor {
        let title = rule.title.isEmpty ? rule.id : rule.title
        let full = rule.description.isEmpty ? title : rule.description
        let remediation = rule.remediation.isEmpty ? "No remediation is documented for this rule." : rule.remediation
        var markdown = "**Remediation:** \(remediation)"
        if !rule.controls.isEmpty {
            markdown += "\n\n**Controls:** " + rule.controls.map { "`\($0)`" }.joined(separator: ", ")
        }
        var help = remediation
        let description = limited(full, to: maxDescriptionLength)
        if description != full {
            help = full + "\n\nRemediation: " + remediation
            markdown = full + "\n\n" + markdown
        }
        let tags = Array((["security", rule.category.rawValue] + rule.controls).prefix(maxTags))
        return SARIF.ReportingDescriptor(
            id: rule.id, name: Self.ruleName(rule.id),
            shortDescription: .init(text: limited(title, to: maxDescriptionLength)), fullDescription: .init(text: description),
            help: .init(text: help, markdown: markdown),
            defaultConfiguration: .init(level: Self.level(rule.severity)),
            properties: .init(
                tags: tags, precision: "high", securitySeverity: Self.securitySeverity(rule.severity),
                category: rule.category.rawValue, severity: rule.severity.rawValue, controls: rule.controls))
    }

    /// A location in a file (where known) and of an object (where there is one).
    private func place(_ span: SourceSpan?, resource: ResourceRef?, message: String? = nil, files: SARIFFileLocations) -> SARIF.Location {
        var location = SARIF.Location(message: message.map { .init(text: $0) })
        location.physicalLocation = span.flatMap(files.physical)
        if let resource {
            location.logicalLocations = [.init(fullyQualifiedName: resource.qualifiedName, kind: "resource")]
        }
        return location
    }

    private func sarifResult(_ finding: Finding, fingerprint: String, ruleIndex: Int, files: SARIFFileLocations) -> SARIF.Result {
        let location = place(finding.location, resource: finding.resource, files: files)
        var related: [SARIF.Location] = []
        if let helmSource = finding.helmSource {
            related.append(SARIF.Location(
                physicalLocation: .init(artifactLocation: .init(uri: files.uri(helmSource))),
                message: .init(text: "Rendered from the Helm template \(helmSource)")))
        }
        for item in finding.relatedLocations {
            related.append(SARIF.Location(
                physicalLocation: files.physical(item.location), message: .init(text: Self.placedInStandardInput(item.message, at: item.location))))
        }
        for occurrence in finding.alsoIn {
            related.append(place(
                occurrence.location, resource: occurrence.resource,
                message: Self.placedInStandardInput(occurrence.description(foldedInto: finding), at: occurrence.location), files: files))
        }
        related = Array(related.prefix(maxRelatedLocations))
        for index in related.indices { related[index].id = index + 1 }

        return SARIF.Result(
            ruleId: finding.ruleID, ruleIndex: ruleIndex, level: Self.level(finding.severity),
            message: .init(text: limited(Self.placedInStandardInput(finding.message, at: finding.location))),
            locations: location.physicalLocation == nil && location.logicalLocations == nil ? [] : [location],
            partialFingerprints: [Fingerprint.sarifKey: fingerprint],
            relatedLocations: related.isEmpty ? nil : related,
            suppressions: finding.suppression.map { [suppression($0)] },
            properties: .init(
                category: finding.category.rawValue, severity: finding.severity.rawValue,
                resource: finding.resource.map(resourceProperties), helmSource: finding.helmSource))
    }

    private func suppression(_ suppression: Suppression) -> SARIF.Suppression {
        SARIF.Suppression(
            kind: suppression.kind == .inline ? "inSource" : "external",
            justification: suppression.justification,
            properties: .init(source: suppression.kind.rawValue, owner: suppression.owner, expires: suppression.expires))
    }

    /// A note for each rule that did not run and each subject a rule was not evaluated on, a
    /// warning for each rule of the user's policies that evaluated no object; nil (no property)
    /// when there is none.
    private func ruleNotifications(_ runs: [CheckResult.RuleRun], ruleIndex: [String: Int]) -> [SARIF.Notification]? {
        let notes = runs.flatMap { run in
            let rule = SARIF.ReportingDescriptorReference(id: run.rule.id, index: ruleIndex[run.rule.id])
            let notRun = run.notRun.map { reason in
                SARIF.Notification(
                    level: "note", message: .init(text: "Rule \(run.rule.id) did not run: \(reason)."),
                    descriptor: .init(id: "airlock/rule-not-run"), associatedRule: rule)
            }
            let matchedNothing = run.matchedNothing.map { reason in
                SARIF.Notification(
                    level: "warning", message: .init(text: "Rule \(run.rule.id) evaluated no object: \(reason)\(reason.hasSuffix("?") ? "" : ".")"),
                    descriptor: .init(id: "airlock/rule-matched-nothing"), associatedRule: rule)
            }
            let skipped = run.skipped.map { skip in
                SARIF.Notification(
                    level: "note", message: .init(text: "Rule \(run.rule.id) was not evaluated on \(skip.subject): \(skip.reason)."),
                    descriptor: .init(id: "airlock/rule-not-run"), associatedRule: rule)
            }
            return [notRun, matchedNothing].compactMap { $0 } + skipped
        }
        return notes.isEmpty ? nil : notes
    }

    private func notification(for diagnostic: Diagnostic, ruleIndex: [String: Int], files: SARIFFileLocations) -> SARIF.Notification {
        var locations: [SARIF.Location]?
        if let span = diagnostic.location, let physicalLocation = files.physical(span) {
            var location = SARIF.Location(physicalLocation: physicalLocation)
            if let resource = diagnostic.resource {
                location.logicalLocations = [.init(fullyQualifiedName: resource.qualifiedName, kind: "resource")]
            }
            locations = [location]
        }
        return SARIF.Notification(
            level: "error", message: .init(text: limited(Self.placedInStandardInput(diagnostic.message, at: diagnostic.location))),
            descriptor: .init(id: "airlock/\(diagnostic.kind.rawValue)-error"),
            associatedRule: diagnostic.ruleID.map { .init(id: $0, index: ruleIndex[$0]) },
            locations: locations,
            properties: .init(kind: diagnostic.kind.rawValue, resource: diagnostic.resource.map(resourceProperties)))
    }

    static func isStandardInput(_ path: String) -> Bool { path == InputReader.standardInputName }

    /// `message` starting with its place when that is in standard input (`<stdin>:12:7: …`, as
    /// the github format writes it): with no physical location, the line and column would be
    /// lost, and `helm template … | airlock check - --format sarif` is the usual way to run.
    private static func placedInStandardInput(_ message: String, at span: SourceSpan?) -> String {
        guard let span, isStandardInput(span.file) else { return message }
        return "\(span.file):\(span.line):\(span.column): " + message
    }

    private func resourceProperties(_ ref: ResourceRef) -> SARIF.ResourceProperties {
        SARIF.ResourceProperties(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name)
    }

    /// `message` cut to `limit` characters as written, its braces doubled (by default
    /// `maxMessageLength`), the cut marked.
    private func limited(_ message: String, to limit: Int? = nil) -> String {
        let limit = limit ?? maxMessageLength
        guard message.reduce(0, { $0 + SARIF.writtenLength(of: $1) }) > limit else { return message }
        let marker = " [truncated]"
        var room = max(0, limit - marker.count)
        var end = message.startIndex
        while end < message.endIndex, SARIF.writtenLength(of: message[end]) <= room {
            room -= SARIF.writtenLength(of: message[end])
            message.formIndex(after: &end)
        }
        return String(message[..<end]) + marker
    }
}
