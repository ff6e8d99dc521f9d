/// Kinds that live outside namespaces, by API group: they get no `default` namespace when they
/// state none, and a `metadata.namespace` they state is dropped, as the API server drops it. A
/// kind of the same name in another group (`example.com/v1` `Namespace`) is namespaced, unless a
/// CustomResourceDefinition among the inputs declares it `scope: Cluster`.
public enum ClusterScopedKinds {
    /// The groups of each known cluster-scoped kind ("" is the core group of `apiVersion: v1`):
    /// Kubernetes' own, and those of common add-ons a cluster export holds without their CRDs.
    static let groups: [String: [String]] = [
        "Namespace": [""], "Node": [""], "PersistentVolume": [""], "ComponentStatus": [""],
        "StorageClass": ["storage.k8s.io"], "CSIDriver": ["storage.k8s.io"], "CSINode": ["storage.k8s.io"],
        "VolumeAttachment": ["storage.k8s.io"], "VolumeAttributesClass": ["storage.k8s.io"],
        "IPAddress": ["networking.k8s.io"], "ServiceCIDR": ["networking.k8s.io"], "ClusterCIDR": ["networking.k8s.io"],
        "ClusterTrustBundle": ["certificates.k8s.io"], "DeviceClass": ["resource.k8s.io"], "ResourceSlice": ["resource.k8s.io"],
        "StorageVersionMigration": ["storagemigration.k8s.io"], "StorageVersion": ["internal.apiserver.k8s.io"],
        "PriorityClass": ["scheduling.k8s.io"], "RuntimeClass": ["node.k8s.io"],
        "ClusterRole": ["rbac.authorization.k8s.io"], "ClusterRoleBinding": ["rbac.authorization.k8s.io"],
        "CustomResourceDefinition": ["apiextensions.k8s.io"], "APIService": ["apiregistration.k8s.io"],
        "ValidatingWebhookConfiguration": ["admissionregistration.k8s.io"],
        "MutatingWebhookConfiguration": ["admissionregistration.k8s.io"],
        "ValidatingAdmissionPolicy": ["admissionregistration.k8s.io"],
        "ValidatingAdmissionPolicyBinding": ["admissionregistration.k8s.io"],
        "MutatingAdmissionPolicy": ["admissionregistration.k8s.io"],
        "MutatingAdmissionPolicyBinding": ["admissionregistration.k8s.io"],
        "IngressClass": ["networking.k8s.io"], "PodSecurityPolicy": ["policy", "extensions"],
        "CertificateSigningRequest": ["certificates.k8s.io"],
        "FlowSchema": ["flowcontrol.apiserver.k8s.io"], "PriorityLevelConfiguration": ["flowcontrol.apiserver.k8s.io"],
        "GatewayClass": ["gateway.networking.k8s.io"], "ClusterIssuer": ["cert-manager.io"], "ClusterPolicy": ["kyverno.io"],
        "ValidatingPolicy": ["policies.kyverno.io"], "Tenant": ["capsule.clastix.io"],
        "VolumeSnapshotClass": ["snapshot.storage.k8s.io"], "VolumeSnapshotContent": ["snapshot.storage.k8s.io"],
        "ClusterWorkflowTemplate": ["argoproj.io"], "ClusterSecretStore": ["external-secrets.io"],
        "ClusterServingRuntime": ["serving.kserve.io"], "ClusterTask": ["tekton.dev"],
        "ClusterCleanupPolicy": ["kyverno.io"], "ClusterPolicyReport": ["wgpolicyk8s.io"],
        "ConstraintTemplate": ["templates.gatekeeper.sh"],
        "CiliumClusterwideNetworkPolicy": ["cilium.io"], "CiliumCIDRGroup": ["cilium.io"],
        "GlobalNetworkPolicy": ["projectcalico.org", "crd.projectcalico.org"],
        "GlobalNetworkSet": ["projectcalico.org", "crd.projectcalico.org"],
        "AdminNetworkPolicy": ["policy.networking.k8s.io"], "BaselineAdminNetworkPolicy": ["policy.networking.k8s.io"],
        "ClusterNetworkPolicy": ["policy.networking.k8s.io"],
    ]

    /// Whether objects of `kind` in the group of `apiVersion` are cluster-scoped.
    public static func contains(kind: String, apiVersion: String) -> Bool {
        groups[kind]?.contains { $0[...] == Resource.groupAndVersion(of: apiVersion).group } ?? false
    }
}
