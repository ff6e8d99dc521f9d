import YAMLSource

/// Folds the findings that the objects of one workload controller repeat into one.
///
/// In a cluster export, a Deployment's problem is also its ReplicaSet's and every Pod's, as they
/// are made from its pod template: one Deployment with 5 replicas turns 4 problems into 28
/// findings. A finding of an owned object (see ``ControllerChain``) is folded into the finding of
/// its root controller with the same rule at the same field of the pod template, holding the same
/// value and saying the same with the objects' names read as the root's
/// (`Finding.messageAsController`; see ``TemplateField``), as one of its `alsoIn` occurrences.
/// Containers and environment variables are matched by name, so an injected sidecar or variable
/// shifts nothing. What the root does not have (an injected sidecar's image) stays a finding, into
/// which the sibling Pods' same finding folds; so do the Pods' findings when the root is not among
/// the inputs (into a ReplicaSet's, when one has it, else the first Pod's by place).
///
/// Runs after exceptions and the baseline: the root's finding keeps its own suppression for the
/// whole group (accepting the Deployment's problem accepts its Pods', whose names change with every
/// rollout), and findings without a root finding fold only into findings of the same suppression.
public enum OwnedObjectFolding {
    /// Folds `findings`, whose `controller`s are set (`ControllerChain.assigningControllers`);
    /// `inventory` holds their objects.
    public static func fold(_ findings: [Finding], inventory: Inventory) -> [Finding] {
        let roots = Set(findings.compactMap(\.controller))
        guard !roots.isEmpty else { return findings }
        let chain = ControllerChain(inventory: inventory)

        // Every finding of an owned object or of a root, by rule, root, template field and what it says.
        var groups: [GroupKey: [Int]] = [:]
        var repeats: [GroupKey: Int] = [:]
        for (index, finding) in findings.enumerated() {
            guard let ref = finding.resource else { continue }
            let own = ControllerChain.Identity(ref)
            guard let root = finding.controller ?? (roots.contains(own) ? own : nil),
                  let resource = chain.resource(ref), let field = TemplateField(of: finding, in: resource) else { continue }
            var key = GroupKey(rule: finding.ruleID, root: own, field: field, message: finding.messageAsController, repeat: 0)
            // The n-th such finding of an object goes with the n-th of another.
            let repeatIndex = repeats[key, default: 0]
            repeats[key] = repeatIndex + 1
            key.root = root
            key.repeat = repeatIndex
            groups[key, default: []].append(index)
        }

        var occurrences: [Int: [FoldedOccurrence]] = [:]
        var foldedAway: Set<Int> = []
        for members in groups.values where members.count > 1 {
            let parts: [[Int]]
            if let rootMember = members.first(where: { findings[$0].controller == nil }) {
                parts = [[rootMember] + members.filter { $0 != rootMember }]
            } else {
                parts = Dictionary(grouping: members) { findings[$0].suppression }.values.map { representativeFirst($0, findings) }
            }
            for part in parts where part.count > 1 {
                occurrences[part[0]] = part.dropFirst().map { FoldedOccurrence(findings[$0]) }
                foldedAway.formUnion(part.dropFirst())
            }
        }
        return findings.indices.compactMap { index in
            guard !foldedAway.contains(index) else { return nil }
            var finding = findings[index]
            finding.alsoIn += occurrences[index] ?? []
            return finding
        }
    }

    /// `members` (findings of one problem without a root finding) with the one reported first: an
    /// object with a pod template (a ReplicaSet) before the Pods made from it, then the first by
    /// place and name, so that the order the inputs were given in changes nothing.
    private static func representativeFirst(_ members: [Int], _ findings: [Finding]) -> [Int] {
        func rank(_ finding: Finding) -> (Int, String, Int, Int, String) {
            (finding.resource.map { ControllerChain.hasPodTemplate(kind: $0.kind, apiVersion: $0.apiVersion) } == true ? 0 : 1,
             finding.location?.file ?? "",
             finding.location?.line ?? 0, finding.location?.column ?? 0, finding.resource?.qualifiedName ?? "")
        }
        guard let first = members.min(by: { rank(findings[$0]) < rank(findings[$1]) }) else { return members }
        return [first] + members.filter { $0 != first }
    }

    private struct GroupKey: Hashable {
        var rule: String
        var root: ControllerChain.Identity
        var field: TemplateField
        /// The message read as the root's (`Finding.messageAsController`).
        var message: String
        var `repeat`: Int
    }

    /// Where in the pod template a finding points and what is there: findings of two objects
    /// are the same when both are and they say the same (`Finding.messageAsController`). Another value at the same
    /// field (a Pod whose image was changed by hand), or the same text read otherwise (an
    /// environment variable defined otherwise in the Pod), is a problem of its own: folded, it
    /// would take the root's suppression.
    struct TemplateField: Hashable {
        /// Keys joined by U+001F, containers and other named list items by name.
        var path: String
        /// The value's text (a scalar) or a hash of its structure (a collection).
        var value: String

        /// Nil when the place is outside the template (a Deployment's `spec.replicas`), the whole
        /// object, or not found in the object.
        init?(of finding: Finding, in resource: Resource) {
            guard let location = finding.location, location.file == resource.node.document.file,
                  let target = resource.node.startIndex(line: location.line, column: location.column),
                  let (path, node) = OwnedObjectFolding.locate(target, in: resource.node)
            else { return nil }
            let prefix = (ControllerChain.podSpecPath(kind: resource.kind, apiVersion: resource.apiVersion) ?? []).dropLast()
            guard path.count > prefix.count, path.starts(with: prefix) else { return nil }
            self.path = path.dropFirst(prefix.count).joined(separator: "\u{1F}")
            value = Self.identity(of: node)
        }

        private static func identity(of node: YAMLNode) -> String {
            if node.kind == .scalar { return "\(node.scalarType.map { "\($0)" } ?? ""):\(node.text ?? "")" }
            var hasher = Hasher()
            hash(node, into: &hasher)
            return "#\(hasher.finalize())"
        }

        /// The kind and size of every collection are hashed, so that no two structures hash alike
        /// by their flattened contents (`{a: {}, b: 1}` and `{a: {b: 1}}`).
        private static func hash(_ node: YAMLNode, into hasher: inout Hasher) {
            hasher.combine(node.kind)
            hasher.combine(node.count)
            switch node.kind {
            case .scalar: hasher.combine(node.text)
            case .sequence: for item in node.items { hash(item, into: &hasher) }
            case .mapping:
                for (key, value) in node.entries {
                    hash(key, into: &hasher)
                    hash(value, into: &hasher)
                }
            }
        }
    }

    /// The keys and indices from `node` to the node or key that starts at `target` (a
    /// `YAMLNode.startIndex`), a named item's index written as its name (`name=app`), and the node
    /// there; the last step is marked when the target is a key (where a finding about a missing
    /// field under it points), whose value is then the node. Entries are in document order, so only
    /// the one entry that can hold the target is searched.
    static func locate(_ target: Int, in node: YAMLNode) -> (path: [String], node: YAMLNode)? {
        if node.startIndex == target { return ([], node) }
        switch node.kind {
        case .mapping:
            let count = node.count
            for index in 0..<count {
                let (key, value) = node.entry(at: index)
                if key.startIndex > target { return nil }
                if key.startIndex != target, index + 1 < count, node.entry(at: index + 1).key.startIndex <= target { continue }
                let name = key.text ?? "?"
                if key.startIndex == target { return ([name + "\u{1E}key"], value) }
                return locate(target, in: value).map { ([name] + $0.path, $0.node) }
            }
        case .sequence:
            let count = node.count
            for index in 0..<count {
                let item = node.item(at: index)
                if index + 1 < count, node.item(at: index + 1).startIndex <= target { continue }
                return locate(target, in: item).map { ([namedStep(item) ?? String(index)] + $0.path, $0.node) }
            }
        default:
            break
        }
        return nil
    }

    /// `name=<name>` for an item of a list of named items (containers, environment variables,
    /// volumes), which injection into Pods may reorder or add to.
    private static func namedStep(_ item: YAMLNode) -> String? {
        guard item.kind == .mapping, let name = item["name"]?.string else { return nil }
        return "name=" + name
    }
}
