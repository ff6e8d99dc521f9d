import YAMLSource

/// A `dependencies` item of a chart's Chart.yaml, and the subchart of the chart's `charts/` that
/// Helm installs for it. Helm (`CheckDependencies`, then `getAliasDependency`) finds a
/// dependency's subchart by the `name` in the subchart's own Chart.yaml and its `version` range;
/// the alias only renames what was found, and a `condition` or `tags` only choose, once it is
/// found, whether it is installed: `helm install` refuses a chart whose dependency is missing,
/// enabled or not.
public struct ChartDependency: Sendable, Hashable {
    /// A chart under a chart's `charts/`: a packed `.tgz` or a folder.
    struct Subchart {
        /// Its path inside the chart archive (`x/charts/db-1.0.0.tgz`, `x/charts/db`).
        var path: String
        /// Its Chart.yaml's `name` and `version`; `name` is nil when that could not be read.
        var name: String?
        var version: String?
    }

    /// Bundle-relative path of the Chart.yaml; inside a chart archive `charts/x.tgz!x/Chart.yaml`.
    public var file: String
    /// Where the item is written, as reports name the file.
    public var location: SourceSpan
    public var name: String?
    public var alias: String?
    /// The version range as written; nil when the item has none (any version then).
    public var version: String?
    /// The subchart Helm installs for it, as `Subchart.path`; nil when `charts/` holds none.
    public var subchart: String?
    /// The versions of the subcharts named `name`, in the range or not.
    public var versionsFound: [String] = []
    /// Why it cannot be checked: the item is not a mapping with a name, the range is not one
    /// airlock reads, or a subchart that could be it was not read.
    public var error: String?

    /// The dependencies of the Chart.yaml at `file` (its `dependencies` node), each matched
    /// with `subcharts`.
    static func items(of node: YAMLNode?, file: String, subcharts: [Subchart]) -> [ChartDependency] {
        guard let node, !node.isNull else { return [] }
        guard node.kind == .sequence else {
            let shape = EmbeddedYAML.shape(ofNonText: node) ?? "a string"
            return [ChartDependency(file: file, location: node.span, error: "dependencies is \(shape), not a list")]
        }
        // Grouped by name once: matching each dependency against every subchart was quadratic.
        let byName = Dictionary(grouping: subcharts.filter { $0.name != nil }) { $0.name ?? "" }
        let unread = subcharts.first { $0.name == nil }
        return node.items.map { item in
            var dependency = ChartDependency(file: file, location: item.span)
            guard item.kind == .mapping else {
                dependency.error = "an item of dependencies is \(EmbeddedYAML.shape(ofNonText: item) ?? "a string"), not a mapping {name, version, repository}"
                return dependency
            }
            dependency.name = EmbeddedYAML.text(item["name"])
            dependency.alias = EmbeddedYAML.text(item["alias"])
            dependency.version = EmbeddedYAML.text(item["version"])
            if let version = item["version"], version.kind != .scalar {
                dependency.error = "the version of \(dependency.name ?? "a dependency") is \(EmbeddedYAML.shape(ofNonText: version) ?? ""), not a version range"
                return dependency
            }
            dependency.match(named: byName, unread: unread)
            return dependency
        }
    }

    /// Finds the subchart named `name` whose version is in the range (any version without one)
    /// among the subcharts by name; `unread` is one whose name could not be read, which could be it.
    private mutating func match(named subcharts: [String: [Subchart]], unread: Subchart?) {
        guard let name else {
            error = "a dependencies item has no name"
            return
        }
        let range: VersionRange?
        do {
            range = try version.map(Self.range)
        } catch {
            self.error = "the version range of \(name) is not one airlock reads: \(error.description)"
            return
        }
        let named = subcharts[name] ?? []
        versionsFound = named.map { $0.version ?? "without a version" }
        subchart = named.first { subchart in
            guard let range else { return true }
            return subchart.version.map { range.satisfies($0) } ?? false
        }?.path
        if subchart == nil, let unread {
            error = "whether charts/ holds \(name) is not known: the chart name of \(unread.path) could not be read"
        }
    }

    /// A Helm (Masterminds semver) constraint read as an npm range: `,` joins comparators as a
    /// space does.
    private static func range(_ constraint: String) throws(VersionSyntaxError) -> VersionRange {
        try VersionRange(constraint.replacingOccurrences(of: ",", with: " "))
    }
}
