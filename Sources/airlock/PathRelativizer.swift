import AirlockCore
import Foundation
import YAMLSource

/// Makes every path in a result relative to `--root` (or the working folder), so that reports do
/// not depend on where the checkout lives. Paths are compared as absolute, standardized paths
/// (`.` and `..` resolved without following links): an input under the root is written relative
/// to it, however it was given; one outside it keeps the form it was given in: an absolute path
/// stays absolute, a relative one is written relative to the root (`../other/x.yaml`).
///
/// The root may be spelt in more than one way when a link leads to it: the working folder the
/// kernel reports (`/private/tmp/repo`) and the one the shell names in `PWD` (`/tmp/repo`, what
/// `$PWD/deploy` and `--root "$PWD"` are written with). A path under any spelling of the root is
/// under the root.
struct PathRelativizer {
    /// The spellings of the root (path components, absolute and standardized): the one given
    /// first, then its resolved path and the one through `PWD`, where they name the same folder.
    let bases: [[Substring]]
    /// The working folder's path, which relative inputs are relative to.
    let workingFolder: String

    init(root: String?, workingFolder: String = FileManager.default.currentDirectoryPath,
         shellWorkingFolder: String? = ProcessInfo.processInfo.environment["PWD"]) {
        self.workingFolder = workingFolder
        let rootPath = root.map { Self.absolute($0, in: workingFolder) } ?? workingFolder
        var spellings = [rootPath, ResolvedPath.of(rootPath)]
        if let shell = shellWorkingFolder, shell.hasPrefix("/") {
            spellings.append(root.map { Self.absolute($0, in: shell) } ?? shell)
        }
        let identity = FolderIdentity(rootPath)
        var bases: [[Substring]] = []
        for (index, spelling) in spellings.enumerated() {
            let components = Self.standardized(spelling)
            guard !bases.contains(components) else { continue }
            // Another spelling counts only when it is the same folder (`PWD` may be stale).
            if index > 0 && (identity == nil || FolderIdentity(spelling) != identity) { continue }
            bases.append(components)
        }
        self.bases = bases
    }

    /// A folder's device and inode, to tell whether two paths name it.
    private struct FolderIdentity: Equatable {
        let device: UInt64
        let inode: UInt64

        init?(_ path: String) {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    func relative(_ path: String) -> String {
        // Standard input, built-in policies and `--param` values are named, not paths.
        guard !path.isEmpty, !path.hasPrefix("<"), !path.hasPrefix("builtin:"), !path.hasPrefix("--") else { return path }
        // In `archive!member`, only the archive is a path of this machine (a member's `..` is
        // the archive's business, and is shown as it is).
        let member = path.firstIndex(of: "!").map { path[$0...] } ?? ""
        let file = String(path.dropLast(member.count))
        let components = Self.standardized(Self.absolute(file, in: workingFolder))
        let base = bases[0]
        let shown: String
        if let under = bases.first(where: { components.starts(with: $0) }) {
            shown = components.count == under.count ? "." : components.dropFirst(under.count).joined(separator: "/")
        } else if file.hasPrefix("/") {
            shown = "/" + components.joined(separator: "/")
        } else {
            let common = zip(components, base).prefix { $0 == $1 }.count
            shown = (Array(repeating: "..", count: base.count - common) + components.dropFirst(common).map(String.init)).joined(separator: "/")
        }
        return shown + member
    }

    /// `path` made absolute against `folder`.
    private static func absolute(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : folder + "/" + path
    }

    /// The components of an absolute path with empty ones, `.` and `..` resolved lexically.
    private static func standardized(_ path: String) -> [Substring] {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return components
    }

    /// `result` with every path relative to the root; `subjects` are the paths of packages,
    /// bundles and exceptions files as the command line named them, which a rule's evaluated
    /// subjects are named by; `named` every path the command line named, which the run's notes
    /// and the reasons a rule did not run name files by (see `relativeText(_:naming:)`).
    func relativize(_ result: CheckResult, subjects: [String] = [], named: [String] = []) -> CheckResult {
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
            for occurrence in copy.findings[index].alsoIn.indices { fix(&copy.findings[index].alsoIn[occurrence].location) }
        }
        copy.diagnostics = copy.diagnostics.map { $0.naming(files: relativeOnce) }
        for index in copy.artifacts.indices { copy.artifacts[index].path = relative(copy.artifacts[index].path) }
        copy.namesEscapingBytes = Set(copy.namesEscapingBytes.map(relativeOnce))
        // A package or bundle (or a bundle's tier values file, `b.tar.gz!x/values.yaml`) is a
        // subject its rules evaluated under the path it was given by: named as its findings'
        // files are, so that JUnit names its test case alike. An object's name (`ns/Kind/name`)
        // never starts with `/`.
        for index in copy.rules.indices {
            let evaluated = copy.rules[index].evaluated
            let named = subjects.filter { Self.holds(evaluated, $0) }
            guard !named.isEmpty || evaluated.indices.contains(where: { evaluated.withUTF8Name(at: $0) { $0.first == UInt8(ascii: "/") } }) else { continue }
            func isPath(_ name: String) -> Bool {
                name.hasPrefix("/") || named.contains { name == $0 || name.hasPrefix($0 + "!") }
            }
            copy.rules[index].evaluated = EvaluatedObjects(evaluated.map { isPath($0) ? relativeOnce($0) : $0 }).sorted()
        }
        let absolute = Set(named.filter { $0.hasPrefix("/") })
        copy.notes = copy.notes.map { relativeText($0, naming: absolute) }
        for index in copy.rules.indices {
            copy.rules[index].notRun = copy.rules[index].notRun.map { relativeText($0, naming: absolute) }
            for skip in copy.rules[index].skipped.indices {
                copy.rules[index].skipped[skip].subject = relativeOnce(copy.rules[index].skipped[skip].subject)
                copy.rules[index].skipped[skip].reason = relativeText(copy.rules[index].skipped[skip].reason, naming: absolute)
            }
        }
        return copy
    }

    /// `text` (a note, a reason a rule did not run) with each of the absolute `paths` it names,
    /// and the paths below them (a hidden folder the walk skipped, a file holding no document, a
    /// bundle's manifest), written as reports write paths: such text names files as the
    /// command line gave them, which would put this machine's folders in the reports. A path
    /// is found where a `/` starts a word, as the longest run up to a word's end or a `/`, `!`
    /// or `:` that is one of `paths` (a set: a run may name 80,000 files and note each).
    func relativeText(_ text: String, naming paths: Set<String>) -> String {
        guard !paths.isEmpty, text.contains("/") else { return text }
        let characters = Array(text)
        func endsName(_ index: Int) -> Bool {
            index == characters.count || !(characters[index].isLetter || characters[index].isNumber || "._-".contains(characters[index]))
        }
        var written = ""
        var index = 0
        while index < characters.count {
            let startsWord = index == 0 || characters[index - 1].isWhitespace || "\"'(".contains(characters[index - 1])
            guard characters[index] == "/", startsWord else {
                written.append(characters[index])
                index += 1
                continue
            }
            var wordEnd = index
            while wordEnd < characters.count, !characters[wordEnd].isWhitespace { wordEnd += 1 }
            let found = (index + 1...wordEnd).reversed().first { end in endsName(end) && paths.contains(String(characters[index..<end])) }
            guard let end = found else {
                written.append(characters[index])
                index += 1
                continue
            }
            let shown = relative(String(characters[index..<end]))
            if shown == ".", end < characters.count, characters[end] == "/" {
                index = end + 1
            } else {
                written += shown
                index = end
            }
        }
        return written
    }
}

extension PathRelativizer {
    /// Whether `evaluated` (sorted by name) holds `path` or a member of it (`path!x/values.yaml`),
    /// found by a binary search: a rule may have evaluated 100,000 objects.
    fileprivate static func holds(_ evaluated: EvaluatedObjects, _ path: String) -> Bool {
        var (low, high) = (0, evaluated.count)
        while low < high {
            let middle = (low + high) / 2
            if evaluated.compareName(at: middle, with: path) < 0 { low = middle + 1 } else { high = middle }
        }
        return low < evaluated.count && (evaluated[low] == path || evaluated[low].hasPrefix(path + "!"))
    }
}

/// Serves source lines of input files to the text report, reading each file once. Report paths
/// are relative to `root` (see `PathRelativizer`), so they are read from there; a file holding
/// a NUL byte (an archive) has no lines to show. Only what the run read is shown: a file it
/// named as an input (`inputs`, as reports name them), or one inside an input folder (a package,
/// a bundle) that is there once links are followed. A link in a package to `/etc/shadow`, which
/// the run never followed, would otherwise be printed in the report.
enum SourceLineCache {
    /// `inputs` as the command line and the run named them, made relative when first needed (only
    /// the text report asks, and a run may have 80,000 inputs).
    static func provider(root: String?, inputs: [String]) -> @Sendable (String, Int) -> String? {
        let relativizer = PathRelativizer(root: root)
        let cache = Cache(root: root ?? FileManager.default.currentDirectoryPath) { Set(inputs.map(relativizer.relative)) }
        return { file, line in cache.line(file, line) }
    }

    private final class Cache: @unchecked Sendable {
        private let root: String
        private lazy var inputs: Set<String> = makeInputs()
        private let makeInputs: () -> Set<String>
        private var files: [String: [String]] = [:]
        private let lock = NSLock()

        init(root: String, inputs: @escaping () -> Set<String>) {
            self.root = root
            makeInputs = inputs
        }

        func line(_ file: String, _ line: Int) -> String? {
            lock.withLock {
                if files[file] == nil {
                    // A folder (a bundle's finding about itself) and a file not shown have no lines.
                    guard isShown(file), let contents = FileManager.default.contents(atPath: path(file)) else {
                        files[file] = []
                        return nil
                    }
                    let raw = [UInt8](contents)
                    // Lines as the readers saw them: a UTF-16 or UTF-32 file in UTF-8.
                    let bytes = (try? UnicodeText.utf8(raw, file: file).get()) ?? raw
                    files[file] = bytes.contains(0) ? [] : bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                        String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
                    }
                }
                guard let lines = files[file], line >= 1, line <= lines.count else { return nil }
                return lines[line - 1]
            }
        }

        private func path(_ file: String) -> String { file.hasPrefix("/") ? file : root + "/" + file }

        /// Whether `file` is an input, or lies inside an input folder once links are followed.
        private func isShown(_ file: String) -> Bool {
            if inputs.contains(file) { return true }
            let real = ResolvedPath.of(path(file))
            return inputs.contains { input in
                let inside = input == "." ? !file.hasPrefix("/") && !file.hasPrefix("../") : file.hasPrefix(input + "/")
                guard inside else { return false }
                let folder = ResolvedPath.of(path(input))
                return real.hasPrefix(folder == "/" ? "/" : folder + "/")
            }
        }
    }
}
