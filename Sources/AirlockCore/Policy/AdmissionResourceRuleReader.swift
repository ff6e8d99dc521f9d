import YAMLSource

/// Reads the resource rules of a ValidatingAdmissionPolicy's `matchConstraints` strictly, as the
/// API server validates them: what it refuses is an error at its place, never a rule that
/// silently matches nothing.
enum AdmissionResourceRuleReader {
    private typealias Item = (text: String, node: YAMLNode)

    /// The operations a rule can name, spelt as Kubernetes spells them.
    private enum Operation: String, CaseIterable {
        case create = "CREATE", update = "UPDATE", delete = "DELETE", connect = "CONNECT", all = "*"
    }

    /// The rules of `constraints`' list `key` (`resourceRules` or `excludeResourceRules`).
    static func read(_ key: String, of constraints: inout StrictMapping, equivalent: Bool) -> [MatchCriteria.ResourceRule] {
        constraints.list(key).map { node in
            var reader = StrictMapping(node, path: "\(constraints.path).\(key)[]")
            let apiGroups = reader.stringItems("apiGroups", required: true)
            let apiVersions = reader.stringItems("apiVersions", required: true)
            let resources = reader.stringItems("resources", required: true)
            let operations = reader.choiceItems("operations", as: Operation.self, required: true).map { (text: $0.value.rawValue, node: $0.node) }
            let resourceNames = reader.stringItems("resourceNames")
            let scope = reader.choice("scope", as: MatchCriteria.ResourceRule.Scope.self) ?? .any
            for (list, name) in [(apiGroups, "apiGroups"), (apiVersions, "apiVersions"), (operations, "operations")] {
                requireWildcardAlone(list, "\(reader.path).\(name)", in: &reader)
            }
            for version in apiVersions where version.text.isEmpty {
                reader.report("\(reader.path).apiVersions has an empty item", at: version.node)
            }
            checkResources(resources, in: &reader)
            checkResourceNames(resourceNames, in: &reader)
            constraints.absorb(&reader)
            return MatchCriteria.ResourceRule(
                apiGroups: apiGroups.map(\.text), apiVersions: apiVersions.map(\.text), resources: resources.map(\.text),
                operations: operations.map(\.text), resourceNames: resourceNames.map(\.text), matchesEveryVersion: equivalent,
                scope: scope)
        }
    }

    /// An error at a `*` listed with other items.
    private static func requireWildcardAlone(_ items: [Item], _ field: String, in reader: inout StrictMapping) {
        guard items.count > 1, let wildcard = items.first(where: { $0.text == "*" }) else { return }
        reader.report("\(field): \"*\" must be alone in the list", at: wildcard.node)
    }

    /// The API server's checks of `resources`: no empty item, `*/*` alone, `*` beside no other
    /// resource without a subresource, no subresource that an earlier `name/*` or `*/sub` covers.
    private static func checkResources(_ items: [Item], in reader: inout StrictMapping) {
        let field = "\(reader.path).resources"
        var everySubresourceOf: Set<Substring> = []
        var everyResourceWith: Set<Substring> = []
        var lastWithoutSubresource: String?
        for (text, node) in items {
            guard !text.isEmpty else {
                reader.report("\(field) has an empty item", at: node)
                continue
            }
            if text == "*/*", items.count > 1 { reader.report("\(field): \"*/*\" must be alone in the list", at: node) }
            guard let slash = text.firstIndex(of: "/") else {
                lastWithoutSubresource = text
                continue
            }
            let (resource, subresource) = (text[..<slash], text[text.index(after: slash)...])
            if everySubresourceOf.contains(resource) { reader.report("\(field): \"\(text)\" is covered by \"\(resource)/*\"", at: node) }
            if everyResourceWith.contains(subresource) { reader.report("\(field): \"\(text)\" is covered by \"*/\(subresource)\"", at: node) }
            if subresource == "*" { everySubresourceOf.insert(resource) }
            if resource == "*" { everyResourceWith.insert(subresource) }
        }
        // The API server looks at the last resource without a subresource only: it accepts
        // `[deployments, "*"]` and refuses `["*", deployments]`.
        if let other = lastWithoutSubresource, other != "*", let wildcard = items.first(where: { $0.text == "*" }) {
            reader.report("\(field): \"*\" covers \"\(other)\"; list no other resource without a subresource beside it", at: wildcard.node)
        }
    }

    /// Each resource name the API server refuses: `.`, `..`, one holding `/` or `%` (no object
    /// is named so), or one given twice.
    private static func checkResourceNames(_ items: [Item], in reader: inout StrictMapping) {
        var seen: Set<String> = []
        for (text, node) in items {
            if text == "." || text == ".." || text.contains("/") || text.contains("%") {
                reader.report("\(reader.path).resourceNames: \"\(text)\" is no object name (not . or .., without / or %)", at: node)
            } else if !seen.insert(text).inserted {
                reader.report("\(reader.path).resourceNames: \"\(text)\" is given twice", at: node)
            }
        }
    }
}
