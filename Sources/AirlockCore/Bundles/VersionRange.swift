/// An npm-style version range: comparator sets joined by `||`, each a space-separated list of
/// comparators (`>=1.0.0 <2.0.0`), caret (`^1.2.3`), tilde (`~1.2`), X-ranges (`1.x`, `*`) or a
/// hyphen range (`1.2.3 - 2.3`). Sugar is expanded to primitive comparators at parse time.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    /// A primitive comparison against one version.
    public struct Comparator: Sendable, Hashable, CustomStringConvertible {
        public enum Operator: String, Sendable, Hashable {
            case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "="
        }

        public var op: Operator
        public var version: SemanticVersion

        public func test(_ candidate: SemanticVersion) -> Bool {
            let order = candidate.precedenceCompare(version)
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .equal: return order == 0
            }
        }

        public var description: String { op.rawValue + version.description }
    }

    /// The range as written.
    public let text: String
    /// Alternatives (`||`); a version satisfies the range when it satisfies every comparator of
    /// one set. An empty set matches any version.
    public let sets: [[Comparator]]

    public var description: String { text }

    /// Parses an npm range; throws with the offending part when it is malformed.
    public init(_ text: String) throws(VersionSyntaxError) {
        self.text = text
        var sets: [[Comparator]] = []
        for alternative in Self.splitAlternatives(text) {
            sets.append(try Self.parseSet(alternative, whole: text))
        }
        self.sets = sets
    }

    /// Whether `version` is in the range. As in npm, a prerelease version only matches a set
    /// holding a comparator with a prerelease on the same MAJOR.MINOR.PATCH, unless
    /// `includePrerelease` is set.
    public func satisfies(_ version: SemanticVersion, includePrerelease: Bool = false) -> Bool {
        sets.contains { set in
            guard set.allSatisfy({ $0.test(version) }) else { return false }
            if !version.isPrerelease || includePrerelease { return true }
            return set.contains { comparator in
                comparator.version.isPrerelease && comparator.version.major == version.major
                    && comparator.version.minor == version.minor && comparator.version.patch == version.patch
            }
        }
    }

    /// Parses `text` as a version for `satisfies`, then tests it; `false` when it is no version.
    public func satisfies(_ text: String, includePrerelease: Bool = false) -> Bool {
        guard let version = SemanticVersion(text) else { return false }
        return satisfies(version, includePrerelease: includePrerelease)
    }

    /// The highest of `versions` in the range.
    public func maxSatisfying(_ versions: [SemanticVersion]) -> SemanticVersion? {
        versions.filter { satisfies($0) }.max()
    }

    // MARK: Parsing

    private static func splitAlternatives(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = Substring(text)
        while let bar = rest.range(of: "||") {
            parts.append(rest[..<bar.lowerBound])
            rest = rest[bar.upperBound...]
        }
        parts.append(rest)
        return parts
    }

    private static let operators = ["<=", ">=", "~>", "<", ">", "=", "~", "^"]

    /// Tokens of one set with operators glued to their version (`>= 1.2` becomes `>=1.2`).
    private static func tokens(_ set: Substring) -> [String] {
        var tokens: [String] = []
        var pendingOperator: String?
        for word in set.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let text = String(word)
            if operators.contains(text) {
                pendingOperator = (pendingOperator ?? "") + text
                continue
            }
            tokens.append((pendingOperator ?? "") + text)
            pendingOperator = nil
        }
        if let pendingOperator { tokens.append(pendingOperator) }
        return tokens
    }

    private static func parseSet(_ set: Substring, whole: String) throws(VersionSyntaxError) -> [Comparator] {
        let words = tokens(set)
        if words.count == 3 && words[1] == "-" {
            let low = try Partial.parse(words[0], whole: whole)
            let high = try Partial.parse(words[2], whole: whole)
            return hyphen(low, high)
        }
        var comparators: [Comparator] = []
        for word in words {
            if word == "-" { throw VersionSyntaxError(text: whole, reason: "a hyphen range needs exactly one version on each side") }
            let (op, rest) = splitOperator(word)
            comparators += try expand(op: op, Partial.parse(rest, whole: whole), whole: whole)
        }
        return comparators
    }

    private static func splitOperator(_ word: String) -> (String, String) {
        for op in operators where word.hasPrefix(op) {
            return (op, String(word.dropFirst(op.count)))
        }
        return ("", word)
    }

    /// A version whose missing or `x` parts are wildcards.
    struct Partial {
        var major: UInt64?
        var minor: UInt64?
        var patch: UInt64?
        var prerelease: [SemanticVersion.Identifier] = []

        static func parse(_ raw: String, whole: String) throws(VersionSyntaxError) -> Partial {
            var text = Substring(raw)
            if text.hasPrefix("v") || text.hasPrefix("=") { text = text.dropFirst() }
            if let plus = text.firstIndex(of: "+") { text = text[..<plus] }
            var partial = Partial()
            if text.isEmpty { return partial }
            var core = text
            if let dash = text.firstIndex(of: "-") {
                core = text[..<dash]
                for part in text[text.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false) {
                    guard let identifier = SemanticVersion.prereleaseIdentifier(part) else {
                        throw VersionSyntaxError(text: whole, reason: "bad prerelease in \"\(raw)\"")
                    }
                    partial.prerelease.append(identifier)
                }
            }
            let parts = core.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 3 else { throw VersionSyntaxError(text: whole, reason: "too many parts in \"\(raw)\"") }
            var numbers: [UInt64?] = []
            var sawWildcard = false
            for part in parts {
                if part == "x" || part == "X" || part == "*" {
                    sawWildcard = true
                    numbers.append(nil)
                    continue
                }
                guard !sawWildcard, let number = SemanticVersion.numericIdentifier(part), number < UInt64.max else {
                    throw VersionSyntaxError(text: whole, reason: "\"\(raw)\" is not a version or X-range")
                }
                numbers.append(number)
            }
            partial.major = numbers.count > 0 ? numbers[0] : nil
            partial.minor = numbers.count > 1 ? numbers[1] : nil
            partial.patch = numbers.count > 2 ? numbers[2] : nil
            if partial.patch == nil && !partial.prerelease.isEmpty {
                throw VersionSyntaxError(text: whole, reason: "a prerelease needs a full version in \"\(raw)\"")
            }
            return partial
        }

        /// The partial with wildcards as zero.
        var floor: SemanticVersion {
            SemanticVersion(major: major ?? 0, minor: minor ?? 0, patch: patch ?? 0, prerelease: prerelease)
        }
    }

    private static func version(_ major: UInt64, _ minor: UInt64, _ patch: UInt64, lowest: Bool = false) -> SemanticVersion {
        SemanticVersion(major: major, minor: minor, patch: patch, prerelease: lowest ? [.numeric(0)] : [])
    }

    private static func below(_ version: SemanticVersion) -> Comparator { Comparator(op: .less, version: version) }
    private static func atLeast(_ version: SemanticVersion) -> Comparator { Comparator(op: .greaterOrEqual, version: version) }
    /// Matches nothing.
    private static let none = [Comparator(op: .less, version: version(0, 0, 0, lowest: true))]

    private static func expand(op: String, _ p: Partial, whole: String) throws(VersionSyntaxError) -> [Comparator] {
        guard let major = p.major else {
            return (op == "<" || op == ">") ? none : []
        }
        switch op {
        case "", "=":
            guard let minor = p.minor else { return [atLeast(p.floor), below(version(major + 1, 0, 0, lowest: true))] }
            guard p.patch != nil else { return [atLeast(p.floor), below(version(major, minor + 1, 0, lowest: true))] }
            return [Comparator(op: .equal, version: p.floor)]
        case "~", "~>":
            guard let minor = p.minor else { return [atLeast(p.floor), below(version(major + 1, 0, 0, lowest: true))] }
            return [atLeast(p.floor), below(version(major, minor + 1, 0, lowest: true))]
        case "^":
            guard let minor = p.minor else { return [atLeast(p.floor), below(version(major + 1, 0, 0, lowest: true))] }
            guard let patch = p.patch else {
                return [atLeast(p.floor), below(major == 0 ? version(0, minor + 1, 0, lowest: true) : version(major + 1, 0, 0, lowest: true))]
            }
            let upper = major != 0 ? version(major + 1, 0, 0, lowest: true)
                : minor != 0 ? version(0, minor + 1, 0, lowest: true) : version(0, 0, patch + 1, lowest: true)
            return [atLeast(p.floor), below(upper)]
        case ">":
            guard let minor = p.minor else { return [atLeast(version(major + 1, 0, 0))] }
            guard p.patch != nil else { return [atLeast(version(major, minor + 1, 0))] }
            return [Comparator(op: .greater, version: p.floor)]
        case ">=":
            return [atLeast(p.floor)]
        case "<":
            return [below(p.patch == nil ? version(major, p.minor ?? 0, 0, lowest: true) : p.floor)]
        case "<=":
            guard let minor = p.minor else { return [below(version(major + 1, 0, 0, lowest: true))] }
            guard p.patch != nil else { return [below(version(major, minor + 1, 0, lowest: true))] }
            return [Comparator(op: .lessOrEqual, version: p.floor)]
        default:
            throw VersionSyntaxError(text: whole, reason: "unknown operator \"\(op)\"")
        }
    }

    private static func hyphen(_ low: Partial, _ high: Partial) -> [Comparator] {
        var comparators: [Comparator] = []
        if low.major != nil { comparators.append(atLeast(low.floor)) }
        if let major = high.major {
            if let minor = high.minor {
                comparators.append(high.patch == nil
                    ? below(version(major, minor + 1, 0, lowest: true))
                    : Comparator(op: .lessOrEqual, version: high.floor))
            } else {
                comparators.append(below(version(major + 1, 0, 0, lowest: true)))
            }
        }
        return comparators
    }
}
