import AirlockCore

/// Writes one `CheckResult` in one output format to a text stream.
///
/// Reporters are pure: the same result and context always give the same bytes. They never read
/// the clock, the environment or the file system; everything they need is in `ReportContext`.
public protocol Reporter: Sendable {
    /// Writes `result` to `sink`, in order, without building the whole report first where avoidable.
    func write<Sink: TextOutputStream>(_ result: CheckResult, context: ReportContext, to sink: inout Sink) throws
}

extension Reporter {
    /// The whole report as one string: for tests and small outputs.
    public func render(_ result: CheckResult, context: ReportContext) throws -> String {
        var output = ""
        try write(result, context: context, to: &output)
        return output
    }
}

/// The output formats `--format` accepts.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github, gitlab

    /// The reporter that writes this format, with its default options.
    public func makeReporter() -> any Reporter {
        switch self {
        case .text: return TextReporter()
        case .json: return JSONReporter()
        case .sarif: return SARIFReporter()
        case .junit: return JUnitReporter()
        case .github: return GitHubReporter()
        case .gitlab: return GitLabReporter()
        }
    }

    /// The conventional file extension for a report in this format.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .json, .gitlab: return "json"
        case .sarif: return "sarif"
        case .junit: return "xml"
        case .github: return "log"
        }
    }
}

/// Why a report could not be written.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds.
    case invalidSourceDateEpoch(String)

    public var description: String {
        switch self {
        case .invalidSourceDateEpoch(let value):
            return "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 in ASCII digits alone, as `date +%s` writes it, got \"\(value)\""
        }
    }
}
