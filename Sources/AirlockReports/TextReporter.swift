import AirlockCore

/// The terminal report: findings grouped by file, each with the source line and a caret when
/// the context can supply it, then diagnostics, then a summary.
public struct TextReporter: Reporter {
    /// The objects listed under a finding that others repeat (see `Finding.alsoIn`); a Deployment
    /// with 50 replicas lists five and a count.
    static let occurrencesShown = 5

    public init() {}

    public func write<Sink: TextOutputStream>(_ result: CheckResult, context: ReportContext, to sink: inout Sink) throws {
        let style = Style(enabled: context.colour)
        let rules = Dictionary(ReportOrdering.rules(result).map { ($0.rule.id, $0.rule) }) { first, _ in first }
        let findings = ReportOrdering.findings(result.findings)

        var currentGroup: String?
        // Findings come sorted by file and line: the line of the last excerpt is kept, indexed.
        var lastLine: (file: String, line: Int, source: SourceExcerpt.Line?)?
        for finding in findings {
            let group = finding.location?.file ?? "(no location)"
            if group != currentGroup {
                if currentGroup != nil { sink.write("\n") }
                sink.write(style.bold(TextSanitizer.terminal(group)) + "\n")
                currentGroup = group
            }
            var source: SourceExcerpt.Line?
            if let location = finding.location, let provider = context.sourceLines {
                if let lastLine, lastLine.file == location.file, lastLine.line == location.line {
                    source = lastLine.source
                } else {
                    source = provider(location.file, location.line).map(SourceExcerpt.Line.init)
                    lastLine = (location.file, location.line, source)
                }
            }
            writeFinding(finding, source: source, rule: rules[finding.ruleID], style: style, to: &sink)
        }
        if currentGroup != nil { sink.write("\n") }

        let diagnostics = ReportOrdering.diagnostics(result.diagnostics)
        for diagnostic in diagnostics {
            sink.write(Self.diagnosticLine(diagnostic, style: style) + "\n")
        }
        if !diagnostics.isEmpty { sink.write("\n") }

        // One note per reason: a run without a tier leaves several rules out for the same one, a
        // bundle whose manifest is unreadable the rules reading it.
        var rulesByReason: [(subject: String?, reason: String, rules: [String])] = []
        for run in ReportOrdering.rules(result) {
            let reasons = (run.notRun.map { [(nil, $0)] } ?? []) + run.skipped.map { ($0.subject, $0.reason) }
            for (subject, reason) in reasons {
                if let index = rulesByReason.firstIndex(where: { $0.subject == subject && $0.reason == reason }) {
                    rulesByReason[index].rules.append(run.rule.id)
                } else {
                    rulesByReason.append((subject, reason, [run.rule.id]))
                }
            }
        }
        for (subject, reason, rules) in rulesByReason {
            let what = subject.map { (rules.count == 1 ? "was" : "were") + " not evaluated on \($0)" } ?? "did not run"
            let note = rules.count == 1
                ? "rule \(rules[0]) \(what): \(reason)"
                : "\(rules.count) rules \(what) (\(rules.joined(separator: ", "))), for the same reason: \(reason)"
            sink.write("airlock: \(style.bold("note")): \(TextSanitizer.terminal(note))\n")
        }
        if !rulesByReason.isEmpty { sink.write("\n") }
        let matchingNothing = ReportOrdering.rules(result).compactMap { run in run.matchedNothing.map { (run.rule.id, $0) } }
        for (rule, reason) in matchingNothing {
            sink.write("airlock: \(style.bold("note")): \(TextSanitizer.terminal("rule \(rule) evaluated no object: \(reason)"))\n")
        }
        if !matchingNothing.isEmpty { sink.write("\n") }

        writeSummary(ReportSummary(result), failOn: result.failOn, style: style, to: &sink)
    }

    private func writeFinding<Sink: TextOutputStream>(
        _ finding: Finding, source: SourceExcerpt.Line?, rule: RuleDescriptor?, style: Style, to sink: inout Sink
    ) {
        let position = finding.location.map { "\($0.file):\($0.line):\($0.column)" } ?? "-"
        var line = [
            TextSanitizer.terminal(position),
            style.severity(finding.severity),
            TextSanitizer.terminal(finding.ruleID),
            TextSanitizer.terminal(finding.resource?.qualifiedName ?? "-"),
            TextSanitizer.terminal(finding.message),
        ].joined(separator: "  ")
        if let suppression = finding.suppression {
            line += "  " + style.dim("[suppressed: \(TextSanitizer.terminal(suppression.justification))]")
        }
        sink.write(line + "\n")

        if let location = finding.location, let source {
            let excerpt = SourceExcerpt(line: source, column: location.column)
            let gutter = String(location.line)
            let blank = String(repeating: " ", count: gutter.count)
            sink.write("    \(style.dim(gutter + " |")) \(excerpt.text)\n")
            sink.write("    \(style.dim(blank + " |")) \(excerpt.caretPrefix)\(style.caret("^"))\n")
        }
        if let helmSource = finding.helmSource {
            sink.write("    = helm source: \(TextSanitizer.terminal(helmSource))\n")
        }
        for related in finding.relatedLocations {
            let place = "\(related.location.file):\(related.location.line):\(related.location.column)"
            sink.write("    = related: \(TextSanitizer.terminal(place)): \(TextSanitizer.terminal(related.message))\n")
        }
        for occurrence in finding.alsoIn.prefix(Self.occurrencesShown) {
            let place = occurrence.location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
            sink.write("    = also: \(TextSanitizer.terminal(place + occurrence.description(foldedInto: finding)))\n")
        }
        if finding.alsoIn.count > Self.occurrencesShown {
            sink.write("    = also: the same in \(Self.plural(finding.alsoIn.count - Self.occurrencesShown, "more object")) of this controller (the JSON report lists them all, JUnit fails each)\n")
        }
        if let remediation = rule?.remediation, !remediation.isEmpty {
            sink.write("    = remediation: \(TextSanitizer.terminal(remediation))\n")
        }
    }

    /// An error as the text report writes it, uncoloured: `file:line:col: error: message`, or
    /// `airlock: error: message` when it has no position. Commands that print errors without a
    /// report (`inventory`) write them so too.
    public static func diagnosticLine(_ diagnostic: Diagnostic) -> String {
        diagnosticLine(diagnostic, style: Style(enabled: false))
    }

    private static func diagnosticLine(_ diagnostic: Diagnostic, style: Style) -> String {
        var message = diagnostic.message
        let subject = [diagnostic.ruleID, diagnostic.resource?.qualifiedName].compactMap { $0 }
        if !subject.isEmpty { message += " [\(subject.joined(separator: " "))]" }
        let prefix = diagnostic.location.map { "\($0.file):\($0.line):\($0.column)" } ?? "airlock"
        return "\(TextSanitizer.terminal(prefix)): \(style.error("error")): \(TextSanitizer.terminal(message))"
    }

    private func writeSummary<Sink: TextOutputStream>(
        _ summary: ReportSummary, failOn: Severity, style: Style, to sink: inout Sink
    ) {
        var line = Self.plural(summary.findings, "finding")
        let severities = Severity.allCases.reversed().compactMap { severity in
            summary.bySeverity[severity].map { "\($0) \(severity.rawValue)" }
        }
        if !severities.isEmpty { line += " (\(severities.joined(separator: ", ")))" }
        line += " in \(Self.plural(summary.files, "file")); \(summary.suppressed) suppressed; \(Self.plural(summary.errors, "error"))"
        if summary.rulesNotRun > 0 { line += "; \(Self.plural(summary.rulesNotRun, "rule")) not run" }
        if summary.rulesMatchingNothing > 0 { line += "; \(Self.plural(summary.rulesMatchingNothing, "rule")) from --policies evaluated no object" }
        if summary.folded > 0 { line += "; \(summary.folded) more in owned objects, folded into these" }
        sink.write(line + "\n")

        let categories = Category.allCases.compactMap { category in
            summary.byCategory[category].map { "\(category.rawValue) \($0)" }
        }
        if !categories.isEmpty {
            sink.write("by category: \(categories.joined(separator: ", "))\n")
        }
        let verdict: String
        switch summary.exitCode {
        case 0: verdict = style.pass("passed")
        case 1: verdict = style.error("failed") + ": findings at or above \(failOn.rawValue)"
        default: verdict = style.error("failed") + ": errors make the result untrustworthy"
        }
        sink.write("result: \(verdict) (exit \(summary.exitCode))\n")
    }

    /// `1 file`, `2 files`.
    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

/// ANSI styling that disappears entirely when colour is off.
private struct Style {
    var enabled: Bool

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func error(_ text: String) -> String { wrap(text, "1;31") }
    func pass(_ text: String) -> String { wrap(text, "1;32") }
    func caret(_ text: String) -> String { wrap(text, "1;32") }

    func severity(_ severity: Severity) -> String {
        let label = severity.rawValue.uppercased()
        switch severity {
        case .critical: return wrap(label, "1;35")
        case .high: return wrap(label, "1;31")
        case .medium: return wrap(label, "33")
        case .low: return wrap(label, "36")
        case .info: return wrap(label, "2")
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
