/// What an object's API group says about where its images are. Compared by UTF-8 bytes: rules
/// ask this of every workload they read (a `String` suffix test compares by characters).
enum APIGroups {
    /// Whether `group` is a custom resource's: one with a dot (a CustomResourceDefinition's group
    /// must have one) other than the `k8s.io` groups Kubernetes serves (`apps`, `batch` and the
    /// core group have none). Such objects (an Argo Workflow, a KServe InferenceService, a Ray
    /// cluster) nest their containers where only their own schema says.
    static func isCustom(_ group: Substring) -> Bool {
        group.utf8.contains(UInt8(ascii: ".")) && !isDomain(group, orSubdomainOf: "k8s.io")
    }

    /// Whether the objects of `group` are a policy engine's (Kyverno, Gatekeeper, Kubewarden):
    /// their `image` keys hold patterns to match images against (`!*:latest`, Kubewarden's
    /// `settings.signatures[].image: ghcr.io/org/*`), not images anything runs.
    static func holdsImagePatterns(_ group: Substring) -> Bool {
        isDomain(group, orSubdomainOf: "kyverno.io") || isDomain(group, orSubdomainOf: "gatekeeper.sh")
            || isDomain(group, orSubdomainOf: "kubewarden.io")
    }

    /// Whether `group` is `domain` or ends with `.domain`.
    private static func isDomain(_ group: Substring, orSubdomainOf domain: StaticString) -> Bool {
        let name = group.utf8, suffix = UnsafeBufferPointer(start: domain.utf8Start, count: domain.utf8CodeUnitCount)
        guard name.count >= suffix.count, name.suffix(suffix.count).elementsEqual(suffix) else { return false }
        return name.count == suffix.count || name.dropLast(suffix.count).last == UInt8(ascii: ".")
    }
}
