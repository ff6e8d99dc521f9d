import AirlockCore

/// GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of issues. Suppressed
/// findings are left out; diagnostics are `blocker` issues so an unreadable input is never quiet.
public struct GitLabReporter: Reporter {
    public init() {}

    struct Issue: JSONWritable {
        struct Location: JSONWritable {
            struct Lines: JSONWritable {
                var begin: Int
                var end: Int

                func write(to json: inout JSONWriter) {
                    json.object { json in
                        json.member("begin", begin)
                        json.member("end", end)
                    }
                }
            }

            var path: String
            var lines: Lines

            func write(to json: inout JSONWriter) {
                json.object { json in
                    json.member("lines", lines)
                    json.member("path", path)
                }
            }
        }

        var description: String
        var checkName: String
        var fingerprint: String
        var severity: String
        var location: Location

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("check_name", checkName)
                json.member("description", description)
                json.member("fingerprint", fingerprint)
                json.member("location", location)
                json.member("severity", severity)
            }
        }
    }

    public func write<Sink: TextOutputStream>(_ result: CheckResult, context: ReportContext, to sink: inout Sink) throws {
        let findings = ReportOrdering.findings(result.findings)
        var issues: [Issue] = []
        for (finding, fingerprint) in zip(findings, Fingerprint.occurrences(of: findings)) where finding.suppression == nil {
            issues.append(Issue(
                description: Self.placed(finding.messageWithObject, at: finding.location), checkName: finding.ruleID, fingerprint: FileDigest.sha256(of: Array(fingerprint.utf8)),
                severity: Self.severity(finding.severity), location: Self.location(finding.location)))
        }
        var seen: [String: Int] = [:]
        for diagnostic in ReportOrdering.diagnostics(result.diagnostics) {
            var description = "airlock \(diagnostic.kind.rawValue) error: \(diagnostic.message)"
            let subject = [diagnostic.ruleID, diagnostic.resource?.qualifiedName].compactMap { $0 }
            if !subject.isEmpty { description += " [\(subject.joined(separator: " "))]" }
            let identity = [diagnostic.kind.rawValue, diagnostic.message, diagnostic.location?.file ?? "",
                            diagnostic.ruleID ?? "", diagnostic.resource?.orderingKey ?? ""]
            let key = identity.joined(separator: "\u{1E}")
            let occurrence = (seen[key] ?? 0) + 1
            seen[key] = occurrence
            issues.append(Issue(
                description: Self.placed(description, at: diagnostic.location), checkName: "airlock/\(diagnostic.kind.rawValue)-error",
                fingerprint: FileDigest.sha256(of: Array("\(key)\u{1E}\(occurrence)".utf8)),
                severity: "blocker", location: Self.location(diagnostic.location)))
        }
        JSONWriter.write(issues, to: &sink)
    }

    /// `description`, preceded by where it is when `location` cannot name it (see `location`).
    static func placed(_ description: String, at span: SourceSpan?) -> String {
        guard let span, pathInstead(of: span.file) != nil else { return description }
        return "\(span.file):\(span.line):\(span.column): " + description
    }

    /// info, minor, major, critical, blocker from info, low, medium, high, critical.
    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .info: return "info"
        case .low: return "minor"
        case .medium: return "major"
        case .high: return "critical"
        case .critical: return "blocker"
        }
    }

    /// Findings without a location point at the project root, line 1: GitLab requires a path of
    /// the repository. So do those in standard input, which is no file of it (SARIF gives them no
    /// physical location and github no `file`), and those in a file outside the root
    /// (`../other/x.yaml`, `/etc/x.yaml`), which is none either; an archive member whose path holds
    /// a `.` or `..` segment points at its archive, line 1. Either way the description says where
    /// it is.
    static func location(_ span: SourceSpan?) -> Issue.Location {
        guard let span else { return .init(path: ".", lines: .init(begin: 1, end: 1)) }
        if let path = pathInstead(of: span.file) {
            return .init(path: path, lines: .init(begin: 1, end: 1))
        }
        let begin = max(1, span.line)
        return .init(path: span.file, lines: .init(begin: begin, end: max(begin, span.endLine ?? begin)))
    }

    /// The path an issue in `file` points at when `file` is none GitLab can open: the project
    /// root for standard input and for a file outside the root (reports write those absolute or
    /// starting with `../`), the archive for a member whose path holds a dot segment; nil for
    /// every other file.
    private static func pathInstead(of file: String) -> String? {
        if file == InputReader.standardInputName || isOutsideRoot(file) { return "." }
        return ArchiveMemberPath.archive(enclosingDotSegmentsOf: file)
    }

    private static func isOutsideRoot(_ file: String) -> Bool {
        file.hasPrefix("/") || file == ".." || file.hasPrefix("../")
    }
}
