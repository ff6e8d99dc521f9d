import Foundation
import YAMLSource

/// Findings recorded by `--write-baseline`, by stable fingerprint; with `--baseline` they are shown
/// as suppressed so that only new findings fail the gate. A fingerprint appears once per finding:
/// identical findings are counted, and more of them than recorded are new.
public struct Baseline: Codable, Sendable {
    public var schemaVersion = "1"
    public var fingerprints: [String]

    /// Records the findings that are not suppressed, or suppressed by the baseline the run read
    /// (so that `--baseline b.json --write-baseline b.json` updates it, rather than drop every
    /// finding it held), and those folded into them (which are findings of their own before
    /// folding, when the baseline is applied). A finding an exception accepts is not recorded:
    /// when the exception expires, it counts again.
    public init(findings: [Finding]) {
        fingerprints = findings.filter { $0.suppression == nil || $0.suppression?.kind == .baseline }
            .flatMap(\.unfolded).map(Fingerprint.base(of:)).sorted()
    }

    private init(fingerprints: [String]) {
        self.fingerprints = fingerprints
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    static func isFingerprint(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Reads a baseline as strictly as every other input: one JSON object with `schemaVersion`
    /// and `fingerprints` and nothing else, no key twice (a second `fingerprints` must not
    /// silently replace the first), each entry a fingerprint; an error names its place, and a
    /// file that cannot be read says why.
    public static func load(_ path: String, limit: Int = YAMLLimits().maxInputBytes) -> Result<Baseline, Diagnostic> {
        func failure(_ message: String, line: Int = 1, column: Int = 1, file: String = path) -> Result<Baseline, Diagnostic> {
            .failure(Diagnostic(kind: .configuration, message: message, location: SourceSpan(file: file, line: line, column: column)))
        }
        let input: [UInt8]
        switch InputReader.readSettings(path, limit: limit) {
        case .success(let read): input = read.bytes
        case .failure(let error): return .failure(error)
        }
        let loaded = YAMLLoader().load(input, file: path)
        if let error = loaded.errors.first { return failure("not an airlock baseline: \(error.message)", line: error.line, column: error.column, file: error.file) }
        guard loaded.documents.count == 1, let root = loaded.documents.first?.root, root.kind == .mapping else {
            return failure("not an airlock baseline: expected one object with schemaVersion and fingerprints, as --write-baseline writes it")
        }
        var reader = StrictMapping(root, path: "")
        let version = reader.string("schemaVersion", required: true)
        _ = reader.field("fingerprints", required: true)
        let entries = reader.stringItems("fingerprints")
        if let problem = reader.finish().first {
            return failure("not an airlock baseline: \(problem.message)", line: problem.location?.line ?? 1, column: problem.location?.column ?? 1)
        }
        guard version == "1" else { return failure("baseline schemaVersion \(version ?? "") is not supported", line: root["schemaVersion"]?.line ?? 1, column: root["schemaVersion"]?.column ?? 1) }
        // A fingerprint is 64 lower-case hex digits: anything else (a hand edit, a report's
        // `base:n` pasted in) would silently accept nothing.
        if let bad = entries.first(where: { !Self.isFingerprint($0.text) }) {
            return failure(
                "baseline entry \"\(bad.text)\" is not a fingerprint (64 lower-case hex digits, as --write-baseline writes them)",
                line: bad.node.line, column: bad.node.column)
        }
        return .success(Baseline(fingerprints: entries.map(\.text)))
    }
}
