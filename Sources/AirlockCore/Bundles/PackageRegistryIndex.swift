import YAMLSource

/// A local package registry: a folder holding `index.yaml`, which maps each package name to the
/// versions published, either at the top level or under `packages:` (or `entries:`):
///
///     packages:
///       customer-service:
///         - version: 1.2.0
///           digest: sha256:…
///           created: "2025-01-27T10:00:00Z"
public struct PackageRegistryIndex: Sendable {
    public struct PublishedVersion: Sendable, Hashable {
        /// As written.
        public var version: String
        /// `nil` when `version` is not SemVer 2.0.0.
        public var semanticVersion: SemanticVersion?
        public var digest: String?
        public var created: String?
        /// `name@range` items of the published package.yaml, when the index records them.
        public var dependencies: [String] = []
        public var location: SourceSpan
    }

    public var file: String
    /// Published versions per package name, highest precedence first (non-SemVer versions last).
    public var packages: [String: [PublishedVersion]]
    public var diagnostics: [Diagnostic]

    /// Package names, sorted.
    public var names: [String] { packages.keys.sorted() }

    public func versions(of name: String) -> [PublishedVersion] { packages[name] ?? [] }

    /// The highest published version (releases only unless `includePrerelease`).
    public func latest(of name: String, includePrerelease: Bool = false) -> PublishedVersion? {
        versions(of: name).first { version in
            guard let semantic = version.semanticVersion else { return false }
            return includePrerelease || !semantic.isPrerelease
        }
    }

    /// The highest published version of `name` in `range`, as npm resolves a dependency.
    public func resolve(_ name: String, range: VersionRange) -> PublishedVersion? {
        versions(of: name).first { $0.semanticVersion.map { range.satisfies($0) } ?? false }
    }

    /// Reads `folder/index.yaml`.
    public static func load(folder: String, limits: BundleLimits = BundleLimits()) -> PackageRegistryIndex {
        let file = (folder.hasSuffix("/") ? folder : folder + "/") + "index.yaml"
        do {
            return parse(try FileDigest.readSmallFile(file, limit: max(limits.maxInMemoryFileBytes, 64 << 20)), file: file)
        } catch {
            return PackageRegistryIndex(file: file, packages: [:], diagnostics: [ArchiveListing.diagnostic(for: error, archive: file)])
        }
    }

    /// Parses index text; every malformed part is a diagnostic with its position.
    public static func parse(_ bytes: [UInt8], file: String) -> PackageRegistryIndex {
        var index = PackageRegistryIndex(file: file, packages: [:], diagnostics: [])
        let root: YAMLNode
        switch EmbeddedYAML.load(bytes, file: file) {
        case .failed(let diagnostic):
            index.diagnostics.append(diagnostic)
            return index
        case .loaded(let node):
            root = node
        }
        let table = root["packages"] ?? root["entries"] ?? root
        guard table.kind == .mapping else {
            index.fail("the index must map package names to lists of versions", table)
            return index
        }
        for (key, value) in table.entries {
            guard let name = EmbeddedYAML.text(key), !name.isEmpty else {
                index.fail("package names must be strings", key)
                continue
            }
            guard value.kind == .sequence else {
                index.fail("\"\(name)\" must list its versions", value)
                continue
            }
            var firstLines: [String: Int] = [:]
            var versions: [PublishedVersion] = []
            for item in value.items {
                guard item.kind == .mapping, let version = EmbeddedYAML.text(item["version"]) else {
                    index.fail("each version of \"\(name)\" needs a version:", item)
                    continue
                }
                // Two entries of one version (with two digests, say) leave open which one was published.
                if let first = firstLines[version], let node = item["version"] {
                    index.fail("\"\(name)\" version \"\(version)\" is listed twice (first at line \(first)): which one was published is not known", node)
                }
                firstLines[version] = firstLines[version] ?? item.line
                // A version with no place in SemVer's order cannot be compared with the one published.
                if SemanticVersion(version) == nil, let node = item["version"] {
                    index.fail("\"\(name)\" version \"\(version)\" is not a semantic version (MAJOR.MINOR.PATCH): the registry's versions cannot be ordered", node)
                }
                versions.append(PublishedVersion(
                    version: version, semanticVersion: SemanticVersion(version),
                    digest: EmbeddedYAML.text(item["digest"]), created: EmbeddedYAML.text(item["created"]),
                    dependencies: EmbeddedYAML.texts(item["dependencies"]),
                    location: SourceSpan(file: file, line: item.line, column: item.column)))
            }
            index.packages[name] = versions.sorted(by: Self.higherFirst)
        }
        return index
    }

    private static func higherFirst(_ lhs: PublishedVersion, _ rhs: PublishedVersion) -> Bool {
        switch (lhs.semanticVersion, rhs.semanticVersion) {
        case (let left?, let right?):
            let order = left.precedenceCompare(right)
            return order != 0 ? order > 0 : lhs.version < rhs.version
        case (.some, .none): return true
        case (.none, .some): return false
        case (.none, .none): return lhs.version < rhs.version
        }
    }

    private mutating func fail(_ message: String, _ node: YAMLNode) {
        diagnostics.append(Diagnostic(kind: .input, message: message, location: SourceSpan(file: file, line: node.line, column: node.column)))
    }
}
