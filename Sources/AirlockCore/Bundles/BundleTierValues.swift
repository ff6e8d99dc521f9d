/// A tier values file of a bundle (`values-tier*.yaml`) merged as `helm install CHART -f TIER -f
/// values-tenants.yaml` would merge it: the chart's defaults first (for a tier file in a chart, the
/// `values.yaml` at the top of that chart, wherever the file is in it, `ci/` too, and no other;
/// for a tier file outside every chart, the `values.yaml` of each chart of the bundle in turn,
/// then the `values.yaml` beside the file), then the tier file, then `values-tenants.yaml`
/// beside it when present. The values rules are evaluated on each, as the tier it is installed
/// at (see `tier(bundleTier:)`).
public struct BundleTierValues: Sendable {
    /// Bundle-relative path of the tier file.
    public var file: String
    /// The tier file as reports name it.
    public var displayName: String
    /// The files merged, in order, bundle-relative.
    public var mergedFiles: [String]
    public var values: HelmValues

    /// The tier the values are installed at: the one the file's name gives
    /// (`values-tier1-edge.yaml`, `values-tier1.yaml`: edge), else the bundle's (`bundleTier`, its
    /// manifest's `tier`), else the file's own `global.tier`.
    public func tier(bundleTier: String?) -> String? {
        Self.tier(named: file)?.rawValue ?? bundleTier ?? values.declaredTier
    }

    /// An error when `tier(bundleTier:)` names no tier: the bundle manifest's `tier` (`EDGE`), or
    /// the values' own `global.tier` (`Edge`, `1`). The rules limited to a tier could not run on
    /// these values, as for `--tier Edge`, which is refused, and values-tier-known leaves such a
    /// tier to this error.
    func unknownTierError(bundleTier: String?) -> Diagnostic? {
        guard Self.tier(named: file) == nil else { return nil }
        guard let bundleTier else { return values.unknownTierError }
        guard Tier(rawValue: bundleTier) == nil else { return nil }
        return Diagnostic(
            kind: .input,
            message: "checked as the bundle's tier \"\(bundleTier)\" (manifest.yaml), which is not a deployment tier (\(Tier.allNames)): the rules that depend on the tier could not run",
            location: SourceSpan(file: displayName, line: 1, column: 1))
    }

    /// One entry per tier file among `files`, in their order; a tier file outside the charts of a
    /// bundle of several charts, one entry per chart (it may be installed with any of them). A
    /// path the archive holds twice (a duplicate-path issue) is read as `tar -x` writes it: the
    /// last copy, once.
    static func merge(_ files: [BundleValuesFile]) -> [BundleTierValues] {
        let byPath = Dictionary(files.map { ($0.file, $0) }, uniquingKeysWith: { _, last in last })
        let chartDefaults = files.map(\.file).filter(isChartDefaults)
        var seen: Set<String> = []
        let tierFiles = files.filter { isTierFile($0.file) && seen.insert($0.file).inserted }.compactMap { byPath[$0.file] }
        return tierFiles.flatMap { tierFile in
            let folder = tierFile.file.lastIndex(of: "/").map { String(tierFile.file[...$0]) } ?? ""
            let defaults: [String?]
            // Inside a chart, Helm starts from the chart's own values.yaml alone: a values.yaml
            // beside a tier file in a folder of the chart (`ci/`) is read by no one.
            let beside: String?
            if let chart = chartFolder(of: tierFile.file) {
                defaults = [chart + "values.yaml"]
                beside = nil
            } else {
                defaults = chartDefaults.isEmpty ? [nil] : chartDefaults
                beside = folder + "values.yaml"
            }
            return defaults.map { chartDefault in
                var values = HelmValues()
                var merged: [String] = []
                for path in [chartDefault, beside, tierFile.file, folder + "values-tenants.yaml"].compactMap({ $0 }) where !merged.contains(path) {
                    guard let file = byPath[path] else { continue }
                    values.merge(file.root)
                    merged.append(path)
                }
                values.placeTop(at: tierFile.root)
                return BundleTierValues(file: tierFile.file, displayName: tierFile.root.span.file, mergedFiles: merged, values: values)
            }
        }
    }

    /// Whether `merge` may read the file at `path`: a tier file, or a `values.yaml` or
    /// `values-tenants.yaml` that may be merged with one.
    static func isMerged(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        return isTierFile(path) || name == "values.yaml" || name == "values-tenants.yaml"
    }

    /// `values-tier*.yaml` (or `.yml`, `.json`) in any folder, the name in any case, its extension
    /// too (`Values-Tier1-Edge.yaml`, `VALUES-TIER1-EDGE.YAML`): on a file system that ignores
    /// case, as macOS's and Windows' do, `helm install -f values-tier1-edge.yaml` installs that file.
    static func isTierFile(_ path: String) -> Bool {
        let name = (path.split(separator: "/").last ?? "").lowercased()
        return name.hasPrefix("values-tier") && BundleYAMLScan.isYAMLOrJSON(name)
    }

    /// The tier a tier file's name gives, in any case: a tier's name among its words
    /// (`values-tier1-edge.yaml`, `values-tier1_Edge-v2.yaml`), else its number (`values-tier1.yaml`:
    /// tier 1 is edge, 2 datacenter, 3 connected, as the platform numbers them).
    static func tier(named path: String) -> Tier? {
        guard isTierFile(path), let name = path.split(separator: "/").last else { return nil }
        let words = name.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map(String.init)
        if let named = words.lazy.compactMap(Tier.init(rawValue:)).first { return named }
        let numbered: [String: Tier] = ["tier1": .edge, "tier2": .datacenter, "tier3": .connected]
        return words.lazy.compactMap { numbered[$0] }.first
    }

    /// The folder of the chart `path` is in, with a trailing `/`: the top folder of the innermost
    /// chart archive (`charts/x.tgz!x/` for `charts/x.tgz!x/ci/values-tier1-edge.yaml`), or a
    /// subchart folder of its `charts/` (`charts/x.tgz!x/charts/db/`), whose values.yaml holds
    /// the defaults Helm starts from; `nil` outside every chart archive.
    static func chartFolder(of path: String) -> String? {
        guard let separator = path.lastIndex(of: "!") else { return nil }
        var folders = path[path.index(after: separator)...].split(separator: "/", omittingEmptySubsequences: false).dropLast()
        guard let top = folders.popFirst() else { return nil }
        var chart = path[...separator] + top + "/"
        while folders.count >= 2, folders.first == "charts" {
            chart += folders.prefix(2).joined(separator: "/") + "/"
            folders = folders.dropFirst(2)
        }
        return String(chart)
    }

    /// A chart's own `values.yaml`, at its top: `charts/x-1.0.0.tgz!x/values.yaml`.
    private static func isChartDefaults(_ path: String) -> Bool {
        guard let separator = path.firstIndex(of: "!") else { return false }
        let inside = path[path.index(after: separator)...].split(separator: "/", omittingEmptySubsequences: false)
        return inside.count == 2 && inside[1] == "values.yaml"
    }
}
