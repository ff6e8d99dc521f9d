import AirlockCore

/// The one order every reporter writes findings, diagnostics and rules in, so that the same
/// result always gives the same bytes whatever order the engine produced.
enum ReportOrdering {
    /// Findings by file, line, column, rule id, resource, message; findings without a location last.
    static func findings(_ findings: [Finding]) -> [Finding] {
        findings.sorted { lhs, rhs in
            compare(locationKey(lhs.location), locationKey(rhs.location))
                ?? compare(lhs.ruleID, rhs.ruleID)
                ?? compare(lhs.resource?.orderingKey ?? "", rhs.resource?.orderingKey ?? "")
                ?? compare(lhs.message, rhs.message)
                ?? compare(tieBreak(lhs), tieBreak(rhs))
                ?? false
        }
    }

    /// Diagnostics by file, line, column, rule id, resource, message; unlocated ones first,
    /// since they usually explain everything after them (an unreadable input, a bad policy).
    static func diagnostics(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { lhs, rhs in
            compare(lhs.location == nil ? 0 : 1, rhs.location == nil ? 0 : 1)
                ?? compare(locationKey(lhs.location), locationKey(rhs.location))
                ?? compare(lhs.ruleID ?? "", rhs.ruleID ?? "")
                ?? compare(lhs.resource?.orderingKey ?? "", rhs.resource?.orderingKey ?? "")
                ?? compare(lhs.message, rhs.message)
                ?? compare(lhs.kind.rawValue, rhs.kind.rawValue)
                ?? false
        }
    }

    /// Every rule that ran or was reported on, by id. Findings and diagnostics naming a rule the
    /// result does not describe get a minimal descriptor, so nothing is dropped for want of its rule.
    static func rules(_ result: CheckResult) -> [CheckResult.RuleRun] {
        var byID: [String: CheckResult.RuleRun] = [:]
        for run in result.rules where byID[run.rule.id] == nil {
            byID[run.rule.id] = CheckResult.RuleRun(
                rule: run.rule, evaluated: run.evaluated.sorted(), notRun: run.notRun, matchedNothing: run.matchedNothing,
                skipped: run.skipped.sorted { ($0.subject, $0.reason) < ($1.subject, $1.reason) })
        }
        for finding in result.findings where byID[finding.ruleID] == nil {
            let rule = RuleDescriptor(
                id: finding.ruleID, title: finding.ruleID, description: "", remediation: "",
                category: finding.category, severity: finding.severity, controls: [])
            byID[finding.ruleID] = CheckResult.RuleRun(rule: rule, evaluated: [])
        }
        for diagnostic in result.diagnostics {
            guard let ruleID = diagnostic.ruleID, byID[ruleID] == nil else { continue }
            let rule = RuleDescriptor(
                id: ruleID, title: ruleID, description: "", remediation: "",
                category: .general, severity: .info, controls: [])
            byID[ruleID] = CheckResult.RuleRun(rule: rule, evaluated: [])
        }
        return byID.values.sorted { $0.rule.id < $1.rule.id }
    }

    /// Artifacts by path, duplicates removed.
    static func artifacts(_ artifacts: [CheckResult.Artifact]) -> [CheckResult.Artifact] {
        Array(Set(artifacts)).sorted { ($0.path, $0.sha256) < ($1.path, $1.sha256) }
    }

    private static func locationKey(_ span: SourceSpan?) -> LocationKey {
        guard let span else { return LocationKey(missing: 1, file: "", line: 0, column: 0) }
        return LocationKey(missing: 0, file: span.file, line: span.line, column: span.column)
    }

    private static func tieBreak(_ finding: Finding) -> String {
        [
            finding.severity.rawValue, finding.category.rawValue, finding.helmSource ?? "",
            finding.location.map { "\($0.endLine ?? 0):\($0.endColumn ?? 0)" } ?? "",
            finding.suppression.map { "\($0.kind.rawValue):\($0.justification)" } ?? "",
        ].joined(separator: "\u{0}")
    }

    /// nil when equal, so comparisons chain with `??`.
    private static func compare<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool? {
        lhs == rhs ? nil : lhs < rhs
    }
}

private struct LocationKey: Comparable {
    var missing: Int
    var file: String
    var line: Int
    var column: Int

    static func < (lhs: LocationKey, rhs: LocationKey) -> Bool {
        (lhs.missing, lhs.file, lhs.line, lhs.column) < (rhs.missing, rhs.file, rhs.line, rhs.column)
    }
}

extension ResourceRef {
    /// Namespace, kind, name, apiVersion: the order resources sort in.
    var orderingKey: String { [namespace, kind, name, apiVersion].joined(separator: "\u{0}") }
}

extension Finding {
    /// The evaluated-object name this finding belongs to: the resource's qualified name, else the
    /// file, else a placeholder. Matches `CheckResult.RuleRun.evaluated` entries.
    var objectName: String {
        if let resource { return resource.qualifiedName }
        if let location { return location.file }
        return "(no object)"
    }

    /// The message and the object, `message (ns/Kind/name)`, for the formats with one line per
    /// finding: they also say how many objects of the same controller the finding is folded from.
    var messageWithObject: String {
        var objects = resource.map { [$0.qualifiedName] } ?? []
        if !alsoIn.isEmpty { objects.append("and \(alsoIn.count) more of the same controller") }
        return objects.isEmpty ? message : "\(message) (\(objects.joined(separator: ", ")))"
    }
}

extension Diagnostic {
    /// The evaluated-object name an evaluation diagnostic belongs to.
    var objectName: String {
        if let resource { return resource.qualifiedName }
        if let location { return location.file }
        return "(no object)"
    }
}
