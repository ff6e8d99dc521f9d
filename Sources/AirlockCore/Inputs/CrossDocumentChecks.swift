import YAMLSource

/// What the decoder can settle only once every object of a run is read: the scope of custom
/// kinds whose CustomResourceDefinition is among the inputs, and objects defined twice.
public enum CrossDocumentChecks {
    /// The inventory of `resources`, after taking the namespace off the objects of kinds that a
    /// CustomResourceDefinition among them declares `scope: Cluster` (as the API server drops it),
    /// and an error for each object that an earlier one of the same group, kind, namespace and
    /// name comes before: `kubectl apply` would keep the last and `helm install` refuses both, so
    /// which one the rules should read is not known. Objects named by `generateName` are each a
    /// new object. The same object exported twice (overlapping `kubectl get` runs: one `uid` and
    /// one `resourceVersion`, so one state of one object) is read once, where it comes first.
    public static func inventory(of resources: [Resource]) -> (inventory: Inventory, errors: [Diagnostic]) {
        var exported: Set<String> = []
        var resources = resources.filter { resource in
            let metadata = resource.node["metadata"]
            guard let uid = metadata?["uid"]?.string, !uid.isEmpty,
                  let version = metadata?["resourceVersion"]?.string, !version.isEmpty else { return true }
            return exported.insert(uid + "/" + version).inserted
        }
        let clusterScoped = declaredClusterScopedKinds(in: resources)
        if !clusterScoped.isEmpty {
            for index in resources.indices where !resources[index].namespace.isEmpty {
                let resource = resources[index]
                if clusterScoped.contains(resource.group + "/" + resource.kind) {
                    resources[index].namespace = ""
                }
            }
        }
        let inventory = Inventory(resources)
        // The inventory's identity leaves out the group of kinds that are not Kubernetes' own: a
        // `Widget` of one group replaces one of another, and the object of the same group may be
        // further back.
        let replaced = Dictionary(uniqueKeysWithValues: inventory.replacements.map { ($0.later, $0.earlier) })
        let errors = inventory.replacements.compactMap { earlier, later -> Diagnostic? in
            let second = inventory.resources[later]
            var candidate: Int? = earlier
            while let position = candidate, inventory.resources[position].group != second.group {
                candidate = replaced[position]
            }
            guard let firstPosition = candidate, !second.name.hasSuffix("*") else { return nil }
            let first = inventory.resources[firstPosition]
            let file = second.node.document.file
            let written = first.node.document.file == file ? "line \(first.node.line)" : "\(first.node.document.file):\(first.node.line)"
            return Diagnostic(
                kind: .input,
                message: "\(second.ref.qualifiedName) is defined twice (first at \(written)): kubectl apply keeps the last, helm install refuses both; remove one",
                location: SourceSpan(file: file, line: second.node.line, column: second.node.column))
        }
        return (inventory, errors)
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
