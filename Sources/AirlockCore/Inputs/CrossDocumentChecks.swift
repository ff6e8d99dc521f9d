import YAMLSource

/// What the decoder can settle only once every object of a run is read: the scope and plural of
/// custom kinds whose CustomResourceDefinition is among the inputs, and objects defined twice.
public enum CrossDocumentChecks {
    /// The inventory of `resources`, after taking the namespace off the objects of kinds that a
    /// CustomResourceDefinition among them declares `scope: Cluster` (as the API server drops it),
    /// and an error for each object that an earlier one of the same group, kind, namespace and
    /// name comes before: `kubectl apply` would keep the last and `helm install` refuses both, so
    /// which one the rules should read is not known. Objects named by `generateName` are each a
    /// new object. The same object exported twice (overlapping `kubectl get` runs: one `uid` and
    /// one `resourceVersion`, so one state of one object) is read once, where it comes first,
    /// when the copies agree (see `SameExportedState`); one that does not is read as any object.
    public static func inventory(of resources: [Resource]) -> (inventory: Inventory, errors: [Diagnostic]) {
        var resources = droppingRepeatedExports(resources)
        let clusterScoped = declaredClusterScopedKinds(in: resources)
        if !clusterScoped.isEmpty {
            for index in resources.indices where !resources[index].namespace.isEmpty {
                let resource = resources[index]
                if clusterScoped.contains(resource.group + "/" + resource.kind) {
                    resources[index].namespace = ""
                }
            }
        }
        var inventory = Inventory(resources)
        inventory.declaredPlurals = declaredPlurals(in: resources)
        // The inventory's identity leaves out the group of kinds that are not Kubernetes' own: a
        // `Widget` of one group replaces one of another, and the object of the same group may be
        // further back.
        // Each later copy, with the first of its group (`kubectl apply` keeps the last). Every
        // chain of replacements is named by its first object, so that the first of a group is
        // one lookup (walking the chain back from each copy was quadratic in the copies).
        var chainStart: [Int: Int] = [:]
        var firstOfGroup: [String: Int] = [:]
        var copies: [(first: Int, later: Int)] = []
        for (earlier, later) in inventory.replacements.sorted(by: { $0.later < $1.later }) {
            let start = chainStart[earlier] ?? earlier
            chainStart[later] = start
            let startKey = "\(start)/\(inventory.resources[start].group)"
            if firstOfGroup[startKey] == nil { firstOfGroup[startKey] = start }
            let second = inventory.resources[later]
            let key = "\(start)/\(second.group)"
            guard let first = firstOfGroup[key] else {
                firstOfGroup[key] = later
                continue
            }
            if !second.name.hasSuffix("*") { copies.append((first, later)) }
        }
        let copyCounts = copies.reduce(into: [Int: Int]()) { $0[$1.first, default: 1] += 1 }
        let errors = copies.map { firstPosition, later -> Diagnostic in
            let (first, second) = (inventory.resources[firstPosition], inventory.resources[later])
            let count = copyCounts[firstPosition] ?? 2
            return Diagnostic(
                kind: .input,
                message: "\(second.ref.qualifiedName) is defined \(count == 2 ? "twice" : "\(count) times"): kubectl apply keeps the last, helm install refuses them; keep one",
                location: SourceSpan(file: second.node.document.file, line: second.node.line, column: second.node.column),
                firstDefinition: SourceSpan(file: first.node.document.file, line: first.node.line, column: first.node.column))
        }
        return (inventory, errors)
    }

    /// `resources` without the later copies of an object exported more than once in one state;
    /// `resources` itself, not a copy, when there are none, as in most runs. Runs on one core
    /// while the others wait: only the objects the decoder found a `uid` in are looked into.
    private static func droppingRepeatedExports(_ resources: [Resource]) -> [Resource] {
        var firstExport: [String: Int] = [:]
        var repeated: Set<Int> = []
        for position in resources.indices where resources[position].written.contains(.uid) {
            let metadata = resources[position].node["metadata"]
            guard let uid = metadata?["uid"]?.string, !uid.isEmpty,
                  let version = metadata?["resourceVersion"]?.string, !version.isEmpty else { continue }
            let key = uid + "/" + version
            guard let first = firstExport[key] else {
                firstExport[key] = position
                continue
            }
            if SameExportedState.holds(resources[first], resources[position]) { repeated.insert(position) }
        }
        return repeated.isEmpty ? resources : resources.indices.filter { !repeated.contains($0) }.map { resources[$0] }
    }

    /// The plural each CustomResourceDefinition among `resources` declares for its kind, by `group/kind`.
    private static func declaredPlurals(in resources: [Resource]) -> [String: String] {
        var plurals: [String: String] = [:]
        for resource in resources where resource.kind == "CustomResourceDefinition" && resource.group == "apiextensions.k8s.io" {
            let spec = resource.node["spec"]
            guard let group = spec?["group"]?.string, let names = spec?["names"],
                  let kind = names["kind"]?.string, let plural = names["plural"]?.string, !plural.isEmpty else { continue }
            plurals[group + "/" + kind] = plural
        }
        return plurals
    }

    /// `group/kind` of each kind a CustomResourceDefinition among `resources` declares cluster-scoped.
    private static func declaredClusterScopedKinds(in resources: [Resource]) -> Set<String> {
        var kinds: Set<String> = []
        for resource in resources where resource.kind == "CustomResourceDefinition" {
            let spec = resource.node["spec"]
            guard resource.group == "apiextensions.k8s.io",
                  spec?["scope"]?.string == "Cluster", let group = spec?["group"]?.string,
                  let kind = spec?["names"]?["kind"]?.string else { continue }
            kinds.insert(group + "/" + kind)
        }
        return kinds
    }
}
