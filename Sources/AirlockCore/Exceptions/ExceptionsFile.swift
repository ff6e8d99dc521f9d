import YAMLSource

/// Reads an exceptions file (`--exceptions`, default `.airlock-exceptions.yaml`). An exception
/// without justification, owner or a valid expiry date is rejected, with its position.
public enum ExceptionsFile {
    public static func load(_ bytes: [UInt8], file: String) -> (risks: [AcceptedRisk], errors: [Diagnostic]) {
        let loaded = YAMLLoader().load(bytes, file: file)
        var errors = loaded.errors.map { Diagnostic(kind: .configuration, message: $0.message, location: SourceSpan(file: $0.file, line: $0.line, column: $0.column)) }
        var risks: [AcceptedRisk] = []
        for document in loaded.documents {
            var root = StrictMapping(document.root, path: "")
            for node in root.list("exceptions") {
                var entry = StrictMapping(node, path: "exceptions[]")
                let rule = entry.string("rule", required: true)
                var match = entry.mapping("match")
                let kind = match?.string("kind")
                let namespace = match?.string("namespace")
                let name = match?.string("name")
                if var reader = match { entry.absorb(&reader) }
                match = nil
                let justification = entry.string("justification", required: true)
                let owner = entry.string("owner", required: true)
                let expires = entry.string("expires", required: true)
                if let expires, !ExpiryDate.isValid(expires) {
                    entry.report("exceptions[].expires must be a date YYYY-MM-DD, got \"\(expires)\"", at: entry.field("expires") ?? node)
                }
                let entryErrors = entry.finish()
                root.absorbErrors(entryErrors)
                if entryErrors.isEmpty, let rule, let justification, let owner, let expires {
                    risks.append(AcceptedRisk(
                        rule: rule, kind: kind, namespace: namespace, name: name, justification: justification,
                        owner: owner, expires: expires, location: node.span, source: .external))
                }
            }
            errors += root.finish().map { var error = $0; error.kind = .configuration; return error }
        }
        return (risks, errors)
    }
}

/// `YYYY-MM-DD` dates, compared as text.
public enum ExpiryDate {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
