/// What a packaged Helm chart (`helm package` output, a `.tgz` holding `NAME/Chart.yaml`) says it
/// is, and the image references of its values files and templates.
public struct ChartArchiveFacts: Sendable {
    /// Path of the archive inside the bundle, relative to the bundle root.
    public var archive: String
    public var name: String?
    public var version: String?
    public var appVersion: String?
    public var apiVersion: String?
    /// Names of the chart's `dependencies`.
    public var dependencies: [String]
    /// Path of the Chart.yaml used, inside the chart archive.
    public var chartFile: String?
    public var sha256: String?
    public var size: Int64
    public var error: String?
    /// Image references of `values*.yaml` and `templates/**.yaml`; `file` is the path inside the
    /// chart archive until the bundle prefixes it with the archive's path.
    public var referencedImages: [ReferencedImage] = []
    /// The chart's values files, `file` as for `referencedImages`.
    public var valuesFiles: [BundleValuesFile] = []
    /// Values files or templates that could not be read (YAML errors, limits).
    public var diagnostics: [Diagnostic] = []
    /// `false` when the archive itself is corrupt or over a limit (then also a diagnostic), as
    /// opposed to a readable archive that is not what it should be.
    public var isReadable: Bool = true

    public init(archive: String, name: String? = nil, version: String? = nil, appVersion: String? = nil,
                apiVersion: String? = nil, dependencies: [String] = [], chartFile: String? = nil,
                sha256: String? = nil, size: Int64 = 0, error: String? = nil) {
        self.archive = archive
        self.name = name
        self.version = version
        self.appVersion = appVersion
        self.apiVersion = apiVersion
        self.dependencies = dependencies
        self.chartFile = chartFile
        self.sha256 = sha256
        self.size = size
        self.error = error
    }

    /// Whether `path` (relative to a bundle root) names a chart archive to open.
    public static func isChartArchive(_ path: String) -> Bool {
        path.hasPrefix("charts/") && (path.hasSuffix(".tgz") || path.hasSuffix(".tar.gz"))
    }

    /// Reads the chart's top `Chart.yaml` (the shallowest one: `NAME/Chart.yaml`) and scans its
    /// values files and templates; `displayName` is the archive as reports name it. Errors of the
    /// chart archive end up in `error`, never thrown.
    public static func read(_ reader: ArchiveReader, archive: String, displayName: String) -> ChartArchiveFacts {
        var facts = ChartArchiveFacts(archive: archive)
        var best: (depth: Int, path: String, content: [UInt8])?
        func isChartFile(_ parts: [Substring]) -> Bool { parts.last == "Chart.yaml" && parts.count <= 2 }
        do {
            try reader.read(plan: { entry in
                guard entry.type == .file else { return .skip }
                if isChartFile(ArchivePath.components(entry.path)) { return .whole }
                return BundleYAMLScan.kind(of: entry.path, inChart: true) == nil ? .skip : .whole
            }, visit: { entry in
                guard entry.type == .file, let content = entry.content else { return }
                let parts = ArchivePath.components(entry.path)
                if isChartFile(parts) {
                    if let current = best, current.depth <= parts.count { return }
                    best = (parts.count, entry.path, content)
                } else if let kind = BundleYAMLScan.kind(of: entry.path, inChart: true) {
                    let scanned = BundleYAMLScan.scan(content, kind: kind, file: entry.path, displayName: displayName + "!" + entry.path, inChart: true)
                    facts.referencedImages += scanned.images
                    facts.diagnostics += scanned.diagnostics
                    if let root = scanned.values { facts.valuesFiles.append(BundleValuesFile(file: entry.path, root: root)) }
                }
            })
        } catch {
            facts.error = String(describing: error)
            facts.isReadable = false
            return facts
        }
        guard let best else {
            facts.error = "no Chart.yaml at the top of the chart archive"
            return facts
        }
        facts.chartFile = best.path
        switch EmbeddedYAML.load(best.content, file: displayName + "!" + best.path) {
        case .loaded(let root):
            facts.name = EmbeddedYAML.text(root["name"])
            facts.version = EmbeddedYAML.text(root["version"])
            facts.appVersion = EmbeddedYAML.text(root["appVersion"])
            facts.apiVersion = EmbeddedYAML.text(root["apiVersion"])
            facts.dependencies = root["dependencies"]?.items.compactMap { EmbeddedYAML.text($0["name"]) } ?? []
        case .failed(let diagnostic):
            facts.error = diagnostic.description
        }
        return facts
    }
}
