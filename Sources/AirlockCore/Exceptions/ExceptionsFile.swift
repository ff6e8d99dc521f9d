import YAMLSource

/// Reads an exceptions file (`--exceptions`, default `.airlock-exceptions.yaml`). An exception
/// without a match, justification, owner or a valid expiry date is rejected, with its position.
public enum ExceptionsFile {
    public static func load(_ bytes: [UInt8], file: String) -> (risks: [AcceptedRisk], errors: [Diagnostic]) {
        let loaded = YAMLLoader().load(bytes, file: file)
        var errors = LimitedDiagnostics(loaded.errors.map { Diagnostic(kind: .configuration, message: $0.message, location: SourceSpan(file: $0.file, line: $0.line, column: $0.column)) })
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
                if kind == nil, namespace == nil, name == nil {
                    entry.report(
                        "exceptions[].match must name the objects the exception covers (kind, namespace or name, globs allowed; name: \"*\" for every object, and for a finding of no object: values, a bundle, a package): without it the rule would be off everywhere",
                        at: entry.field("match") ?? node)
                }
                let justification = entry.string("justification", required: true)
                let owner = entry.string("owner", required: true)
                let expires = entry.string("expires", required: true)
                if let rule, rule.contains("*") {
                    entry.report("exceptions[].rule \"\(rule)\" is a glob, and an exception names one rule (there is no wildcard rule): write one for each rule it accepts", at: entry.field("rule") ?? node)
                }
                for (key, text) in [("rule", rule), ("justification", justification), ("owner", owner)] where text?.allSatisfy(\.isWhitespace) == true {
                    entry.report("exceptions[].\(key) must not be blank", at: entry.field(key) ?? node)
                }
                if let expires, !ExpiryDate.isValid(expires) {
                    entry.report("exceptions[].expires must be a date YYYY-MM-DD, got \"\(expires)\"", at: entry.field("expires") ?? node)
                }
                let entryErrors = entry.finish()
                errors.append(entryErrors.map(\.asConfiguration))
                if entryErrors.isEmpty, let rule, let justification, let owner, let expires {
                    risks.append(AcceptedRisk(
                        rule: rule, kind: kind, namespace: namespace, name: name, objectFile: nil, justification: justification,
                        owner: owner, expires: expires, location: node.span, source: .external))
                }
            }
            errors.append(root.finish().map(\.asConfiguration))
        }
        return (risks, errors.all)
    }
}

/// `YYYY-MM-DD` dates, compared as text.
public enum ExpiryDate {
    /// Whether `text` is a calendar date written `YYYY-MM-DD` (`2099-02-30` is not).
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            bytes[range].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                ? bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } : nil
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month) else { return false }
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}

private extension Diagnostic {
    var asConfiguration: Diagnostic {
        var error = self
        error.kind = .configuration
        return error
    }
}
