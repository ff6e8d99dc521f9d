/// Follows controller `ownerReferences` among workloads: a Pod to its ReplicaSet to its
/// Deployment, a Pod to its Job to its CronJob, a ReplicaSet to the Argo Rollout that made it from
/// its pod template. Only owners with a pod template are followed, so the chain ends at the last
/// workload (a Deployment an operator's custom resource owns).
public struct ControllerChain {
    /// A workload's identity, whether or not the object is among the inputs.
    public struct Identity: Hashable, Sendable, Codable {
        public var kind: String
        public var namespace: String
        public var name: String

        public init(_ ref: ResourceRef) {
            self.init(kind: ref.kind, namespace: ref.namespace, name: ref.name)
        }

        init(kind: String, namespace: String, name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }
    }

    let inventory: Inventory

    public init(inventory: Inventory) {
        self.inventory = inventory
    }

    /// The inventory's object `ref` names (not an object of the same name in another group).
    public func resource(_ ref: ResourceRef) -> Resource? {
        guard let found = inventory.resource(kind: ref.kind, namespace: ref.namespace, name: ref.name),
              found.apiVersion == ref.apiVersion else { return nil }
        return found
    }

    /// The last controller up the chain from `resource`, nil when it has no controller. Without
    /// the owner among the inputs, the chain ends at the owner's name (Pods of one ReplicaSet
    /// share it); an owner whose `uid` differs from the reference's is another object and ends it
    /// before.
    public func root(of resource: Resource) -> Identity? {
        guard Self.hasPodTemplate(kind: resource.kind, apiVersion: resource.apiVersion) else { return nil }
        var root: Identity?
        var current = resource
        // A cycle of references is broken after a few steps: real chains have at most two.
        for _ in 0..<8 {
            guard let owner = Self.controller(of: current) else { break }
            let found = inventory.resource(kind: owner.kind, namespace: current.namespace, name: owner.name)
            if let found, let uid = owner.uid, let foundUID = found.node["metadata"]?["uid"]?.string, uid != foundUID { break }
            root = Identity(kind: owner.kind, namespace: current.namespace, name: owner.name)
            guard let found else { break }
            current = found
        }
        return root
    }

    /// `findings`, each with the root controller of its object (see `Finding.controller`).
    public func assigningControllers(to findings: [Finding]) -> [Finding] {
        var rootOfObject: [ResourceRef: Identity?] = [:]
        return findings.map { finding in
            guard let ref = finding.resource else { return finding }
            if rootOfObject[ref] == nil { rootOfObject[ref] = .some(resource(ref).flatMap(root(of:))) }
            var finding = finding
            finding.controller = rootOfObject[ref] ?? nil
            return finding
        }
    }

    /// Whether objects of `kind` are made from a pod template or are Pods.
    static func hasPodTemplate(kind: String, apiVersion: String) -> Bool {
        kind != "PodTemplate" && podSpecPath(kind: kind, apiVersion: apiVersion) != nil
    }

    /// The path to the pod spec of a workload's objects: Kubernetes' workloads, and the custom
    /// resources whose controller makes ReplicaSets, ReplicationControllers or Pods from their
    /// `spec.template` as it is (an Argo Rollout, an OpenShift DeploymentConfig, an OpenKruise
    /// CloneSet), so that what those repeat folds into them.
    static func podSpecPath(kind: String, apiVersion: String) -> [String]? {
        switch (Resource.groupAndVersion(of: apiVersion).group, kind) {
        case ("argoproj.io", "Rollout"), ("apps.openshift.io", "DeploymentConfig"), ("apps.kruise.io", "CloneSet"):
            return ["spec", "template", "spec"]
        default:
            return WorkloadFunctions.podSpecPlace(ofKind: kind)?.podSpecPath
        }
    }

    /// The `ownerReferences` entry with `controller: true`, when it names a workload.
    private static func controller(of resource: Resource) -> (kind: String, name: String, uid: String?)? {
        guard let references = resource.node["metadata"]?["ownerReferences"] else { return nil }
        for reference in references.items where reference["controller"]?.bool == true {
            guard let kind = reference["kind"]?.string, kind != "Pod",
                  hasPodTemplate(kind: kind, apiVersion: reference["apiVersion"]?.string ?? ""),
                  let name = reference["name"]?.string else { return nil }
            return (kind, name, reference["uid"]?.string)
        }
        return nil
    }
}
