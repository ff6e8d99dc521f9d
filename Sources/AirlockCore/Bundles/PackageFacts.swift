#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YAMLSource

/// The facts of a domain package (a folder or `.tar.gz` holding `package.yaml`) for policies:
/// the manifest with positions, its dependencies and declared files, every file with its digest,
/// title and description of the markdown docs, README presence, and the local override.
public struct PackageFacts: Sendable {
    public var source: String
    public var isArchive: Bool
    /// The package folder inside the archive (`""` when package.yaml is at the top).
    public var root: String
    /// Path of package.yaml as reports show it.
    public var manifestFile: String?
    public var manifest: YAMLNode?
    public var topLevelKeys: [String]
    public var name: String?
    public var version: String?
    public var description: String?
    public var author: String?
    public var license: String?
    public var dependencies: [PackageDependency]
    public var declaredFiles: [DeclaredFile]
    /// Every entry under the root, paths relative to it, content dropped.
    public var files: [ArchiveEntry]
    /// Markdown files under agents/, workflows/, patterns/ and docs/, in listing order.
    public var markdown: [MarkdownFacts]
    /// Why each YAML or JSON file under config/ that is not empty cannot be read
    /// (`file:line:col: message`), by path: the installer merges the configurations it lists.
    var configErrors: [String: String] = [:]
    public var hasReadme: Bool
    public var localOverride: LocalOverrideFacts?
    public var summary: ArchiveReadSummary?
    /// Whether any of it could be read: a missing or unopenable path has only its diagnostic, and
    /// policies are not run on its empty facts (they would report every field as missing).
    public var wasRead: Bool { summary != nil || !files.isEmpty }
    /// Why the package rules are not run on it though some of it was read: its listing stopped
    /// at an error (a file or folder it cannot open), so a file missing from the facts may be
    /// there, and "package.yaml has no name" or "not listed" would be findings about what was
    /// never read; or it holds no package.yaml. The error itself is the result.
    public var notEvaluatedReason: String?
    public var issues: [BundleIssue]
    public var diagnostics: [Diagnostic]

    init(source: String, isArchive: Bool) {
        self.source = source
        self.isArchive = isArchive
        root = ""
        topLevelKeys = []
        dependencies = []
        declaredFiles = []
        files = []
        markdown = []
        hasReadme = false
        issues = []
        diagnostics = []
    }

    /// Reads the package at `path` (folder or tarball) and its `NAME.local.yaml` beside it.
    public static func read(_ path: String, options: BundleReadOptions = BundleReadOptions()) -> PackageFacts {
        let reader = ArchiveReader(path: path, limits: options.limits)
        var facts = PackageFacts(source: path, isArchive: !reader.isDirectory)
        let listing = ArchiveListing.read(reader) { entry in
            let candidates = BundleRootGuess.candidates(entry.path)
            if candidates.contains("package.yaml") { return .whole }
            if candidates.contains(where: { isSectionMarkdown($0) != nil }) { return .prefix(options.markdownPrefixBytes) }
            if candidates.contains(where: isConfigYAML) { return .whole }
            return .digestOnly
        }
        facts.summary = listing.summary
        facts.diagnostics = listing.diagnostics
        let root = listing.root(marker: "package.yaml")
        facts.root = root ?? ""
        facts.issues = listing.readIssues + HostileEntryCheck.issues(in: listing.entries, root: facts.root)
        if let deep = BundleRootGuess.tooDeep(facts.root, marker: "package.yaml", source: path) { facts.diagnostics.append(deep) }
        if !listing.isComplete {
            facts.notEvaluatedReason = "\(path) could not be read whole"
            // The rules do not run, so what was found before the read stopped is said here.
            facts.diagnostics += listing.issuesBeforeTheReadStopped(facts.issues, path: path)
        } else if root == nil {
            facts.notEvaluatedReason = "\(path) holds no package.yaml"
            facts.diagnostics.append(Diagnostic(kind: .input, message: "no package.yaml: not a domain package", location: SourceSpan(file: path, line: 1, column: 1)))
        }
        for entry in listing.entries {
            guard let relative = ArchivePath.relative(entry.path, to: facts.root) else {
                if !(entry.type == .directory && ArchivePath.holds(entry.path, root: facts.root)) {
                    facts.issues.append(BundleIssue(kind: .outsideBundleRoot, path: entry.path, detail: "entry outside the package folder \"\(facts.root)\""))
                }
                continue
            }
            guard !relative.isEmpty else { continue }
            var file = entry
            file.path = relative
            file.content = nil
            file.contentIsTruncated = false
            facts.files.append(file)
            if relative == "package.yaml" {
                facts.loadManifest(entry, displayName: BundleFacts.displayName(path, isArchive: facts.isArchive, entry.path))
            } else if relative == "README.md" && entry.type == .file {
                facts.hasReadme = true
            } else if entry.type == .file, let section = isSectionMarkdown(relative) {
                facts.markdown.append(MarkdownFacts.inspect(path: relative, section: section, content: entry.content ?? []))
            } else if entry.type == .file, isConfigYAML(relative), let content = entry.content, !content.isEmpty,
                      case .failed(let error) = EmbeddedYAML.load(content, file: relative) {
                facts.configErrors[relative] = error.description
            }
        }
        facts.checkDeclaredFiles()
        facts.loadLocalOverride(limit: options.limits.maxInMemoryFileBytes)
        return facts
    }

    /// The section of a markdown file under agents/, workflows/, patterns/ or docs/.
    static func isSectionMarkdown(_ path: String) -> String? {
        guard path.lowercased().hasSuffix(".md"), let slash = path.firstIndex(of: "/") else { return nil }
        let section = String(path[..<slash])
        return MarkdownFacts.sections.contains(section) ? section : nil
    }

    /// A YAML or JSON file under config/.
    static func isConfigYAML(_ path: String) -> Bool {
        path.hasPrefix("config/") && BundleYAMLScan.isYAMLOrJSON(path.lowercased())
    }

    private mutating func loadManifest(_ entry: ArchiveEntry, displayName: String) {
        manifestFile = displayName
        let loaded = EmbeddedYAML.loadManifest(entry.content ?? [], file: displayName, name: "package.yaml")
        manifest = loaded.document
        if let diagnostic = loaded.diagnostic { diagnostics.append(diagnostic) }
        guard let root = loaded.mapping else { return }
        topLevelKeys = root.entries.compactMap { $0.key.text }
        name = EmbeddedYAML.text(root["name"])
        version = EmbeddedYAML.text(root["version"])
        description = EmbeddedYAML.text(root["description"])
        author = EmbeddedYAML.text(root["author"])
        license = EmbeddedYAML.text(root["license"])
        for item in root["dependencies"]?.items ?? [] {
            let location = SourceSpan(file: displayName, line: item.line, column: item.column)
            if let shape = EmbeddedYAML.shape(ofNonText: item) {
                dependencies.append(.malformed("a dependency is \(shape), not a name@range string", location: location))
            } else if let text = EmbeddedYAML.text(item) {
                dependencies.append(PackageDependency.parse(text, location: location))
            }
        }
    }

    private mutating func checkDeclaredFiles() {
        guard let manifest, let manifestFile else { return }
        let present = Set(files.filter { $0.type == .file }.map(\.path))
        func declare(_ key: String, _ node: YAMLNode) {
            let path = EmbeddedYAML.text(node) ?? ""
            let file = DeclaredFile.file(named: path)
            declaredFiles.append(DeclaredFile(
                key: key, path: path, file: file, exists: file.map(present.contains) ?? false,
                yamlError: file.flatMap { configErrors[$0] },
                error: EmbeddedYAML.shape(ofNonText: node).map { "\(key) holds \($0), not a file path" },
                location: SourceSpan(file: manifestFile, line: node.line, column: node.column)))
        }
        for key in ["agents", "workflows", "patterns"] {
            for item in manifest[key]?.items ?? [] { declare(key, item) }
        }
        for key in ["config", "documentation"] {
            for (name, value) in manifest[key]?.entries ?? [] {
                declare(key + "." + (name.text ?? ""), value)
            }
        }
    }

    /// Looks for `NAME.local.yaml` beside the package, NAME being package.yaml's `name` or the
    /// folder or tarball name. A `name` holding a `/` (`../outside/evil`) names no file beside the
    /// package, so it is not looked up: the package under check chose it.
    private mutating func loadLocalOverride(limit: Int) {
        var trimmed = source
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        let directory = parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
        var base = String(parts.last ?? "")
        for suffix in [".tar.gz", ".tgz", ".tar.zst", ".tar"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        var names: [String] = []
        if let name, !name.contains("/") { names.append(name) }
        if !names.contains(base) { names.append(base) }
        for candidate in names {
            let file = directory + "/" + candidate + ".local.yaml"
            guard access(file, F_OK) == 0 else { continue }
            var override = LocalOverrideFacts(file: file, root: nil, topLevelKeys: [])
            do {
                let bytes = try FileDigest.readSmallFile(file, limit: limit)
                switch EmbeddedYAML.load(bytes, file: file) {
                case .loaded(let root):
                    override.root = root
                    override.topLevelKeys = root.entries.compactMap { $0.key.text }
                case .failed(let diagnostic):
                    diagnostics.append(diagnostic)
                }
            } catch {
                diagnostics.append(ArchiveListing.diagnostic(for: error, archive: file))
            }
            localOverride = override
            return
        }
    }
}
