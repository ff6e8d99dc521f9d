import CEL
import YAMLSource

/// The `package` binding of package policies: the facts of `PackageFacts` as CEL maps and lists.
/// package.yaml stays a YAML view (`package.manifest`), and every element that came from a place
/// (a declared file, a dependency, a markdown title, an override entry) points there, so findings
/// land on the field at fault; what has no line points at the file or the archive.
extension PackageFacts {
    /// The CEL view; `registry` adds the dependency graph resolved through the published index.
    public func celValue(registry: PackageRegistryIndex? = nil) -> CELValue {
        let archiveSpan = SourceSpan(file: source, line: 1, column: 1)
        var map = FactMap(at: manifest.map { $0.span } ?? archiveSpan)
        map.set("source", .string(source))
        map.set("isArchive", .bool(isArchive))
        map.set("root", .string(root))
        map.set("manifestFile", manifestFile.cel)
        map.set("manifest", manifest.map { CELValue(yaml: $0) } ?? .null)
        var keys: [CELValue] = []
        for (key, _) in manifest?.entries ?? [] {
            var entry = FactMap(at: key.span)
            entry.set("key", .string(key.text ?? ""))
            keys.append(entry.celValue)
        }
        map.set("manifestKeys", FactList(elements: keys, position: map.position).celValue)
        for (key, value) in [("name", name), ("version", version), ("description", description), ("author", author), ("license", license)] {
            map.set(key, value.cel, at: manifest?[key]?.span)
        }
        map.set("dependencies", FactList(elements: dependencies.map(Self.celValue), position: manifest?["dependencies"]?.span ?? map.position).celValue,
                at: manifest?["dependencies"]?.span)
        map.set("dependencyGraph", dependencyGraph(registry: registry))

        let present = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        map.set("declaredFiles", FactList(elements: declaredFiles.map { declared in
            var entry = FactMap(at: declared.location)
            entry.set("key", .string(declared.key))
            entry.set("path", .string(declared.path))
            entry.set("file", declared.file.cel)
            entry.set("exists", .bool(declared.exists))
            entry.set("yamlError", declared.yamlError.cel)
            entry.set("error", declared.error.cel)
            let file = declared.file.flatMap { present[$0] }
            entry.set("size", .int(file?.size ?? 0))
            entry.set("empty", .bool(file.map { $0.type == .file && $0.size == 0 } ?? false))
            return entry.celValue
        }, position: map.position).celValue)
        map.set("files", ArchiveEntry.listValue(files, name: entryName, position: archiveSpan))
        map.set("markdown", FactList(elements: markdown.map { doc in
            let file = entryName(doc.path)
            var entry = FactMap(at: SourceSpan(file: file, line: doc.titleLine ?? 1, column: 1))
            entry.set("path", .string(doc.path))
            entry.set("section", .string(doc.section))
            entry.set("hasTitle", .bool(doc.hasTitle))
            entry.set("title", doc.title.cel)
            entry.set("hasDescription", .bool(doc.hasDescription))
            entry.set("description", doc.description.cel, at: doc.descriptionLine.map { SourceSpan(file: file, line: $0, column: 1) })
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("hasReadme", .bool(hasReadme))
        map.set("localOverride", localOverride.map { overrideValue($0, present: present) } ?? .null)
        map.set("issues", Self.issuesValue(issues, source: source))
        return map.celValue
    }

    /// How reports name a file of the package: `pkg.tar.gz!pkg/agents/a.md` or `pkg/agents/a.md`.
    func entryName(_ relative: String) -> String {
        BundleFacts.displayName(source, isArchive: isArchive, root.isEmpty ? relative : root + "/" + relative)
    }

    static func celValue(_ dependency: PackageDependency) -> CELValue {
        var entry = FactMap(at: dependency.location)
        entry.set("text", .string(dependency.text))
        entry.set("name", .string(dependency.name))
        entry.set("range", .string(dependency.range))
        entry.set("rangeError", dependency.rangeError.cel)
        entry.set("error", dependency.error.cel)
        return entry.celValue
    }

    /// Package name to the names it depends on: this package's own dependencies, then for every
    /// package reached, those of its newest published release in the registry that satisfies
    /// the range it was reached with (else its newest release).
    func dependencyGraph(registry: PackageRegistryIndex?) -> CELValue {
        var graph: [String: [String]] = [:]
        let selfName = name ?? ""
        let named = dependencies.filter { $0.error == nil }
        graph[selfName] = named.map(\.name)
        var queue = named.map { ($0.name, $0.range) }
        var head = 0
        while head < queue.count, let registry {
            let (next, range) = queue[head]
            head += 1
            guard graph[next] == nil else { continue }
            let resolved = (try? VersionRange(range)).flatMap { registry.resolve(next, range: $0) } ?? registry.latest(of: next)
            let reached = (resolved?.dependencies ?? []).map { PackageDependency.parse($0, location: resolved?.location ?? SourceSpan(file: registry.file, line: 1, column: 1)) }
            graph[next] = reached.map(\.name)
            queue += reached.map { ($0.name, $0.range) }
        }
        return .map(graph.mapValues { $0.cel })
    }

    private func overrideValue(_ override: LocalOverrideFacts, present: [String: ArchiveEntry]) -> CELValue {
        var map = FactMap(at: override.root.map { $0.span } ?? SourceSpan(file: override.file, line: 1, column: 1))
        map.set("file", .string(override.file))
        map.set("content", override.root.map { CELValue(yaml: $0) } ?? .null)
        map.set("keys", override.topLevelKeys.cel)
        var references: [CELValue] = []
        for section in ["agents", "workflows"] {
            guard let node = override.root?[section] else { continue }
            var items: [(action: String, node: YAMLNode)] = node.items.map { ("", $0) }
            for (action, list) in node.entries {
                items += list.kind == .sequence ? list.items.map { (action.text ?? "", $0) } : [(action.text ?? "", list)]
            }
            for (action, item) in items {
                guard let path = EmbeddedYAML.text(item) else { continue }
                // A path naming a folder (`agents/a.md/`) names no agent or workflow file.
                let candidates = DeclaredFile.file(named: path) == nil ? []
                    : [path, section + "/" + path, path + ".md", section + "/" + path + ".md"].map(ArchivePath.normalise)
                var entry = FactMap(at: item.span)
                entry.set("section", .string(section))
                entry.set("action", .string(action))
                entry.set("path", .string(path))
                entry.set("exists", .bool(candidates.contains { present[$0]?.type == .file }))
                references.append(entry.celValue)
            }
        }
        map.set("references", FactList(elements: references, position: map.position).celValue)
        return map.celValue
    }

    /// Hostile-archive facts, each pointing at the archive (or folder) they were found in.
    static func issuesValue(_ issues: [BundleIssue], source: String) -> CELValue {
        let span = SourceSpan(file: source, line: 1, column: 1)
        return FactList(elements: issues.map { issue in
            var entry = FactMap(at: span)
            entry.set("kind", .string(issue.kind.rawValue))
            entry.set("path", .string(issue.path))
            entry.set("detail", .string(issue.detail))
            return entry.celValue
        }, position: span).celValue
    }
}

extension PackageRegistryIndex {
    /// The `registry` binding: package name to its published versions, newest first, each
    /// `{version, digest, created, dependencies}` pointing at its line in index.yaml.
    public var celValue: CELValue {
        var map = FactMap(at: SourceSpan(file: file, line: 1, column: 1))
        for name in names {
            let versions = versions(of: name).map { published in
                var entry = FactMap(at: published.location)
                entry.set("version", .string(published.version))
                entry.set("digest", published.digest.cel)
                entry.set("created", published.created.cel)
                entry.set("dependencies", published.dependencies.cel)
                return entry.celValue
            }
            map.set(name, FactList(elements: versions, position: map.position).celValue)
        }
        return map.celValue
    }
}
