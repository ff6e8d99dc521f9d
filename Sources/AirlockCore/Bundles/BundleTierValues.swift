/// A tier values file of a bundle (`values-tier*.yaml`) merged as `helm install CHART -f TIER -f
/// values-tenants.yaml` would merge it: the `values.yaml` beside it first (a chart's defaults, when
/// the file is in a chart), then the tier file, then `values-tenants.yaml` beside it when present.
/// The values rules are evaluated on each, as their own tier.
public struct BundleTierValues: Sendable {
    /// Bundle-relative path of the tier file.
    public var file: String
    /// The tier file as reports name it.
    public var displayName: String
    /// The files merged, in order, bundle-relative.
    public var mergedFiles: [String]
    public var values: HelmValues

    /// One entry per tier file among `files`, in their order.
    static func merge(_ files: [BundleValuesFile]) -> [BundleTierValues] {
        let byPath = Dictionary(files.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        return files.filter { isTierFile($0.file) }.map { tierFile in
            let folder = tierFile.file.lastIndex(of: "/").map { String(tierFile.file[...$0]) } ?? ""
            var values = HelmValues()
            var merged: [String] = []
            for path in [folder + "values.yaml", tierFile.file, folder + "values-tenants.yaml"] {
                guard let file = byPath[path] else { continue }
                values.merge(file.root)
                merged.append(path)
            }
            return BundleTierValues(file: tierFile.file, displayName: tierFile.root.span.file, mergedFiles: merged, values: values)
        }
    }

    /// `values-tier*.yaml` (or `.yml`) in any folder.
    static func isTierFile(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        return name.hasPrefix("values-tier") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }
}
