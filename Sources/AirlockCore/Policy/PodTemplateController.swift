/// A pod controller whose pod template a Pod policy also checks, as Kyverno's autogen makes rules
/// for it: the policy reads the template's `spec` and `metadata` as a Pod's (see
/// `PodTemplateView`).
public struct PodTemplateController: Sendable, Hashable {
    /// The resource, as a Kyverno policy names it in `spec.autogen.podControllers.controllers`.
    public let resource: String
    public let group: String
    public let kind: String
    /// Where its pod template is, from the object.
    public let templatePath: [String]

    /// Kyverno's pod controllers.
    static let all: [PodTemplateController] = [
        PodTemplateController(resource: "cronjobs", group: "batch", kind: "CronJob", templatePath: ["spec", "jobTemplate", "spec", "template"]),
        PodTemplateController(resource: "daemonsets", group: "apps", kind: "DaemonSet", templatePath: ["spec", "template"]),
        PodTemplateController(resource: "deployments", group: "apps", kind: "Deployment", templatePath: ["spec", "template"]),
        PodTemplateController(resource: "jobs", group: "batch", kind: "Job", templatePath: ["spec", "template"]),
        PodTemplateController(resource: "replicasets", group: "apps", kind: "ReplicaSet", templatePath: ["spec", "template"]),
        PodTemplateController(resource: "statefulsets", group: "apps", kind: "StatefulSet", templatePath: ["spec", "template"]),
    ]

    /// The controllers Kyverno's autogen makes rules for from a ClusterPolicy's Pod rule: the
    /// ValidatingPolicy's and ReplicationController.
    static let kyvernoAutogen = all + [
        PodTemplateController(resource: "replicationcontrollers", group: "", kind: "ReplicationController", templatePath: ["spec", "template"]),
    ]

    /// This controller's kind, in any version of its group, as a `match.kinds` pattern.
    var kindPattern: String { group.isEmpty ? "*/\(kind)" : "\(group)/*/\(kind)" }

    /// The kinds of a Kyverno ClusterPolicy rule matched by `match` when autogen makes controller
    /// rules for it: it names Pods alone (`Pod`, `v1/Pod`), and no label selector of objects.
    static func autogenKinds(of match: MatchCriteria) -> [MatchCriteria.KindPattern]? {
        guard !match.kinds.isEmpty, match.objectSelector == nil,
              match.kinds.allSatisfy(\.namesPods) else { return nil }
        return match.kinds
    }

    /// Whether Kyverno makes controller rules for a policy matched by `match`: one resource rule,
    /// on `pods` of the core group's `v1` and no names, and no excluded resources, namespace
    /// selector or object selector (any of which a pod template cannot be judged by).
    static func autogenApplies(to match: MatchCriteria) -> Bool {
        guard match.resourceRules.count == 1, let rule = match.resourceRules.first else { return false }
        return rule.apiGroups == [""] && rule.apiVersions == ["v1"] && rule.resources == ["pods"] && rule.resourceNames.isEmpty
            && match.excludeResourceRules.isEmpty && match.namespaceSelector == nil && match.objectSelector == nil
    }

    /// The resource rule that applies a Pod policy's `podRule` to this controller.
    func resourceRule(from podRule: MatchCriteria.ResourceRule) -> MatchCriteria.ResourceRule {
        MatchCriteria.ResourceRule(
            apiGroups: [group], apiVersions: ["v1"], resources: [resource], operations: podRule.operations,
            matchesEveryVersion: podRule.matchesEveryVersion, scope: podRule.scope)
    }

    /// Whether `resource` is an object of this controller's kind.
    func controls(_ resource: Resource) -> Bool {
        resource.kind == kind && resource.group == group
    }
}
