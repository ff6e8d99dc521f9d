/// What RE2 (Go's `regexp/syntax`, which Kubernetes and cel-go compile CEL patterns with) refuses
/// and PCRE2 accepts: a pattern airlock matched would not load on the API server, or would mean
/// something else there. PCRE2 then compiles only RE2's syntax, with the escapes the two read
/// differently written out as RE2 reads them.
enum RE2Syntax {
    /// `pattern` as PCRE2 must read it to match what RE2 matches, or why RE2 refuses it. RE2's
    /// `\s` is `[\t\n\f\r ]` (PCRE2's, like Perl's, also takes the vertical tab), and RE2's `\v`
    /// is the vertical tab (PCRE2's is any vertical space, the line breaks among them).
    static func pcre2Pattern(for pattern: String) -> Result<String, Problem> {
        let scalars = Array(pattern.unicodeScalars)
        var rewritten: [Rewrite] = []
        if let problem = scan(scalars, rewriting: &rewritten) { return .failure(Problem(reason: problem)) }
        guard !rewritten.isEmpty else { return .success(pattern) }
        var out = String.UnicodeScalarView()
        var index = 0
        for rewrite in rewritten {
            out.append(contentsOf: scalars[index..<rewrite.index])
            out.append(contentsOf: rewrite.text.unicodeScalars)
            index = rewrite.index + rewrite.length
        }
        out.append(contentsOf: scalars[index...])
        return .success(String(out))
    }

    /// Why RE2 refuses a pattern.
    struct Problem: Error {
        let reason: String
    }

    /// `length` scalars of the pattern at `index`, written as `text` for PCRE2.
    private struct Rewrite {
        let index: Int
        let length: Int
        let text: String
    }

    /// What came last in a character class, which decides what a `-` is. After a class escape
    /// (`\s`, `\d`, `\pL`, `[:alpha:]`) or a whole range, RE2 reads `-` as itself, and a range
    /// cannot end at a class escape.
    private enum ClassItem {
        case start, set, character, rangeDash, range
    }

    /// The escapes PCRE2 reads differently, outside a class and inside one.
    private static func rewrite(_ escaped: Unicode.Scalar, inClass: Bool) -> String? {
        switch escaped {
        case "s": return inClass ? "\\t\\n\\f\\r\\x20" : "[\\t\\n\\f\\r\\x20]"
        case "S": return inClass ? "\\x00-\\x08\\x0B\\x0E-\\x1F\\x21-\\x{10FFFF}" : "[^\\t\\n\\f\\r\\x20]"
        case "v": return "\\x0B"
        default: return nil
        }
    }

    /// Why RE2 refuses the pattern of `scalars`, or nil when this check finds nothing it would
    /// refuse; the escapes to write out for PCRE2 are added to `rewritten` by position.
    private static func scan(_ scalars: [Unicode.Scalar], rewriting rewritten: inout [Rewrite]) -> String? {
        var index = 0
        var inClass = false
        var classItem = ClassItem.start
        /// Whether the last item can be repeated by a quantifier after it.
        var afterQuantifier = false
        var nesting = NestedRepetitions()
        func next(_ offset: Int = 1) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }
        while index < scalars.count {
            let scalar = scalars[index]
            let wasQuantifier = afterQuantifier
            afterQuantifier = false
            if scalar == "\\" {
                guard let escaped = next() else { return "trailing backslash" }
                if escaped == "Q" {
                    // A literal run up to \E (or the end).
                    nesting.atom()
                    index += 2
                    while index < scalars.count, !(scalars[index] == "\\" && next() == "E") { index += 1 }
                    index += 2
                    continue
                }
                if let problem = escapeProblem(escaped, following: next(2)) { return problem }
                if let text = rewrite(escaped, inClass: inClass) { rewritten.append(Rewrite(index: index, length: 2, text: text)) }
                if !inClass { nesting.atom() }
                var length = 2
                if inClass {
                    let isSet = "dDsSwWpP".unicodeScalars.contains(escaped)
                    if isSet && classItem == .rangeDash { return "a character class range cannot end at \\\(escaped)" }
                    if "pP".unicodeScalars.contains(escaped), next(2) == "{", let close = scalars[index...].firstIndex(of: "}") {
                        length = close - index + 1
                    }
                    classItem = isSet ? .set : classItem == .rangeDash ? .range : .character
                }
                index += length
                continue
            }
            if inClass {
                if scalar == "[", next() == ":", let end = scalars[index...].firstIndex(of: "]") {
                    if classItem == .rangeDash { return "a character class range cannot end at a POSIX class" }
                    index = end + 1  // a POSIX class, `[:alpha:]`
                    classItem = .set
                    continue
                }
                switch (scalar, classItem) {
                case ("]", _): inClass = false
                case ("-", .set), ("-", .range):
                    // Itself, where PCRE2 would take it for a range or refuse it.
                    rewritten.append(Rewrite(index: index, length: 1, text: "\\-"))
                    classItem = .character
                case ("-", .character) where next() != "]": classItem = .rangeDash
                case (_, .rangeDash): classItem = .range
                default: classItem = .character
                }
                index += 1
                continue
            }
            switch scalar {
            case "[":
                nesting.atom()
                inClass = true
                classItem = .start
                index += 1
                if next(0) == "^" { index += 1 }
                if next(0) == "]" {
                    index += 1
                    classItem = .character
                }
                continue
            case "(":
                if next() == "*" { return "PCRE verbs such as (*UTF) are not RE2 syntax" }
                if next() == "?", let problem = groupProblem(scalars[(index + 2)...].prefix(16)) { return problem }
                nesting.openGroup()
            case ")":
                nesting.closeGroup()
            case "*", "+", "?", "{":
                if scalar == "{", let repetition = repetition(scalars[(index + 1)...]) {
                    if wasQuantifier {
                        let text = String(String.UnicodeScalarView(scalars[index...(index + repetition.length)]))
                        return "a repetition of a repetition is not RE2 syntax (\(text))"
                    }
                    if max(repetition.low, repetition.high ?? 0) > 1000 { return "a repetition count over 1000 is not RE2 syntax" }
                    if !nesting.repeatLast(low: repetition.low, high: repetition.high) {
                        return "nested repetitions of more than 1000 copies are not RE2 syntax"
                    }
                    index += repetition.length + 1
                } else if scalar == "{" {
                    nesting.atom()
                    index += 1
                    continue
                } else {
                    if wasQuantifier { return "a repetition of a repetition (a possessive quantifier such as a++) is not RE2 syntax" }
                    index += 1
                }
                if next(0) == "?" { index += 1 }
                afterQuantifier = true
                continue
            default: nesting.atom()
            }
            index += 1
        }
        return nil
    }

    /// Go's limit on nested repetitions (`repeatIsValid` in `regexp/syntax`): a repetition
    /// `{n}`, `{n,m}` or `{n,}` with a count of 2 or more may not make more than 1000 copies of
    /// what is innermost, its own count multiplied by those of the repetitions nested in what it
    /// repeats (`(a{10}){101}` is refused; `{n,}` counts n, and what `{0}` repeats is no copy).
    /// `*`, `+` and `?` are not counted.
    private struct NestedRepetitions {
        /// For each open group, the most copies one of its items makes (an empty group is one).
        private var groups = [1]
        /// The copies the last item makes, not yet counted in its group's.
        private var last = 0

        /// A character, class or escape begins.
        mutating func atom() {
            commitLast()
            last = 1
        }

        mutating func openGroup() {
            commitLast()
            groups.append(1)
        }

        /// The group becomes the last item. (An unbalanced `)` is PCRE2's to refuse.)
        mutating func closeGroup() {
            commitLast()
            last = groups.count > 1 ? groups.removeLast() : 1
        }

        /// The last item repeated from `low` to `high` times (nil: no upper bound); false when Go
        /// refuses it.
        mutating func repeatLast(low: Int, high: Int?) -> Bool {
            let factor = high == 0 ? 0 : max(high ?? low, 1)
            if max(low, high ?? 0) >= 2, factor * last > 1000 { return false }
            last *= factor
            return true
        }

        private mutating func commitLast() {
            groups[groups.count - 1] = max(groups[groups.count - 1], last)
            last = 0
        }
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

    /// The counts of a repetition `{n}` (`high` n), `{n,}` (`high` nil) or `{n,m}` at the start of
    /// `text` (after its `{`), and its length up to and including `}`; nil when the brace is a literal.
    private static func repetition(_ text: ArraySlice<Unicode.Scalar>) -> (low: Int, high: Int?, length: Int)? {
        guard let close = text.firstIndex(of: "}") else { return nil }
        let body = String(String.UnicodeScalarView(text[..<close]))
        let parts = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let low = Int(first), parts.count == 1 || parts[1].isEmpty || Int(parts[1]) != nil else { return nil }
        let high = parts.count == 2 ? Int(parts[1]) : low
        return (low, high, close - text.startIndex + 1)
    }
}
