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
            var fields: [String: String] = [:]
            var repeated: String?
            var justification: [String] = []
            for part in parts {
                guard let field = ["owner", "expires"].first(where: { part.hasPrefix($0 + "=") }) else {
                    if !part.isEmpty { justification.append(part) }
                    continue
                }
                // A second date or owner would decide unseen: a reviewer reads the first.
                if fields.updateValue(String(part.dropFirst(field.count + 1)), forKey: field) != nil { repeated = repeated ?? field }
            }
            if let repeated {
                errors.append(Diagnostic(kind: .configuration, message: "exception annotation \(name) gives \(repeated)= more than once", location: value.span))
                continue
            }
            guard !justification.isEmpty, let owner = fields["owner"], !owner.isEmpty, let expires = fields["expires"], ExpiryDate.isValid(expires) else {
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
