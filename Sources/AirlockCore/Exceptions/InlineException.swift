import YAMLSource

/// Reads `airlock.dev/exception.<rule-id>: "<justification>; owner=<owner>; expires=YYYY-MM-DD"`
/// annotations on a resource.
public enum InlineException {
    public static let prefix = "airlock.dev/exception."

    public static func risks(of resource: Resource) -> (risks: [AcceptedRisk], errors: [Diagnostic]) {
        guard let annotations = resource.node["metadata"]?["annotations"], annotations.kind == .mapping else { return ([], []) }
        var risks: [AcceptedRisk] = []
        var errors: [Diagnostic] = []
        for (key, value) in annotations.entries {
            guard let name = key.text, name.hasPrefix(prefix) else { continue }
            let rule = String(name.dropFirst(prefix.count))
            let parts = (value.text ?? "").split(separator: ";").map(trimmed)
            var owner: String?
            var expires: String?
            var justification: [String] = []
            for part in parts {
                if part.hasPrefix("owner=") { owner = String(part.dropFirst(6)) } else if part.hasPrefix("expires=") { expires = String(part.dropFirst(8)) } else if !part.isEmpty { justification.append(part) }
            }
            guard !justification.isEmpty, let owner, !owner.isEmpty, let expires, ExpiryDate.isValid(expires) else {
                errors.append(Diagnostic(
                    kind: .configuration,
                    message: "exception annotation \(name) must read \"<justification>; owner=<owner>; expires=YYYY-MM-DD\"",
                    location: value.span))
                continue
            }
            risks.append(AcceptedRisk(
                rule: rule, kind: resource.kind, namespace: resource.namespace, name: resource.name,
                objectFile: resource.provenance.file, justification: justification.joined(separator: "; "), owner: owner,
                expires: expires, location: value.span, source: .inline))
        }
        return (risks, errors)
    }
}

private func trimmed(_ text: Substring) -> String {
    var text = text
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
}
