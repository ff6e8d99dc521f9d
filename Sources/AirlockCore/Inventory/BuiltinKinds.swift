/// Kubernetes' own kinds that rules name without a group, with the API groups that serve them
/// ("" is the core group; `extensions` served several of them before 1.16). An object of such a
/// kind in another group (`projectcalico.org/v3` `NetworkPolicy`, a Knative `Service`) is another
/// kind altogether: a bare kind in `match.kinds` or in `resources()` means Kubernetes' own.
enum BuiltinKinds {
    static let groups: [String: [String]] = [
        "Pod": [""], "PodTemplate": [""], "ReplicationController": [""], "Service": [""], "ConfigMap": [""],
        "Secret": [""], "ServiceAccount": [""], "Namespace": [""], "ResourceQuota": [""], "LimitRange": [""],
        "PersistentVolumeClaim": [""], "PersistentVolume": [""], "Endpoints": [""], "Node": [""],
        "Deployment": ["apps", "extensions"], "ReplicaSet": ["apps", "extensions"], "DaemonSet": ["apps", "extensions"],
        "StatefulSet": ["apps"], "Job": ["batch"], "CronJob": ["batch"],
        "NetworkPolicy": ["networking.k8s.io", "extensions"], "Ingress": ["networking.k8s.io", "extensions"],
        "IngressClass": ["networking.k8s.io"],
        "Role": ["rbac.authorization.k8s.io"], "RoleBinding": ["rbac.authorization.k8s.io"],
        "ClusterRole": ["rbac.authorization.k8s.io"], "ClusterRoleBinding": ["rbac.authorization.k8s.io"],
        "HorizontalPodAutoscaler": ["autoscaling"], "PodDisruptionBudget": ["policy"],
        "StorageClass": ["storage.k8s.io"], "CustomResourceDefinition": ["apiextensions.k8s.io"],
    ]

    /// Whether `kind` is one of Kubernetes' own kinds in a group that does not serve it.
    static func isLookalike(kind: String, group: String) -> Bool {
        guard let served = groups[kind] else { return false }
        return !served.contains(group)
    }
}
