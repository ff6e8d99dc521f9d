import AirlockCore

/// GitHub Actions workflow commands (`::error file=…,line=…::message`), which the runner turns
/// into annotations on the pull request. Suppressed findings are not annotated.
public struct GitHubReporter: Reporter {
    public init() {}

    public func write<Sink: TextOutputStream>(_ result: CheckResult, context: ReportContext, to sink: inout Sink) throws {
        let remediation = Dictionary(ReportOrdering.rules(result).map { ($0.rule.id, $0.rule.remediation) }) { first, _ in first }
        for finding in ReportOrdering.findings(result.findings) where finding.suppression == nil {
            var message = finding.messageWithObject
            if let fix = remediation[finding.ruleID], !fix.isEmpty { message += "\nRemediation: \(fix)" }
            sink.write(Self.command(
                Self.level(finding.severity), location: finding.location, title: finding.ruleID, message: message) + "\n")
        }
        for diagnostic in ReportOrdering.diagnostics(result.diagnostics) {
            var message = diagnostic.message
            let subject = [diagnostic.ruleID, diagnostic.resource?.qualifiedName].compactMap { $0 }
            if !subject.isEmpty { message += " [\(subject.joined(separator: " "))]" }
            sink.write(Self.command(
                "error", location: diagnostic.location, title: "airlock \(diagnostic.kind.rawValue) error", message: message) + "\n")
        }
        for note in result.notes {
            sink.write(Self.command("notice", location: nil, title: "airlock note", message: note) + "\n")
        }
        for run in ReportOrdering.rules(result) {
            if let reason = run.notRun {
                sink.write(Self.command("notice", location: nil, title: "\(run.rule.id) did not run", message: reason) + "\n")
            }
            for skip in run.skipped {
                sink.write(Self.command("notice", location: nil, title: "\(run.rule.id) not evaluated on \(skip.subject)", message: skip.reason) + "\n")
            }
            if let reason = run.matchedNothing {
                sink.write(Self.command("warning", location: nil, title: "\(run.rule.id) evaluated no object", message: reason) + "\n")
            }
        }
    }

    /// `error` for critical and high, `warning` for medium, `notice` for low and info.
    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "notice"
        }
    }

    /// An archive member whose path holds a `.` or `..` segment is annotated on its archive, with
    /// no line (the lines are the member's), and the message starts with where it is. A place in
    /// standard input, which is no file of the checkout, is a run-level annotation whose message
    /// starts with it (as SARIF keeps no physical location for it).
    static func command(_ level: String, location: SourceSpan?, title: String, message: String) -> String {
        var properties: [(String, String)] = []
        var message = message
        if let location, location.file == InputReader.standardInputName {
            message = "\(location.file):\(location.line):\(location.column): " + message
        } else if let location, let archive = ArchiveMemberPath.archive(enclosingDotSegmentsOf: location.file) {
            properties.append(("file", archive))
            message = "\(location.file):\(location.line):\(location.column): " + message
        } else if let location {
            properties.append(("file", location.file))
            properties.append(("line", String(location.line)))
            properties.append(("col", String(location.column)))
            if let endLine = location.endLine { properties.append(("endLine", String(endLine))) }
            if let endColumn = location.endColumn { properties.append(("endColumn", String(endColumn))) }
        }
        properties.append(("title", title))
        let rendered = properties.map { "\($0)=\(escapeProperty($1))" }.joined(separator: ",")
        return "::\(level) \(rendered)::\(escapeData(message))"
    }

    /// The runner's escaping for a command's message: `%`, CR and LF, after the other control
    /// characters are made visible (`TextSanitizer.annotation`).
    static func escapeData(_ text: String) -> String {
        escape(TextSanitizer.annotation(text), alsoSeparators: false)
    }

    /// The runner's escaping for a property value: as data, plus `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escape(TextSanitizer.annotation(text), alsoSeparators: true)
    }

    /// `%`, CR and LF, and with `alsoSeparators` `:` and `,`, as `%XX`, in one pass over the
    /// bytes (five passes of `replacingOccurrences` made this report six times slower than JSON).
    private static func escape(_ text: String, alsoSeparators: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "%"): bytes.append(contentsOf: "%25".utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: "%0D".utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: "%0A".utf8)
            case UInt8(ascii: ":") where alsoSeparators: bytes.append(contentsOf: "%3A".utf8)
            case UInt8(ascii: ",") where alsoSeparators: bytes.append(contentsOf: "%2C".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
