/// Reads a label selector (`namespaceSelector`, `objectSelector`, in either policy form) as
/// Kubernetes validates it: label keys and values of their form, `In` and `NotIn` with values,
/// `Exists` and `DoesNotExist` without. The API server refuses any other selector; here it would
/// silently match nothing, or everything.
enum LabelSelectorReader {
    static func read(_ reader: inout StrictMapping) -> LabelSelector {
        var selector = LabelSelector()
        if var labels = reader.mapping("matchLabels") {
            selector.matchLabels = readMatchLabels(&labels)
            reader.absorb(&labels)
        }
        for node in reader.list("matchExpressions") {
            var requirement = StrictMapping(node, path: "\(reader.path).matchExpressions[]")
            let parsed = readRequirement(&requirement)
            reader.absorb(&requirement)
            if let parsed { selector.matchExpressions.append(parsed) }
        }
        return selector
    }

    /// Each label's value by key; a null value is the empty one.
    private static func readMatchLabels(_ labels: inout StrictMapping) -> [String: String] {
        var matchLabels: [String: String] = [:]
        for (keyNode, _) in labels.node.entries {
            let key = keyNode.text ?? ""
            if !KubernetesNames.isQualifiedName(key) {
                labels.report("\(labels.path): \"\(key)\" is no label key: \(KubernetesNames.qualifiedNameForm)", at: keyNode)
            }
            let valueNode = labels.stringNode(key)
            let value = valueNode?.text ?? ""
            if let valueNode, !KubernetesNames.isLabelValue(value) {
                labels.report("\(labels.path).\(key): \"\(value)\" is no label value: \(KubernetesNames.labelValueForm)", at: valueNode)
            }
            matchLabels[key] = value
        }
        return matchLabels
    }

    /// One of `matchExpressions`, nil when its operator is not one.
    private static func readRequirement(_ requirement: inout StrictMapping) -> LabelSelector.Requirement? {
        let keyNode = requirement.stringNode("key", required: true)
        let op = requirement.choice("operator", as: LabelSelector.Operator.self, required: true)
        let takesValues = op == .in || op == .notIn
        let values = requirement.stringItems("values", required: takesValues)
        if let keyNode, let key = keyNode.text, !KubernetesNames.isQualifiedName(key) {
            requirement.report("\(requirement.path).key \"\(key)\" is no label key: \(KubernetesNames.qualifiedNameForm)", at: keyNode)
        }
        for (value, node) in values where !KubernetesNames.isLabelValue(value) {
            requirement.report("\(requirement.path).values has \"\(value)\", which is no label value: \(KubernetesNames.labelValueForm)", at: node)
        }
        if let op, !takesValues, let first = values.first {
            requirement.report("\(requirement.path).values must be empty for operator \(op.rawValue)", at: first.node)
        }
        guard let op else { return nil }
        return LabelSelector.Requirement(key: keyNode?.text ?? "", operator: op, values: values.map(\.text))
    }
}
