import AirlockCore
import Foundation
import YAMLSource

/// Makes every path in a result relative to `--root` (or the working folder), so that reports do
/// not depend on where the checkout lives.
struct PathRelativizer {
    let base: String

    init(root: String?) {
        let folder = root ?? FileManager.default.currentDirectoryPath
        base = URL(fileURLWithPath: folder).standardizedFileURL.path
    }

    func relative(_ path: String) -> String {
        guard path.hasPrefix("/") else {
            return path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        }
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        if standardized.hasPrefix(base + "/") { return String(standardized.dropFirst(base.count + 1)) }
        return standardized
    }

    func relativize(_ result: CheckResult) -> CheckResult {
        var copy = result
        // Findings share a few files, and standardizing a path through `URL` costs about 30,000
        // instructions: each distinct path is made relative once.
        var relativePaths: [String: String] = [:]
        func relativeOnce(_ path: String) -> String {
            if let known = relativePaths[path] { return known }
            let made = relative(path)
            relativePaths[path] = made
            return made
        }
        func fix(_ span: inout SourceSpan?) {
            if let file = span?.file { span?.file = relativeOnce(file) }
        }
        for index in copy.findings.indices {
            fix(&copy.findings[index].location)
            for related in copy.findings[index].relatedLocations.indices {
                copy.findings[index].relatedLocations[related].location.file = relativeOnce(copy.findings[index].relatedLocations[related].location.file)
            }
        }
        for index in copy.diagnostics.indices { fix(&copy.diagnostics[index].location) }
        for index in copy.artifacts.indices { copy.artifacts[index].path = relative(copy.artifacts[index].path) }
        return copy
    }
}

/// Serves source lines of input files to the text report, reading each file once.
enum SourceLineCache {
    static func provider() -> @Sendable (String, Int) -> String? {
        let cache = Cache()
        return { file, line in cache.line(file, line) }
    }

    private final class Cache: @unchecked Sendable {
        private var files: [String: [String]] = [:]
        private let lock = NSLock()

        func line(_ file: String, _ line: Int) -> String? {
            lock.withLock {
                if files[file] == nil {
                    let raw = FileManager.default.contents(atPath: file).map([UInt8].init) ?? []
                    // Lines as the readers saw them: a UTF-16 or UTF-32 file in UTF-8.
                    let bytes = (try? UnicodeText.utf8(raw, file: file).get()) ?? raw
                    files[file] = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                        String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
                    }
                }
                guard let lines = files[file], line >= 1, line <= lines.count else { return nil }
                return lines[line - 1]
            }
        }
    }
}
