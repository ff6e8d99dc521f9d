import YAMLSource

/// The dependencies of a chart archive's charts: those of the chart at the top, then those of
/// each subchart it loads from its `charts/` (a packed one's were read with its archive; a
/// folder's Chart.yaml, or requirements.yaml, is read here), then theirs, down to
/// `maxFolderDepth` chart folders. `helm install` checks only the top chart's, and leaves a
/// subchart's missing dependency out without a word; airlock reports it.
struct ChartDependencyWalk {
    /// How many chart folders deep (`charts/web/charts/ui` is 2) subcharts are read: a bound
    /// against an archive of chart folders nested without end. A deeper one is an error (exit 2).
    static let maxFolderDepth = 16

    /// A Chart.yaml or requirements.yaml of a chart folder.
    struct MetadataFile {
        var path: String
        var content: [UInt8]
    }

    /// The entries of each chart folder's `charts/` (`ChartsFolder.index`).
    var members: [String: [String]]
    /// The Chart.yaml and requirements.yaml of the chart folders, by Helm name.
    var metadataFiles: [String: MetadataFile]
    /// The packed subcharts read, by Helm name.
    var packed: [String: ChartArchiveFacts]
    /// The type of each entry that is neither a regular file nor a folder, by Helm name.
    var types: [String: ArchiveEntryType] = [:]
    /// The archive path of a Helm name.
    var path: (String) -> String
    /// The archive as reports name it.
    var displayName: String

    private(set) var dependencies: [ChartDependency] = []
    /// Chart folders that could not be read (not YAML, nested too deep): the result cannot be trusted.
    private(set) var diagnostics: [Diagnostic] = []
    /// Entries of a `charts/` Helm cannot load, which make it refuse the whole chart.
    private(set) var unloadable: [String] = []
    /// Subcharts Helm loads from entries that are no regular file (`ChartsFolder.notFiles`).
    private(set) var notFiles: [String] = []
    /// Subchart folders whose Chart.yaml Helm refuses (`ChartMetadata`), with why.
    private(set) var invalid: [String] = []

    /// Walks the chart at `chart` (`""` the top, `charts/web` a folder), `depth` chart folders
    /// down, whose dependencies are the `dependencies` node of `file`.
    mutating func walk(_ chart: String, dependencies declared: YAMLNode?, file: String, depth: Int) {
        let folder = ChartsFolder(of: chart, members: members[chart, default: []], types: types, path: path)
        unloadable += folder.unloadable
        notFiles += folder.notFiles
        var loaded: [ChartDependency.Subchart] = []
        var inside: [(chart: String, dependencies: YAMLNode?, file: String)] = []
        var packedDependencies: [[ChartDependency]] = []
        for subchart in folder.subcharts {
            switch subchart {
            case .packed(let name):
                let facts = packed[name]
                loaded.append(ChartDependency.Subchart(path: path(name), name: facts?.name, version: facts?.version))
                packedDependencies.append(facts?.dependencies.inside(path(name)) ?? [])
            case .unpacked(let name):
                var subchart = ChartDependency.Subchart(path: path(name))
                defer { loaded.append(subchart) }
                guard depth < Self.maxFolderDepth else {
                    diagnostics.append(Diagnostic(
                        kind: .input, message: "subchart folder not read: chart folders nest deeper than \(Self.maxFolderDepth), so its dependencies are not checked",
                        location: SourceSpan(file: displayName + "!" + path(name + "/Chart.yaml"), line: 1, column: 1)))
                    continue
                }
                guard let chartFile = metadataFiles[name + "/Chart.yaml"], let root = load(chartFile) else { continue }
                if let problem = ChartMetadata.problem(of: root) { invalid.append("\(chartFile.path): \(problem)") }
                subchart.name = EmbeddedYAML.text(root["name"])
                subchart.version = EmbeddedYAML.text(root["version"])
                var listed = (node: root["dependencies"], file: chartFile.path)
                // Helm reads requirements.yaml's `dependencies` over Chart.yaml's, as for the top chart.
                if let requirements = metadataFiles[name + "/requirements.yaml"] {
                    guard let read = load(requirements) else { continue }
                    if let node = read["dependencies"] { listed = (node, requirements.path) }
                }
                inside.append((name, listed.node, listed.file))
            }
        }
        dependencies += ChartDependency.items(of: declared, file: file, subcharts: loaded)
        dependencies += packedDependencies.joined()
        for subchart in inside { walk(subchart.chart, dependencies: subchart.dependencies, file: subchart.file, depth: depth + 1) }
    }

    /// The file as YAML; nil, and an error at its place, when it is not.
    private mutating func load(_ file: MetadataFile) -> YAMLNode? {
        switch EmbeddedYAML.load(file.content, file: displayName + "!" + file.path) {
        case .loaded(let root): return root
        case .failed(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        }
    }
}
