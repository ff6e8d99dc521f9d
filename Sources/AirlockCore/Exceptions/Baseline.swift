import Foundation

/// Findings recorded by `--write-baseline`, by stable fingerprint; with `--baseline` they are shown
/// as suppressed so that only new findings fail the gate. A fingerprint appears once per finding:
/// identical findings are counted, and more of them than recorded are new.
public struct Baseline: Codable, Sendable {
    public var schemaVersion = "1"
    public var fingerprints: [String]

    /// Records the unsuppressed findings and those folded into them (which are findings of their
    /// own before folding, when the baseline is applied).
    public init(findings: [Finding]) {
        fingerprints = findings.filter { $0.suppression == nil }.flatMap(\.unfolded).map(Fingerprint.base(of:)).sorted()
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    static func isFingerprint(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    public static func load(_ path: String) -> Result<Baseline, Diagnostic> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Diagnostic(kind: .configuration, message: "cannot read the baseline file", location: SourceSpan(file: path, line: 1, column: 1)))
        }
        do {
            let baseline = try JSONDecoder().decode(Baseline.self, from: data)
            guard baseline.schemaVersion == "1" else {
                return .failure(Diagnostic(kind: .configuration, message: "baseline schemaVersion \(baseline.schemaVersion) is not supported", location: SourceSpan(file: path, line: 1, column: 1)))
            }
            // A fingerprint is 64 lower-case hex digits: anything else (a hand edit, a report's
            // `base:n` pasted in) would silently accept nothing.
            if let bad = baseline.fingerprints.first(where: { !Self.isFingerprint($0) }) {
                return .failure(Diagnostic(
                    kind: .configuration, message: "baseline entry \"\(bad)\" is not a fingerprint (64 lower-case hex digits, as --write-baseline writes them)",
                    location: SourceSpan(file: path, line: 1, column: 1)))
            }
            return .success(baseline)
        } catch {
            return .failure(Diagnostic(kind: .configuration, message: "not an airlock baseline: \(error)", location: SourceSpan(file: path, line: 1, column: 1)))
        }
    }
}
