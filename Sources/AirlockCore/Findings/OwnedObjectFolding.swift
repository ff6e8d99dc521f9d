import YAMLSource

/// Folds the findings that the objects of one workload controller repeat into one.
///
/// In a cluster export, a Deployment's problem is also its ReplicaSet's and every Pod's, as they
/// are made from its pod template: one Deployment with 5 replicas turns 4 problems into 28
/// findings. A finding of an owned object (see ``ControllerChain``) is folded into the finding of
/// its root controller with the same rule at the same field of the pod template, holding the same
/// value and saying the same (see ``TemplateField`` and ``saysTheSame(_:as:)``), as one of its
/// `alsoIn` occurrences.
/// Containers and environment variables are matched by name, so an injected sidecar or variable
/// shifts nothing. What the root does not have (an injected sidecar's image) stays a finding, into
/// which the sibling Pods' same finding folds; so do the Pods' findings when the root is not among
/// the inputs.
///
/// Runs after exceptions and the baseline: the root's finding keeps its own suppression for the
/// whole group (accepting the Deployment's problem accepts its Pods', whose names change with every
/// rollout), and findings without a root finding fold only into findings of the same suppression.
public enum OwnedObjectFolding {
    public static func fold(_ findings: [Finding], inventory: Inventory) -> [Finding] {
        let chain = ControllerChain(inventory: inventory)
        // Objects have several findings: each object's root is looked up once.
        var rootOfObject: [ResourceRef: ControllerChain.Identity?] = [:]
        var roots: [Int: ControllerChain.Identity] = [:]
        for (index, finding) in findings.enumerated() {
            guard let ref = finding.resource else { continue }
            if rootOfObject[ref] == nil { rootOfObject[ref] = .some(chain.resource(ref).flatMap(chain.root(of:))) }
            if let root = rootOfObject[ref] ?? nil { roots[index] = root }
        }
        guard !roots.isEmpty else { return findings }

        // Every finding of an owned object or of a root, by rule, root and template field.
        let rootSet = Set(roots.values)
        var groups: [GroupKey: [Int]] = [:]
        var repeats: [GroupKey: Int] = [:]
        for (index, finding) in findings.enumerated() {
            guard let ref = finding.resource else { continue }
            let own = ControllerChain.Identity(ref)
            guard let root = roots[index] ?? (rootSet.contains(own) ? own : nil),
                  let resource = chain.resource(ref), let field = TemplateField(of: finding, in: resource) else { continue }
            // The n-th finding of a rule at one field of an object goes with the n-th of another.
            let ofObject = GroupKey(rule: finding.ruleID, root: own, field: field, repeat: 0)
            let repeatIndex = repeats[ofObject, default: 0]
            repeats[ofObject] = repeatIndex + 1
            groups[GroupKey(rule: finding.ruleID, root: root, field: field, repeat: repeatIndex), default: []].append(index)
        }

        var occurrences: [Int: [FoldedOccurrence]] = [:]
        var foldedAway: Set<Int> = []
        for (key, members) in groups where members.count > 1 {
            var remaining = members
            var parts: [[Int]] = []
            if let rootMember = members.first(where: { findings[$0].resource.map(ControllerChain.Identity.init) == key.root }) {
                parts.append(take(rootMember, from: &remaining, in: findings, sameSuppression: false))
            }
            while let first = remaining.first { parts.append(take(first, from: &remaining, in: findings, sameSuppression: true)) }
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

    /// `representative` and the members of `remaining` that say what it says (and, unless it is
    /// the root's, are suppressed alike), taken out of `remaining`.
    private static func take(_ representative: Int, from remaining: inout [Int], in findings: [Finding], sameSuppression: Bool) -> [Int] {
        var part = [representative]
        var others: [Int] = []
        for member in remaining where member != representative {
            let alike = saysTheSame(findings[member], as: findings[representative])
                && (!sameSuppression || findings[member].suppression == findings[representative].suppression)
            if alike { part.append(member) } else { others.append(member) }
        }
        remaining = others
        return part
    }

    /// Whether `finding` says what `other` does, its object's name and kind read as the other's
    /// (`Pod web-7d9f-x uses the host network` as `Deployment web uses the host network`). The
    /// names are replaced, not left out: a Deployment's name is often in its containers' and
    /// images' names (`nginx`, `nginx:latest`), which must still compare equal.
    static func saysTheSame(_ finding: Finding, as other: Finding) -> Bool {
        if finding.message == other.message { return true }
        guard let own = finding.resource, let theirs = other.resource, !own.name.isEmpty, !own.kind.isEmpty else { return false }
        return finding.message.replacing(own.name, with: theirs.name).replacing(own.kind, with: theirs.kind) == other.message
    }

    private struct GroupKey: Hashable {
        var rule: String
        var root: ControllerChain.Identity
        var field: TemplateField
        var `repeat`: Int
    }

    /// Where in the pod template a finding points and what is there: findings of two objects
    /// are the same when both are and they say the same (`saysTheSame`). Another value at the same
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
            let prefix = (WorkloadFunctions.podSpecPath(ofKind: resource.kind) ?? []).dropLast()
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
