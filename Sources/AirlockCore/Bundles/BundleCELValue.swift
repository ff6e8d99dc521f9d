import CEL
import YAMLSource

/// The `bundle` binding of bundle policies: the facts of `BundleFacts` as CEL maps and lists.
/// manifest.yaml stays a YAML view (`bundle.manifest`); declared images, charts, models and
/// digests point at their manifest lines, signatures and the sidecar at their files, files and
/// hostile-entry issues at the archive.
extension BundleFacts {
    /// The fields of the view that come from what manifest.yaml holds (see `manifestProblem`).
    public static let manifestFields: Set<String> = [
        "manifest", "manifestKeys", "version", "created", "tier", "checksum", "declaredImages", "declaredCharts", "declaredModels", "digests",
    ]

    /// The CEL view. `keyGiven` tells policies whether signatures were checked against a key.
    public func celValue(keyGiven: Bool = false) -> CELValue {
        let archiveSpan = SourceSpan(file: source, line: 1, column: 1)
        var map = FactMap(at: manifest.map { $0.span } ?? archiveSpan)
        map.set("source", .string(source))
        map.set("isArchive", .bool(isArchive))
        map.set("root", .string(root))
        map.set("manifestFile", manifestFile.cel)
        map.set("manifest", manifest.map { CELValue(yaml: $0) } ?? .null)
        map.set("manifestKeys", manifestKeys.cel)
        for (key, value) in [("version", version), ("created", created), ("tier", tier), ("checksum", checksum)] {
            map.set(key, value.cel, at: manifest?[key]?.span)
        }
        for key in ["images", "charts", "models"] {
            let node = manifest?[key]
            let items = (node?.items ?? []).map { item in
                var entry = FactMap(at: item.span)
                entry.set("name", EmbeddedYAML.text(item).cel)
                entry.set("error", EmbeddedYAML.shape(ofNonText: item).map { .string("an item of \(key) is \($0), not a name") } ?? .null)
                return entry.celValue
            }
            let name = "declared" + key.prefix(1).uppercased() + key.dropFirst()
            map.set(name, FactList(elements: items, position: node?.span ?? map.position).celValue, at: node?.span)
        }
        map.set("digests", FactList(elements: declaredDigests.map { check in
            var entry = FactMap(at: check.location)
            entry.set("path", .string(check.path))
            entry.set("file", .string(check.file))
            entry.set("expected", .string(check.expected))
            entry.set("actual", check.actual.cel)
            entry.set("match", .bool(check.match))
            entry.set("error", check.error.cel)
            return entry.celValue
        }, position: map.position).celValue)
        map.set("files", ArchiveEntry.listValue(files, name: entryName, position: archiveSpan))
        map.set("imageArchives", FactList(elements: imageArchives.map { archive in
            var entry = FactMap(at: SourceSpan(file: entryName(archive.archive), line: 1, column: 1))
            entry.set("archive", .string(archive.archive))
            entry.set("layout", .string(archive.layout.rawValue))
            entry.set("references", archive.references.cel)
            entry.set("error", archive.error.cel)
            entry.set("size", .int(archive.size))
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("images", FactList(elements: images.map { image in
            var entry = FactMap(at: SourceSpan(file: entryName(image.archive), line: 1, column: 1))
            entry.set("reference", .string(image.reference))
            entry.set("archive", .string(image.archive))
            entry.set("origin", .string(image.origin))
            entry.set("digest", image.digest.cel)
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("charts", FactList(elements: charts.map { chart in
            var entry = FactMap(at: SourceSpan(file: entryName(chart.archive), line: 1, column: 1))
            entry.set("archive", .string(chart.archive))
            entry.set("name", chart.name.cel)
            entry.set("version", chart.version.cel)
            entry.set("appVersion", chart.appVersion.cel)
            entry.set("chartFile", chart.chartFile.cel)
            entry.set("error", chart.error.cel)
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("chartDependencies", FactList(elements: chartDependencies.map { dependency in
            var entry = FactMap(at: dependency.location)
            let fields: [(String, CELValue)] = [
                ("file", .string(dependency.file)), ("name", dependency.name.cel), ("alias", dependency.alias.cel),
                ("version", dependency.version.cel), ("subchart", dependency.subchart.cel),
                ("versionsFound", dependency.versionsFound.cel), ("error", dependency.error.cel),
            ]
            for (key, value) in fields { entry.set(key, value) }
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("referencedImages", referencesValue(referencedImages.filter { !$0.isTemplated }, position: archiveSpan))
        map.set("unresolvedImageReferences", referencesValue(referencedImages.filter(\.isTemplated), position: archiveSpan))
        map.set("tierValues", FactList(elements: tierValues.map { tier in
            var entry = FactMap(at: SourceSpan(file: tier.displayName, line: 1, column: 1))
            entry.set("file", .string(tier.file))
            entry.set("mergedFiles", tier.mergedFiles.cel)
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("models", FactList(elements: models.map { model in
            var entry = FactMap(at: SourceSpan(file: entryName(model.path), line: 1, column: 1))
            entry.set("name", .string(model.name))
            entry.set("path", .string(model.path))
            entry.set("fileCount", .int(Int64(model.fileCount)))
            entry.set("totalBytes", .int(model.totalBytes))
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("sidecar", sidecar.map { check in
            var entry = FactMap(at: SourceSpan(file: check.sidecarFile, line: 1, column: 1))
            entry.set("file", .string(check.sidecarFile))
            entry.set("expected", check.expected.cel)
            entry.set("actual", check.actual.cel)
            entry.set("nameInSidecar", check.nameInSidecar.cel)
            entry.set("nameMatches", .bool(check.nameMatches))
            entry.set("problem", check.problem.cel)
            entry.set("match", .bool(check.match))
            return entry.celValue
        } ?? .null)
        map.set("signatures", FactList(elements: signatures.map { signature in
            let file = signature.subject == .manifest ? entryName(signature.file) : signature.file
            var entry = FactMap(at: SourceSpan(file: file, line: 1, column: 1))
            entry.set("subject", .string(signature.subject.rawValue))
            entry.set("file", .string(file))
            entry.set("status", signature.status.map { .string($0.rawValue) } ?? .null)
            entry.set("detail", signature.detail.cel)
            entry.set("unbound", signature.unbound.cel)
            return entry.celValue
        }, position: archiveSpan).celValue)
        map.set("keyGiven", .bool(keyGiven))
        map.set("archiveSHA256", archiveSHA256.cel)
        map.set("issues", PackageFacts.issuesValue(issues, source: source))
        return map.celValue
    }

    /// Image references as `{reference, file, line, column, source}`, each pointing where it is written.
    private func referencesValue(_ references: [ReferencedImage], position: SourceSpan) -> CELValue {
        FactList(elements: references.map { image in
            var entry = FactMap(at: image.location)
            entry.set("reference", .string(image.reference))
            entry.set("file", .string(image.file))
            entry.set("line", .int(Int64(image.location.line)))
            entry.set("column", .int(Int64(image.location.column)))
            entry.set("source", .string(image.source.rawValue))
            return entry.celValue
        }, position: position).celValue
    }

    /// How reports name a file of the bundle: `b.tar.gz!airgap-bundle-X/docs/a.md` or `b/docs/a.md`.
    func entryName(_ relative: String) -> String {
        Self.displayName(source, isArchive: isArchive, root.isEmpty ? relative : root + "/" + relative)
    }
}

extension ArchiveEntry {
    /// Files of a package or bundle as CEL `{path, type, size, sha256}` maps, each pointing at
    /// the file as reports name it.
    static func listValue(_ files: [ArchiveEntry], name: (String) -> String, position: SourceSpan) -> CELValue {
        FactList(elements: files.map { file in
            var entry = FactMap(at: SourceSpan(file: name(file.path), line: 1, column: 1))
            entry.set("path", .string(file.path))
            entry.set("type", .string(file.type.rawValue))
            entry.set("size", .int(file.size))
            entry.set("sha256", file.sha256.cel)
            return entry.celValue
        }, position: position).celValue
    }
}
