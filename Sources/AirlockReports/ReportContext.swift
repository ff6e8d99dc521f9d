import Foundation

/// Everything a reporter needs besides the result: tool identity, the run's fixed timestamp,
/// terminal colour, and optionally a way to show source lines.
public struct ReportContext: Sendable {
    /// Returns line `line` (1-based) of `file` without its line terminator, or nil when unknown.
    public typealias SourceLineProvider = @Sendable (_ file: String, _ line: Int) -> String?

    /// The tool name written into reports.
    public var toolName: String
    /// The airlock version, e.g. `0.3.0`.
    public var toolVersion: String
    /// Where users read about the tool and its rules (an absolute URI).
    public var informationURI: String
    /// The one timestamp formats that need one (JUnit) may write; see `resolveTimestamp`.
    public var timestamp: Date
    /// Whether the text report may use ANSI colour. Ignored by every other format.
    public var colour: Bool
    /// Gives the text report the offending source line; nil means no excerpts.
    public var sourceLines: SourceLineProvider?

    /// Creates a context; `timestamp` should come from `resolveTimestamp`.
    public init(
        toolName: String = "airlock", toolVersion: String, informationURI: String,
        timestamp: Date, colour: Bool = false, sourceLines: SourceLineProvider? = nil
    ) {
        self.toolName = toolName
        self.toolVersion = toolVersion
        self.informationURI = informationURI
        self.timestamp = timestamp
        self.colour = colour
        self.sourceLines = sourceLines
    }

    /// The report timestamp: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when set, else `runStart`.
    /// Throws when the variable is set but malformed rather than silently falling back to the clock:
    /// the reproducible-builds specification makes it ASCII decimal digits alone, so white space
    /// (`" 1"`), a sign or other digits are errors, not read around.
    public static func resolveTimestamp(environment: [String: String], runStart: Date) throws -> Date {
        guard let raw = environment["SOURCE_DATE_EPOCH"] else { return runStart }
        guard !raw.isEmpty, raw.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let seconds = Int64(raw)
        else {
            throw ReportError.invalidSourceDateEpoch(raw)
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// A provider that serves lines from an in-memory map of file path to file contents.
    public static func sourceLines(from files: [String: String]) -> SourceLineProvider {
        let split = files.mapValues { contents in
            // "\r\n" is a single Character in Swift, so both terminators split here.
            contents.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        }
        return { file, line in
            guard let lines = split[file], line >= 1, line <= lines.count else { return nil }
            return lines[line - 1]
        }
    }
}
