/// What an object's API group says about where its images are.
enum APIGroups {
    /// The API groups with a dot that Kubernetes serves itself (`apps`, `batch` and the core
    /// group have none), `metrics.k8s.io` of the metrics server among them. Other `*.k8s.io`
    /// groups are custom resources' (`gateway.networking.k8s.io`, the Spark operator's
    /// `sparkoperator.k8s.io`), as are `*.x-k8s.io` ones.
    private static let kubernetesGroups: Set<Substring> = [
        "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io",
        "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
        "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "metrics.k8s.io", "networking.k8s.io", "node.k8s.io",
        "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io", "storagemigration.k8s.io",
    ]

    /// Whether `group` is a custom resource's: one with a dot (a CustomResourceDefinition's group
    /// must have one) that Kubernetes does not serve itself. Such objects (an Argo Workflow, a
    /// KServe InferenceService, a Ray cluster) nest their containers where only their own schema
    /// says.
    static func isCustom(_ group: Substring) -> Bool {
        group.utf8.contains(UInt8(ascii: ".")) && !kubernetesGroups.contains(group)
    }

    /// Whether the `image` keys of `group`'s objects name something other than images containers
    /// run: a policy engine's patterns to match images against (Kyverno's, Gatekeeper's,
    /// Kubewarden's: `!*:latest`, `ghcr.io/org/*`), a cloud machine's disk image (Cluster API's
    /// infrastructure providers, Crossplane's Upbound providers: `debian-cloud/debian-11`), or
    /// the bare names Istio's operator completes with its `hub` and `tag` (`proxyv2`).
    static func holdsOtherImages(_ group: Substring) -> Bool {
        isDomain(group, orSubdomainOf: "kyverno.io") || isDomain(group, orSubdomainOf: "gatekeeper.sh")
            || isDomain(group, orSubdomainOf: "kubewarden.io") || isDomain(group, orSubdomainOf: "infrastructure.cluster.x-k8s.io")
            || isDomain(group, orSubdomainOf: "upbound.io") || group == "install.istio.io"
    }

    /// Whether `group` is `domain` or ends with `.domain`.
    private static func isDomain(_ group: Substring, orSubdomainOf domain: StaticString) -> Bool {
        let name = group.utf8, suffix = UnsafeBufferPointer(start: domain.utf8Start, count: domain.utf8CodeUnitCount)
        guard name.count >= suffix.count, name.suffix(suffix.count).elementsEqual(suffix) else { return false }
        return name.count == suffix.count || name.dropLast(suffix.count).last == UInt8(ascii: ".")
    }
}
