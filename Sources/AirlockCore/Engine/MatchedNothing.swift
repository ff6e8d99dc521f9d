import CEL

/// Why a rule evaluated no object of a run's inputs (``CheckResult/RuleRun/matchedNothing``):
/// none is of its kinds (of the resources a ValidatingAdmissionPolicy's `resourceRules` name),
/// with what a misspelt entry may have meant, or its other criteria leave out those that are.
enum MatchedNothing {
    static func reason(for policy: Policy, in inventory: Inventory) -> String {
        let match = policy.match
        let admitted = inventory.resources.filter { resource in
            match.matchesKind(resource)
                && (match.resourceRules.isEmpty || match.resourceRules.contains { $0.matches(resource, plural: inventory.plural(of: resource)) })
        }.count
        let scope = match.resourceRules.isEmpty
            ? "its kinds (\(match.kindSummary))"
            : "the resources its resourceRules name (\(writtenResources(match.resourceRules).joined(separator: ", ")))"
        let objects = "\(inventory.count) objects of the inputs"
        switch admitted {
        case 0:
            let hints = match.resourceRules.isEmpty ? kindHints(match.kinds, inventory: inventory) : resourceHints(match.resourceRules, inventory: inventory)
            let reason = inventory.count == 1 ? "the one object of the inputs is not of \(scope)" : "none of the \(objects) is of \(scope)"
            return hints.isEmpty ? reason : reason + "; did you mean " + describe(hints) + "?"
        case 1:
            return "1 of the \(objects) is of \(scope), and its other match criteria (namespaces, selectors, tiers) or matchConditions leave it out"
        default:
            return "\(admitted) of the \(objects) are of \(scope), and its other match criteria (namespaces, selectors, tiers) or matchConditions leave out every one"
        }
    }

    /// A note for a rule that evaluated objects through some of its `kinds` while another entry
    /// names a kind neither Kubernetes nor the inputs have and is near one that is
    /// (`kinds: [Deployment, StatefulSt]`): the StatefulSets go unchecked; nil when there is none.
    static func misspeltKindsNote(for policy: Policy, in inventory: Inventory) -> String? {
        let hints = kindHints(policy.match.kinds, inventory: inventory)
        guard !hints.isEmpty else { return nil }
        let entries = hints.map(\.written).joined(separator: ", ")
        return "rule \(policy.id): its kinds \(hints.count == 1 ? "entry" : "entries") \(entries) \(hints.count == 1 ? "is" : "are") no kind of the inputs or of Kubernetes, so \(hints.count == 1 ? "it matches" : "they match") no object; did you mean " + describe(hints) + "?"
    }

    /// A note for a rule whose expressions look up a kind, or with Kyverno's `resource.List` and
    /// `resource.Get` a resource, by a name neither Kubernetes nor the inputs have and that is
    /// near one that is (`resources('Serivce', ns)`, `resource.List('v1', 'service', ns)`): such a
    /// lookup finds nothing, and a rule reading the empty list passes; nil when there is none.
    static func misspeltLookupsNote(for policy: CompiledPolicy, in inventory: Inventory) -> String? {
        let kinds = lookupHints(policy.lookedUpKinds, known: knownKinds(inventory))
        let resources = lookupHints(policy.lookedUpResources, known: knownResources(inventory))
        guard !kinds.isEmpty || !resources.isEmpty else { return nil }
        let hints = kinds + resources
        let groups = [("kind", kinds), ("resource", resources)].filter { !$0.1.isEmpty }
        let named = groups.map { noun, hints in "the \(noun)\(hints.count == 1 ? "" : "s") " + hints.map(\.written).joined(separator: ", ") }
        let nouns = groups.map(\.0).joined(separator: " or ")
        return "rule \(policy.policy.id): it looks up \(named.joined(separator: " and ")), which \(hints.count == 1 ? "is" : "are") no \(nouns) of the inputs or of Kubernetes, so \(hints.count == 1 ? "the lookup finds" : "the lookups find") no object; did you mean " + describe(hints) + "?"
    }

    /// The names of `lookedUp` that are not `known` and are near one that is.
    private static func lookupHints(_ lookedUp: Set<String>, known: Set<String>) -> [Hint] {
        lookedUp.sorted().compactMap { name in
            guard name != InventoryFunctions.anyKind, !name.contains("/"), !known.contains(name) else { return nil }
            let meant = NameSuggestion.candidates(for: name, among: known)
            return meant.isEmpty ? nil : ("'\(name)'", meant)
        }
    }

    /// A misspelt entry and the names it may have meant.
    private typealias Hint = (written: String, meant: [String])

    /// `Deployment` for one entry (`Role or Node` when two are as near), `Deployment for
    /// Deploymnet, Service for Servce` for several.
    private static func describe(_ hints: [Hint]) -> String {
        if hints.count == 1 { return hints[0].meant.joined(separator: " or ") }
        return hints.map { $0.meant.joined(separator: " or ") + " for " + $0.written }.joined(separator: ", ")
    }

    /// The entries of `kinds` that name a kind neither Kubernetes (as far as airlock knows its
    /// kinds) nor the inputs have, objects or CustomResourceDefinitions, with the kinds near it.
    private static func kindHints(_ kinds: [MatchCriteria.KindPattern], inventory: Inventory) -> [Hint] {
        let known = knownKinds(inventory)
        return kinds.compactMap { pattern in
            guard !pattern.kind.contains("*"), !known.contains(pattern.kind) else { return nil }
            let meant = NameSuggestion.candidates(for: pattern.kind, among: known)
            guard !meant.isEmpty else { return nil }
            let qualifier = pattern.description.dropLast(pattern.kind.count)
            return (pattern.description, meant.map { qualifier + $0 })
        }
    }

    /// The kinds of Kubernetes (as far as airlock knows them) and of the inputs' objects and
    /// CustomResourceDefinitions, bare.
    private static func knownKinds(_ inventory: Inventory) -> Set<String> {
        Set(BuiltinKinds.groups.keys).union(inventory.kinds.map(bareKind)).union(inventory.declaredPlurals.keys.map(bareKind))
    }

    /// The resources of `rules` that are no plural of Kubernetes' kinds (as far as airlock knows
    /// them) nor of the inputs' objects and CustomResourceDefinitions, with the plurals near it.
    private static func resourceHints(_ rules: [MatchCriteria.ResourceRule], inventory: Inventory) -> [Hint] {
        let known = knownResources(inventory)
        return writtenResources(rules).compactMap { resource in
            guard !resource.contains("*"), !resource.contains("/"), !known.contains(resource) else { return nil }
            let meant = NameSuggestion.candidates(for: resource, among: known)
            return meant.isEmpty ? nil : (resource, meant)
        }
    }

    /// The plurals of Kubernetes' kinds (as far as airlock knows them) and of the inputs' objects
    /// and CustomResourceDefinitions.
    private static func knownResources(_ inventory: Inventory) -> Set<String> {
        Set(BuiltinKinds.groups.keys.map(ResourceNames.plural))
            .union(inventory.resources.map(inventory.plural(of:)))
            .union(inventory.declaredPlurals.values)
    }

    /// The resources `rules` name, each once, in order.
    private static func writtenResources(_ rules: [MatchCriteria.ResourceRule]) -> [String] {
        var seen: Set<String> = []
        return rules.flatMap(\.resources).filter { seen.insert($0).inserted }
    }

    /// `NetworkPolicy` of the `group/Kind` the inventory indexes a lookalike or a declared kind by.
    private static func bareKind(_ key: String) -> String {
        key.split(separator: "/").last.map(String.init) ?? key
    }
}
