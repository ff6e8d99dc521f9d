/// Every entry of one archive or folder with its hostile-entry issues, read once. Never throws:
/// a read error becomes a diagnostic (and, for limits, an issue), so nothing fails silently.
public struct ArchiveListing: Sendable {
    /// The archive or folder path as given.
    public var archive: String
    public var entries: [ArchiveEntry]
    /// Totals when the read completed.
    public var summary: ArchiveReadSummary?
    /// Limit violations found while reading (hostile-entry issues come from `HostileEntryCheck`).
    public var readIssues: [BundleIssue]
    public var diagnostics: [Diagnostic]

    /// Whether the read reached the end without error.
    public var isComplete: Bool { summary != nil && diagnostics.isEmpty }

    /// For an archive not read whole, whose rules do not run: the issues found before the read
    /// stopped, each said as an error of `path` (those of the read itself are said already).
    func issuesBeforeTheReadStopped(_ issues: [BundleIssue], path: String) -> [Diagnostic] {
        issues.filter { !readIssues.contains($0) }.map { issue in
            Diagnostic(kind: .input, message: "\(issue.kind.rawValue): \(issue.path) (\(issue.detail)), found before the read stopped",
                       location: SourceSpan(file: path, line: 1, column: 1))
        }
    }

    /// Reads `reader` to the end (or the first error), keeping every entry's metadata and digest.
    public static func read(
        _ reader: ArchiveReader, plan: (ArchiveEntry) -> EntryReadPlan = { _ in .digestOnly }
    ) -> ArchiveListing {
        var listing = ArchiveListing(archive: reader.name, entries: [], summary: nil, readIssues: [], diagnostics: [])
        do {
            let summary = try reader.read(plan: plan) { listing.entries.append($0) }
            listing.summary = summary
            if summary.consumedBytes < summary.compressedBytes {
                let detail = "\(summary.compressedBytes - summary.consumedBytes) bytes after the end of the archive, which unpackers ignore or read differently"
                listing.readIssues.append(BundleIssue(kind: .trailingData, path: reader.name, detail: detail))
            }
        } catch {
            listing.record(error, archive: reader.name)
        }
        return listing
    }

    /// Turns a read error into a diagnostic, plus an issue when it is a limit.
    mutating func record(_ error: any Error, archive: String) {
        diagnostics.append(Self.diagnostic(for: error, archive: archive))
        if let readError = error as? ArchiveReadError, case .limitExceeded(let location, _, _, _) = readError {
            readIssues.append(BundleIssue(kind: .limitExceeded, path: location, detail: readError.description))
        }
    }

    /// Any error met while reading `archive` as a diagnostic naming it.
    static func diagnostic(for error: any Error, archive: String) -> Diagnostic {
        if let readError = error as? ArchiveReadError { return readError.diagnostic }
        return Diagnostic(kind: .input, message: "cannot read: \(error)", location: SourceSpan(file: archive, line: 1, column: 1))
    }

    /// The folder holding the shallowest entry named `marker` (e.g. `package.yaml`), which is
    /// taken as the bundle root; `nil` when there is none.
    public func root(marker: String) -> String? {
        var best: (depth: Int, root: String)?
        for entry in entries where entry.type == .file {
            let parts = ArchivePath.components(entry.path)
            guard parts.last == Substring(marker), !entry.path.hasPrefix("/"), !parts.contains("..") else { continue }
            let candidate = (depth: parts.count, root: parts.dropLast().joined(separator: "/"))
            if let current = best, current.depth < candidate.depth || (current.depth == candidate.depth && current.root <= candidate.root) {
                continue
            }
            best = candidate
        }
        return best?.root
    }
}
