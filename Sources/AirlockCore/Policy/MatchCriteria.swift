/// Which objects a policy applies to. Every part is optional; an empty criteria matches all.
public struct MatchCriteria: Sendable {
    /// `Kind` or `group/version/Kind` (`*` for any part).
    public var kinds: [KindPattern] = []
    public var namespaces: [String] = []
    public var excludeNamespaces: [String] = []
    public var namespaceSelector: LabelSelector?
    public var objectSelector: LabelSelector?
    /// Only when the run's tier is one of these.
    public var tiers: [String] = []
    /// ValidatingAdmissionPolicy `resourceRules`: any one must match (empty: no constraint).
    public var resourceRules: [ResourceRule] = []
    public var excludeResourceRules: [ResourceRule] = []

    public init() {}

    /// A rule on API group, version and plural resource name, `*` matching anything, with the
    /// operations and object names it is limited to. airlock checks each object as the API server
    /// would on its creation, so a rule applies when it admits CREATE and (if it names any) the
    /// object's name.
    public struct ResourceRule: Sendable, Hashable {
        public var apiGroups: [String]
        public var apiVersions: [String]
        public var resources: [String]
        public var operations: [String]
        public var resourceNames: [String]
        /// `matchPolicy: Equivalent` (Kubernetes' default): the API server converts a request for
        /// another version of the same group and resource to one the rule names (an
        /// `autoscaling/v1` HorizontalPodAutoscaler for a rule on `v2`), so any version matches.
        public var matchesEveryVersion: Bool
        public var scope: Scope

        /// Which objects a rule applies to by where they live (`scope`; Kubernetes' default `*`).
        public enum Scope: String, Sendable, Hashable, CaseIterable {
            case cluster = "Cluster", namespaced = "Namespaced", any = "*"

            /// Whether an object in `namespace` (empty: cluster-scoped, a Namespace included) is in scope.
            func admits(namespace: String) -> Bool {
                switch self {
                case .cluster: namespace.isEmpty
                case .namespaced: !namespace.isEmpty
                case .any: true
                }
            }
        }

        public init(
            apiGroups: [String], apiVersions: [String], resources: [String], operations: [String] = ["*"], resourceNames: [String] = [],
            matchesEveryVersion: Bool = false, scope: Scope = .any
        ) {
            self.apiGroups = apiGroups
            self.apiVersions = apiVersions
            self.resources = resources
            self.operations = operations
            self.resourceNames = resourceNames
            self.matchesEveryVersion = matchesEveryVersion
            self.scope = scope
        }

        /// Whether the rule applies to a CREATE request.
        public var admitsCreate: Bool { operations.contains { $0 == "*" || $0 == "CREATE" } }

        /// Whether the rule applies to creating `resource`, whose resource name is `plural`.
        public func matches(_ resource: Resource, plural: String) -> Bool {
            guard admitsCreate, scope.admits(namespace: resource.namespace),
                  resourceNames.isEmpty || resourceNames.contains(resource.name) else { return false }
            let (group, version) = resource.groupAndVersion
            // `*` is every resource but no subresource, `*/*` every resource and subresource; a
            // subresource (`deployments/scale`) is not the object itself.
            return (apiGroups.contains("*") || apiGroups.contains { $0 == group })
                && (matchesEveryVersion || apiVersions.isEmpty || apiVersions.contains("*") || apiVersions.contains { $0 == version })
                && resources.contains { $0 == "*" || $0 == "*/*" || $0 == plural }
        }
    }

    /// A kind, optionally qualified by API group and version.
    public struct KindPattern: Sendable, Hashable {
        public var group: String?
        public var version: String?
        public var kind: String

        /// Parses `Kind`, `group/version/Kind` or `version/Kind` (core group).
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 1: kind = parts[0]
            case 2: group = ""; version = parts[0]; kind = parts[1]
            case 3: group = parts[0]; version = parts[1]; kind = parts[2]
            default: return nil
            }
            if kind.isEmpty { return nil }
        }

        public func matches(_ resource: Resource) -> Bool {
            guard kind == "*" || kind == resource.kind else { return false }
            // Pattern matching, not `!= nil`, so that the common unqualified pattern is answered
            // without copying its strings (this runs for every policy offered every object).
            // A bare kind is Kubernetes' own: not a lookalike of another group.
            if case .none = group, case .none = version { return kind == "*" || !resource.isLookalike }
            let (resourceGroup, resourceVersion) = resource.groupAndVersion
            if let group, group != "*", group != resourceGroup { return false }
            if let version, version != "*", version != resourceVersion { return false }
            return true
        }
    }

    /// Whether `resource` (in `namespaceObject`'s namespace) is in scope for `tier`; `plural` is
    /// its resource name, which `resourceRules` match (asked only when there are some).
    public func matches(_ resource: Resource, namespaceObject: Resource?, tier: String?, plural: () -> String) -> Bool {
        if !tiers.isEmpty {
            guard let tier, tiers.contains(tier) else { return false }
        }
        if !kinds.isEmpty, !kinds.contains(where: { $0.matches(resource) }) { return false }
        if !resourceRules.isEmpty || !excludeResourceRules.isEmpty {
            let plural = plural()
            if !resourceRules.isEmpty, !resourceRules.contains(where: { $0.matches(resource, plural: plural) }) { return false }
            if excludeResourceRules.contains(where: { $0.matches(resource, plural: plural) }) { return false }
        }
        let namespace = resource.kind == "Namespace" ? resource.name : resource.namespace
        if !namespaces.isEmpty, !namespaces.contains(namespace) { return false }
        if excludeNamespaces.contains(namespace) { return false }
        // As in Kubernetes, a namespaceSelector is matched against a Namespace's own labels and
        // never excludes another cluster-scoped object. A namespace whose Namespace object is not
        // among the inputs has no labels.
        if let namespaceSelector, resource.kind == "Namespace" || !resource.namespace.isEmpty {
            let namespaceResource = resource.kind == "Namespace" ? resource : namespaceObject
            guard namespaceSelector.matches({ namespaceResource?.label($0) }) else { return false }
        }
        if let objectSelector, !objectSelector.matches(resource.label) { return false }
        return true
    }
}
