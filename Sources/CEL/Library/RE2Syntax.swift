/// What RE2 (Go's `regexp/syntax`, which Kubernetes and cel-go compile CEL patterns with) refuses
/// and PCRE2 accepts: a pattern airlock matched would not load on the API server, or would mean
/// something else there. PCRE2 then compiles only RE2's syntax.
enum RE2Syntax {
    /// Why RE2 refuses `pattern`, or nil when this check finds nothing it would refuse.
    static func problem(in pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        var inClass = false
        /// Whether the last item can be repeated by a quantifier after it.
        var afterQuantifier = false
        func next(_ offset: Int = 1) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }
        while index < scalars.count {
            let scalar = scalars[index]
            let wasQuantifier = afterQuantifier
            afterQuantifier = false
            if scalar == "\\" {
                guard let escaped = next() else { return "trailing backslash" }
                if escaped == "Q" {
                    // A literal run up to \E (or the end).
                    index += 2
                    while index < scalars.count, !(scalars[index] == "\\" && next() == "E") { index += 1 }
                    index += 2
                    continue
                }
                if let problem = escapeProblem(escaped, following: next(2)) { return problem }
                index += 2
                continue
            }
            if inClass {
                if scalar == "[", next() == ":", let end = scalars[index...].firstIndex(of: "]") {
                    index = end + 1  // a POSIX class, `[:alpha:]`
                    continue
                }
                if scalar == "]" { inClass = false }
                index += 1
                continue
            }
            switch scalar {
            case "[":
                inClass = true
                index += 1
                if next(0) == "^" { index += 1 }
                if next(0) == "]" { index += 1 }
                continue
            case "(":
                if next() == "*" { return "PCRE verbs such as (*UTF) are not RE2 syntax" }
                if next() == "?", let problem = groupProblem(scalars[(index + 2)...].prefix(16)) { return problem }
            case "*", "+", "?", "{":
                if scalar == "{", let (repetition, length) = repetition(scalars[(index + 1)...]) {
                    if wasQuantifier { return "a repetition of a repetition is not RE2 syntax (\(repetition))" }
                    if repetition.contains(where: { $0 > 1000 }) { return "a repetition count over 1000 is not RE2 syntax" }
                    index += length + 1
                } else if scalar == "{" {
                    index += 1
                    continue
                } else {
                    if wasQuantifier { return "a repetition of a repetition (a possessive quantifier such as a++) is not RE2 syntax" }
                    index += 1
                }
                if next(0) == "?" { index += 1 }
                afterQuantifier = true
                continue
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Why RE2 refuses the escape `\` + `escaped` (followed by `following`), or nil.
    private static func escapeProblem(_ escaped: Unicode.Scalar, following: Unicode.Scalar?) -> String? {
        switch escaped {
        case "1"..."7":
            // \12 is an octal code; a single digit would be a backreference.
            guard let following, ("0"..."7").contains(following) else { return "backreferences (\\\(escaped)) are not RE2 syntax" }
            return nil
        case "8", "9": return "backreferences (\\\(escaped)) are not RE2 syntax"
        case "a", "f", "t", "n", "r", "v", "x", "d", "D", "s", "S", "w", "W", "b", "B", "A", "z", "p", "P", "0":
            return nil
        default:
            // Other ASCII punctuation stands for itself; letters, `_` and non-ASCII do not.
            let isPunctuation = escaped.isASCII && !escaped.properties.isAlphabetic && escaped != "_"
            return isPunctuation ? nil : "the escape \\\(escaped) is not RE2 syntax"
        }
    }

    /// Why RE2 refuses a group opening `(?` + `rest`, or nil. RE2 has `(?:`, flags `(?imsU-imsU)`
    /// and `(?imsU:`, and named groups `(?P<name>` and `(?<name>`.
    private static func groupProblem(_ rest: ArraySlice<Unicode.Scalar>) -> String? {
        guard let first = rest.first else { return "an unfinished group" }
        switch first {
        case ":": return nil
        case "P": return rest.dropFirst().first == "<" ? nil : "(?P=name) and (?P>name) are not RE2 syntax"
        case "<":
            if rest.dropFirst().first == "=" || rest.dropFirst().first == "!" { return "lookbehind is not RE2 syntax" }
            return nil
        case "=", "!": return "lookahead is not RE2 syntax"
        case ">": return "atomic groups are not RE2 syntax"
        case "i", "m", "s", "U", "-":
            // Flags up to `)` or `:`; others (x, J, ...) are PCRE's.
            for flag in rest.prefix(while: { $0 != ")" && $0 != ":" }) {
                guard ["i", "m", "s", "U", "-"].contains(flag) else { return "the flag \(flag) is not RE2 syntax" }
            }
            return nil
        default: return "the group (?\(first) is not RE2 syntax"
        }
    }

    /// The counts of a repetition `{n}`, `{n,}` or `{n,m}` at the start of `text` (after its `{`),
    /// and its length up to and including `}`; nil when the brace is a literal.
    private static func repetition(_ text: ArraySlice<Unicode.Scalar>) -> (counts: [Int], length: Int)? {
        guard let close = text.firstIndex(of: "}") else { return nil }
        let body = String(String.UnicodeScalarView(text[..<close]))
        let parts = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let low = Int(first), parts.count == 1 || parts[1].isEmpty || Int(parts[1]) != nil else { return nil }
        let high = parts.count == 2 ? Int(parts[1]) : nil
        return ([low] + (high.map { [$0] } ?? []), close - text.startIndex + 1)
    }
}
