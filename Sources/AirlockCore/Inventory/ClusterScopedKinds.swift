/// Kinds that live outside namespaces, so get no `default` namespace when they have none.
/// Any object that states `metadata.namespace` is taken as namespaced whatever its kind.
public enum ClusterScopedKinds {
    public static let all: Set<String> = [
        "Namespace", "Node", "PersistentVolume", "StorageClass", "PriorityClass", "RuntimeClass",
        "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
        "IngressClass", "CSIDriver", "CSINode", "VolumeAttachment", "PodSecurityPolicy",
        "CertificateSigningRequest", "ComponentStatus", "FlowSchema", "PriorityLevelConfiguration",
        "ClusterIssuer", "ClusterPolicy", "ClusterRoleTemplate", "GatewayClass",
    ]
}
