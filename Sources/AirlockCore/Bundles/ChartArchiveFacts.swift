import YAMLSource

/// What a packaged Helm chart (`helm package` output, a `.tgz` holding `NAME/Chart.yaml`) says it
/// is, and the image references of its values files and templates.
public struct ChartArchiveFacts: Sendable {
    /// Path of the archive inside the bundle, relative to the bundle root.
    public var archive: String
    public var name: String?
    public var version: String?
    public var appVersion: String?
    public var apiVersion: String?
    /// The `dependencies` of its Chart.yaml, then those of its subcharts (`file` then
    /// `x/charts/db.tgz!db/Chart.yaml`), each with the subchart Helm installs for it.
    public var dependencies: [ChartDependency] = []
    /// Path of the Chart.yaml used, inside the chart archive.
    public var chartFile: String?
    public var sha256: String?
    public var size: Int64
    public var error: String?
    /// Image references of `values*.yaml` and `templates/**.yaml`, and of those of the subcharts
    /// packed in its `charts/` (`file` then `ai-platform/charts/db.tgz!db/values.yaml`); `file`
    /// is the path inside the chart archive until the bundle prefixes it with the archive's path.
    public var referencedImages: [ReferencedImage] = []
    /// The chart's values files, `file` as for `referencedImages`.
    public var valuesFiles: [BundleValuesFile] = []
    /// Values files or templates that could not be read (YAML errors, limits).
    public var diagnostics: [Diagnostic] = []
    /// `false` when the archive itself is corrupt or over a limit (then also a diagnostic), as
    /// opposed to a readable archive that is not what it should be.
    public var isReadable: Bool = true

    public init(archive: String, name: String? = nil, version: String? = nil, appVersion: String? = nil,
                apiVersion: String? = nil, chartFile: String? = nil,
                sha256: String? = nil, size: Int64 = 0, error: String? = nil) {
        self.archive = archive
        self.name = name
        self.version = version
        self.appVersion = appVersion
        self.apiVersion = apiVersion
        self.chartFile = chartFile
        self.sha256 = sha256
        self.size = size
        self.error = error
    }

    /// Whether `name` (an entry's Helm name inside a chart) is a subchart packed in `charts/`:
    /// Helm's loader opens only `*.tgz` there (`ChartsFolder`).
    /// A subchart's own `charts/` is one too, when it is a folder (`charts/web/charts/db.tgz`).
    static func isPackedSubchart(_ name: String) -> Bool {
        let location = ChartsFolder.location(of: name)
        let parts = location.name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0] == "charts" && name.hasSuffix(".tgz") && location.depth <= ChartDependencyWalk.maxFolderDepth
    }

    /// Whether `name` is the Chart.yaml or requirements.yaml of a chart folder under `charts/`
    /// (`charts/web/Chart.yaml`, `charts/web/charts/ui/requirements.yaml`).
    private static func isSubchartFolderMetadata(_ name: String) -> Bool {
        let location = ChartsFolder.location(of: name)
        return !location.chart.isEmpty && (location.name == "Chart.yaml" || location.name == "requirements.yaml")
            && location.depth <= ChartDependencyWalk.maxFolderDepth
    }

    /// Whether `path` (relative to a bundle root) names a chart archive to open.
    public static func isChartArchive(_ path: String) -> Bool {
        path.hasPrefix("charts/") && (path.hasSuffix(".tgz") || path.hasSuffix(".tar.gz"))
    }

    /// Reads the chart's `NAME/Chart.yaml` and scans its values files and templates;
    /// `displayName` is the archive as reports name it. Every entry is named as Helm's loader
    /// names it (`HelmArchiveName`: split on `\` when the name holds one, first part dropped,
    /// `path.Clean`), and its content is read as what that name is: `ai-platform/x\values.yaml`
    /// is Helm's values.yaml. An entry whose Helm name differs from its archive path, an entry
    /// Helm refuses, an archive with more than one top folder (or file), or two entries with
    /// the same Helm name (Helm keeps the last) installs something else than airlock would read,
    /// so it is an error. Errors of the chart archive end up in `error`, never thrown.
    public static func read(_ reader: ArchiveReader, archive: String, displayName: String) -> ChartArchiveFacts {
        var facts = ChartArchiveFacts(archive: archive)
        var chartFiles: [(path: String, content: [UInt8])] = []
        // `requirements.yaml`, where apiVersion v1 charts list their dependencies (Helm 3 reads it still).
        var requirements: (path: String, content: [UInt8])?
        var topFolders: [Substring] = []
        var renamed: [String] = []
        var refused: [String] = []
        var disagreements: [String] = []
        var entriesByHelmName: [String: [String]] = [:]
        var helmNames: [String] = []
        // Entries that are neither regular files nor folders (links, devices, FIFOs), by Helm name.
        var entryTypes: [String: ArchiveEntryType] = [:]
        // Subcharts packed in `charts/` (what `helm dependency build` leaves), by entry path.
        var packedSubcharts: [(path: String, helmName: String)] = []
        var subcharts: [String: ChartArchiveFacts] = [:]
        // The Chart.yaml and requirements.yaml of each chart folder under `charts/`, by Helm name.
        var subchartFolderFiles: [String: ChartDependencyWalk.MetadataFile] = [:]
        /// The Helm name, and how the content under it is scanned.
        func helmName(_ entry: ArchiveEntry) -> String? {
            guard case .name(_, let name) = HelmArchiveName.of(entry.rawPath) else { return nil }
            return name
        }
        func kind(_ name: String) -> BundleYAMLScan.Kind? { BundleYAMLScan.kind(of: "chart/" + name, inChart: true) }
        let summary: ArchiveReadSummary
        do {
            summary = try reader.read(plan: { entry in
                guard entry.type == .file, let name = helmName(entry) else { return .skip }
                if Self.isPackedSubchart(name) {
                    let path = entry.path
                    return .nested { inner in subcharts[path] = ChartArchiveFacts.read(inner, archive: path, displayName: displayName + "!" + path) }
                }
                return name == "Chart.yaml" || name == "requirements.yaml" || Self.isSubchartFolderMetadata(name) || kind(name) != nil
                    ? .whole : .skip
            }, visit: { entry in
                if let disagreement = entry.readerDisagreement { disagreements.append(disagreement) }
                let parts = ArchivePath.components(entry.path)
                if let top = parts.first, !topFolders.contains(top) { topFolders.append(top) }
                guard entry.type != .directory else { return }
                switch HelmArchiveName.of(entry.rawPath) {
                case .refused(let reason):
                    refused.append("\(entry.rawPath) (\(reason))")
                    return
                case .name(_, let name):
                    if parts.dropFirst().joined(separator: "/") != name { renamed.append("\(entry.rawPath) as \(name)") }
                    if entriesByHelmName[name] == nil { helmNames.append(name) }
                    entriesByHelmName[name, default: []].append(entry.rawPath)
                    if entry.type != .file { entryTypes[name] = entry.type }
                    if entry.type == .file, Self.isPackedSubchart(name) { packedSubcharts.append((entry.path, name)) }
                    guard entry.type == .file, let content = entry.content else { return }
                    if name == "Chart.yaml" {
                        chartFiles.append((entry.path, content))
                    } else if name == "requirements.yaml" {
                        requirements = (entry.path, content)
                    } else if Self.isSubchartFolderMetadata(name) {
                        subchartFolderFiles[name] = ChartDependencyWalk.MetadataFile(path: entry.path, content: content)
                    } else if let kind = kind(name) {
                        let scanned = BundleYAMLScan.scan(content, kind: kind, file: entry.path, displayName: displayName + "!" + entry.path, inChart: true)
                        facts.referencedImages += scanned.images
                        facts.diagnostics += scanned.diagnostics
                        if let root = scanned.values { facts.valuesFiles.append(BundleValuesFile(file: entry.path, root: root)) }
                    }
                }
            })
        } catch {
            facts.error = String(describing: error)
            facts.isReadable = false
            return facts
        }
        // Helm's loader reads a chart archive through gzip alone (`gzip.NewReader`).
        if !reader.isDirectory, summary.filterNames != ["gzip"] {
            let found = summary.filterNames.isEmpty ? "an uncompressed tar" : "compressed with " + summary.filterNames.joined(separator: " and ")
            facts.error = "the chart archive is \(found): Helm loads only gzip-compressed charts"
            return facts
        }
        if !disagreements.isEmpty {
            facts.error = "tar readers unpack this chart differently: " + disagreements.joined(separator: "; ")
            return facts
        }
        if !refused.isEmpty {
            facts.error = "Helm refuses to load this chart: " + refused.joined(separator: ", ")
            return facts
        }
        if !renamed.isEmpty {
            facts.error = "entries Helm reads under another name than their path: \(renamed.joined(separator: ", ")); Helm installs their content under that name"
            return facts
        }
        if topFolders.count > 1 {
            facts.error = "entries under more than one top folder (\(topFolders.joined(separator: ", "))): Helm drops the first path component of every entry, so which chart it installs is ambiguous"
            return facts
        }
        if chartFiles.count > 1 {
            facts.error = "\(chartFiles.count) Chart.yaml at the chart's root (\(chartFiles.map(\.path).joined(separator: ", "))): Helm installs the last one"
            return facts
        }
        let duplicated = helmNames.filter { (entriesByHelmName[$0]?.count ?? 0) > 1 }
        if !duplicated.isEmpty {
            facts.error = "more than one entry Helm names " + duplicated.map { "\($0) (\(entriesByHelmName[$0, default: []].joined(separator: ", ")))" }.joined(separator: ", ") + ": Helm keeps the last one"
            return facts
        }
        guard let best = chartFiles.first else {
            facts.error = "no Chart.yaml at the top of the chart archive"
            return facts
        }
        for (path, _) in packedSubcharts {
            guard let subchart = subcharts[path] else {
                facts.diagnostics.append(Diagnostic(
                    kind: .input, message: "subchart not opened: archives nest deeper than the limit of \(reader.limits.maxNestingDepth), so its images and templates are not checked",
                    location: SourceSpan(file: displayName + "!" + path, line: 1, column: 1)))
                continue
            }
            // Helm installs a subchart with its parent: what is wrong with it is wrong with the
            // chart, and a subchart that cannot be read leaves the chart unread. Its files airlock
            // could not read stay errors, whatever Helm makes of it.
            facts.diagnostics += subchart.diagnostics
            if let error = subchart.error {
                facts.error = "subchart \(path): \(error)"
                facts.isReadable = subchart.isReadable
                return facts
            }
            facts.referencedImages += subchart.referencedImages.inside(path)
        }
        facts.chartFile = best.path
        let root: YAMLNode
        switch EmbeddedYAML.load(best.content, file: displayName + "!" + best.path) {
        case .loaded(let loaded): root = loaded
        case .failed(let diagnostic):
            facts.refuseUnreadable(diagnostic)
            return facts
        }
        if let problem = ChartMetadata.problem(of: root) {
            facts.error = "Helm refuses to load this chart: \(problem)"
            return facts
        }
        var declared = (node: root["dependencies"], file: best.path)
        // Helm's loader reads requirements.yaml's `dependencies` over Chart.yaml's, whatever
        // the chart's apiVersion, and refuses a chart whose requirements.yaml is not YAML.
        if let requirements {
            switch EmbeddedYAML.load(requirements.content, file: displayName + "!" + requirements.path) {
            case .loaded(let listed): if let node = listed["dependencies"] { declared = (node, requirements.path) }
            case .failed(let diagnostic):
                facts.refuseUnreadable(diagnostic)
                return facts
            }
        }
        // The subcharts Helm loads with the chart, whose dependencies it checks as the chart's.
        let top = topFolders.first.map { $0 + "/" } ?? ""
        var walk = ChartDependencyWalk(
            members: ChartsFolder.index(helmNames, maxDepth: ChartDependencyWalk.maxFolderDepth), metadataFiles: subchartFolderFiles,
            packed: Dictionary(packedSubcharts.compactMap { packed in subcharts[packed.path].map { (packed.helmName, $0) } }, uniquingKeysWith: { first, _ in first }),
            types: entryTypes, path: { top + $0 }, displayName: displayName)
        walk.walk("", dependencies: declared.node, file: declared.file, depth: 0)
        facts.diagnostics += walk.diagnostics
        if let refusal = ChartsFolder.refusal(walk.unloadable, notFiles: walk.notFiles, invalid: walk.invalid) {
            facts.error = refusal
            return facts
        }
        facts.name = EmbeddedYAML.text(root["name"])
        facts.version = EmbeddedYAML.text(root["version"])
        facts.appVersion = EmbeddedYAML.text(root["appVersion"])
        facts.apiVersion = EmbeddedYAML.text(root["apiVersion"])
        facts.dependencies = walk.dependencies
        return facts
    }

    /// A Chart.yaml or requirements.yaml that is not YAML: Helm refuses the chart (a finding),
    /// and airlock could not read it (an error at its place, as a subchart folder's is), so no
    /// exception or `--fail-on` turns the bundle green.
    private mutating func refuseUnreadable(_ diagnostic: Diagnostic) {
        error = diagnostic.description
        diagnostics.append(diagnostic)
    }
}
