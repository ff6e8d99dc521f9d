/// Which objects a policy applies to. Every part is optional; an empty criteria matches all.
public struct MatchCriteria: Sendable {
    /// `Kind`, `version/Kind` or `group/version/Kind` (see ``KindPattern``).
    public var kinds: [KindPattern] = []
    /// Every custom resource too (an object of an API group outside Kubernetes' own, see
    /// `APIGroups`), besides `kinds`.
    public var customResources = false
    /// Kinds left out of those `kinds` and `customResources` match.
    public var excludeKinds: [KindPattern] = []
    public var namespaces: [String] = []
    public var excludeNamespaces: [String] = []
    public var namespaceSelector: LabelSelector?
    public var objectSelector: LabelSelector?
    /// Only when the run's tier is one of these.
    public var tiers: [String] = []
    /// ValidatingAdmissionPolicy `resourceRules`: any one must match (empty: no constraint).
    public var resourceRules: [ResourceRule] = []
    public var excludeResourceRules: [ResourceRule] = []
    /// Kyverno `exclude` filters that name kinds and namespaces together, or several filters
    /// under `all`: an object is left out when it matches every part of one.
    public var excludeFilters: [ExclusionFilter] = []

    public init() {}

    /// Kinds and namespaces an object must all match to be left out: one of each list of `kinds`
    /// and one of each list of `namespaces` (a Kyverno filter names one of each, `all` of several
    /// filters many).
    public struct ExclusionFilter: Sendable, CustomStringConvertible {
        public var kinds: [[KindPattern]]
        public var namespaces: [[String]]

        public init(kinds: [[KindPattern]], namespaces: [[String]]) {
            self.kinds = kinds
            self.namespaces = namespaces
        }

        /// `Service in kube-system`, `Pod and Deployment in a and b`.
        public var description: String {
            let kindText = kinds.map { $0.map(\.description).joined(separator: " or ") }.joined(separator: " and ")
            let namespaceText = namespaces.map { $0.joined(separator: " or ") }.joined(separator: " and ")
            return [kindText.isEmpty ? "any kind" : kindText, namespaceText].filter { !$0.isEmpty }.joined(separator: " in ")
        }

        func matches(_ resource: Resource, namespace: String) -> Bool {
            kinds.allSatisfy { $0.contains { $0.matches(resource) } } && namespaces.allSatisfy { $0.contains(namespace) }
        }
    }

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

        /// The resources the rule names, as kubectl names them (`pods`, `deployments.apps`).
        var namedResources: [String] {
            resources.flatMap { resource in
                let name = resource == "*" || resource == "*/*" ? "every resource" : resource
                return apiGroups.map { group in group.isEmpty ? name : group == "*" ? "\(name) of any group" : "\(name).\(group)" }
            }
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

    /// A kind, optionally qualified by API group and version. In each part `*` stands for any
    /// run of characters: `*` for any group, `*.kubeflow.org` for the groups under `kubeflow.org` (not `kubeflow.org` itself), `*Set` for
    /// `ReplicaSet`, `StatefulSet` and `DaemonSet` (custom resources are `customResources`).
    public struct KindPattern: Sendable, Hashable, CustomStringConvertible {
        public let group: String?
        public let version: String?
        public let kind: String
        /// The parts as matched: read once here, since matching runs for every policy offered
        /// every object.
        private let kindPart: Part
        private let groupPart: Part?
        private let versionPart: Part?
        /// The text of a pattern read otherwise than its parts say (Kyverno's `Service`, of any group).
        private var written: String?

        /// The pattern as written.
        public var description: String {
            if let written { return written }
            return switch (group, version) {
            case (nil, _), (_, nil): kind
            case ("", let version?): "\(version)/\(kind)"
            case (let group?, let version?): "\(group)/\(version)/\(kind)"
            }
        }

        /// Parses `Kind`, `group/version/Kind` or `version/Kind` (core group).
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 1: (group, version, kind) = (nil, nil, parts[0])
            case 2: (group, version, kind) = ("", parts[0], parts[1])
            case 3: (group, version, kind) = (parts[0], parts[1], parts[2])
            default: return nil
            }
            // An empty version (`apps//Deployment`, `/Pod`) is no object's: the pattern would
            // match nothing (and, in `excludeKinds`, leave nothing out) without a word.
            if kind.isEmpty || version?.isEmpty == true { return nil }
            kindPart = Part(kind)
            groupPart = group.map(Part.init)
            versionPart = version.map(Part.init)
        }

        /// `Kind` or `version/Kind` as Kyverno reads it: of any API group (a Knative `Service` is
        /// a `Service`, `*/*` every kind); any other text as ``init(_:)`` reads it.
        public init?(inEveryGroup text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count < 3 else {
                self.init(text)
                return
            }
            self.init((parts.count == 1 ? "*/*/" : "*/") + text)
            written = text
        }

        /// The API group a `version/Kind` pattern names where the core group's version goes
        /// (`apps/Deployment`, `networking.k8s.io/NetworkPolicy`): a name with a dot, which no
        /// version has, or one of Kubernetes' groups without one. No object is of such a version,
        /// so the pattern would match nothing; nil for any other pattern.
        public var groupWrittenAsVersion: String? {
            guard group == "", let version, !version.contains("*"),
                  version.contains(".") || Self.dotlessGroups.contains(version) else { return nil }
            return version
        }

        /// Whether it names Pods, as a Kyverno rule autogen makes controller rules for does
        /// (`Pod`, `v1/Pod`, which Kyverno reads in any group).
        var namesPods: Bool { kind == "Pod" && [nil, "", "*"].contains(group) }

        /// Kubernetes' API groups without a dot, besides the core group.
        private static let dotlessGroups: Set<String> = ["apps", "batch", "autoscaling", "policy", "extensions"]

        public func matches(_ resource: Resource) -> Bool {
            guard kindPart.matches(resource.kind[...]) else { return false }
            // A bare kind is Kubernetes' own: not a lookalike of another group (`*` is every kind).
            guard groupPart != nil || versionPart != nil else { return kindPart == .any || !resource.isLookalike }
            let (resourceGroup, resourceVersion) = resource.groupAndVersion
            return groupPart?.matches(resourceGroup) != false && versionPart?.matches(resourceVersion) != false
        }

        /// One part of a pattern: `*`, a text without `*`, or a text with `*` in it.
        private enum Part: Sendable, Hashable {
            case any
            case exact(String)
            case glob([UInt8])

            init(_ text: String) {
                if text == "*" {
                    self = .any
                } else if text.utf8.contains(UInt8(ascii: "*")) {
                    self = .glob(Array(text.utf8))
                } else {
                    self = .exact(text)
                }
            }

            func matches(_ text: Substring) -> Bool {
                switch self {
                case .any: true
                case .exact(let exact): exact[...] == text
                case .glob(let pattern):
                    text.utf8.withContiguousStorageIfAvailable { Self.glob(pattern, matches: $0) } ?? Self.glob(pattern, matches: Array(text.utf8))
                }
            }

            /// Whether `text` is `pattern`, in which `*` stands for any run of bytes (a `*` that
            /// fails to match retries one byte further, so the cost is at most the product of
            /// the lengths).
            private static func glob<Text: RandomAccessCollection<UInt8>>(_ pattern: [UInt8], matches text: Text) -> Bool where Text.Index == Int {
                var (p, t) = (0, text.startIndex)
                var retry: (pattern: Int, text: Int)?
                while t < text.endIndex {
                    if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                        retry = (p + 1, t)
                        p += 1
                    } else if p < pattern.count, pattern[p] == text[t] {
                        p += 1
                        t += 1
                    } else if let star = retry {
                        retry = (star.pattern, star.text + 1)
                        (p, t) = (star.pattern, star.text + 1)
                    } else {
                        return false
                    }
                }
                return pattern[p...].allSatisfy { $0 == UInt8(ascii: "*") }
            }
        }
    }

    /// The objects `kinds`, `customResources` and `excludeKinds` admit, in words
    /// (`Pod, Deployment, every custom resource, except ...`), and those `resourceRules` and
    /// `excludeResourceRules` admit, by resource (`pods, deployments.apps, except ...`).
    public var kindSummary: String {
        var included = kinds.map(\.description) + resourceRules.flatMap(\.namedResources)
        if customResources { included.append("every custom resource") }
        let excluded = excludeKinds.map(\.description) + excludeResourceRules.flatMap(\.namedResources)
        let summary = included.isEmpty ? "every object" : included.joined(separator: ", ")
        return excluded.isEmpty ? summary : summary + ", except " + excluded.joined(separator: ", ")
    }

    /// What narrows the objects of `kindSummary` down, one line each as `policy explain` prints
    /// them: the namespaces, those left out, and the labels of namespaces and objects.
    public var scopeSummary: [String] {
        var lines: [String] = []
        if !namespaces.isEmpty { lines.append("namespaces: " + namespaces.joined(separator: ", ")) }
        if !excludeNamespaces.isEmpty { lines.append("except namespaces: " + excludeNamespaces.joined(separator: ", ")) }
        if !excludeFilters.isEmpty { lines.append("except: " + excludeFilters.map(\.description).joined(separator: "; ")) }
        if let namespaceSelector { lines.append("namespace labels: " + namespaceSelector.description) }
        if let objectSelector { lines.append("object labels: " + objectSelector.description) }
        return lines
    }

    /// Whether `kinds`, `customResources` and `excludeKinds` admit `resource`: the same for every
    /// object of one `apiVersion` and kind, which the engine asks once per pair of them (see
    /// ``matchesBeyondKind(_:namespaceObject:tier:plural:)``).
    public func matchesKind(_ resource: Resource) -> Bool {
        let included = kinds.isEmpty && !customResources || kinds.contains { $0.matches(resource) }
            || customResources && APIGroups.isCustom(resource.groupAndVersion.group)
        return included && !excludeKinds.contains { $0.matches(resource) }
    }

    /// The label the API server sets on every Namespace to its name, replacing any value the
    /// object states (`kubernetes.io/metadata.name`): selectors name namespaces by it.
    static let namespaceNameLabel = "kubernetes.io/metadata.name"

    /// Whether at `tier` every object of the matched kinds is in scope, whatever it is: no
    /// criterion beyond kind reads the object (`matchesBeyondKind` would be true for each, so the
    /// engine does not ask it). A criterion added there must be added here too.
    public func matchesEveryObjectOfItsKinds(tier: String?) -> Bool {
        (tiers.isEmpty || tier.map(tiers.contains) == true)
            && resourceRules.isEmpty && excludeResourceRules.isEmpty && namespaces.isEmpty && excludeNamespaces.isEmpty
            && excludeFilters.isEmpty && namespaceSelector == nil && objectSelector == nil
    }

    /// Whether `resource` (in `namespaceObject`'s namespace) is in scope for `tier`, its kind
    /// apart (``matchesKind(_:)``); `plural` is its resource name, which `resourceRules` match
    /// (asked only when there are some).
    public func matchesBeyondKind(_ resource: Resource, namespaceObject: Resource?, tier: String?, plural: () -> String) -> Bool {
        if !tiers.isEmpty {
            guard let tier, tiers.contains(tier) else { return false }
        }
        if !resourceRules.isEmpty || !excludeResourceRules.isEmpty {
            let plural = plural()
            if !resourceRules.isEmpty, !resourceRules.contains(where: { $0.matches(resource, plural: plural) }) { return false }
            if excludeResourceRules.contains(where: { $0.matches(resource, plural: plural) }) { return false }
        }
        let namespace = resource.kind == "Namespace" ? resource.name : resource.namespace
        if !namespaces.isEmpty, !namespaces.contains(namespace) { return false }
        if excludeNamespaces.contains(namespace) { return false }
        if excludeFilters.contains(where: { $0.matches(resource, namespace: namespace) }) { return false }
        // As in Kubernetes, a namespaceSelector is matched against a Namespace's own labels and
        // never excludes another cluster-scoped object. A namespace whose Namespace object is not
        // among the inputs has no labels but the name label, which the API server gives every one.
        if let namespaceSelector, resource.kind == "Namespace" || !resource.namespace.isEmpty {
            let namespaceResource = resource.kind == "Namespace" ? resource : namespaceObject
            guard namespaceSelector.matches({ key in
                key == Self.namespaceNameLabel ? namespace : namespaceResource?.label(key)
            }) else { return false }
        }
        if let objectSelector, !objectSelector.matches({ key in
            resource.kind == "Namespace" && key == Self.namespaceNameLabel ? resource.name : resource.label(key)
        }) { return false }
        return true
    }
}
