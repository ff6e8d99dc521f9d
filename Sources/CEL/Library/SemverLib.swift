/// A semantic version (`kubernetes.Semver`), SemVer 2.0.0: `MAJOR.MINOR.PATCH[-pre][+build]`, read
/// as Kubernetes' semver library reads it (blang/semver v4's `Parse`, and with `normalize` the
/// library's own normalisation before it). AirlockCore reads the versions of bundle and package
/// facts, of `satisfies()` and of ranges with it too (as `SemanticVersion`).
///
/// Ordering (`compare(to:)`, `<`, `precedenceCompare`) is SemVer precedence, build metadata
/// ignored; CEL's `==` (`isEqual(to:)`) is equal precedence, as in Kubernetes. Swift's `==`
/// (`Hashable`) compares every field, build metadata included.
public struct CELSemver: CELOpaqueValue, CELStringConvertible, Hashable, Comparable, CustomStringConvertible, Sendable {
    /// A dot-separated pre-release identifier.
    public enum Identifier: Sendable, Hashable, CustomStringConvertible {
        /// Only digits, without a leading zero, at most 2⁶⁴-1.
        case numeric(UInt64)
        /// Letters, digits and `-`, not only digits.
        case alphanumeric(String)

        public var description: String {
            switch self {
            case .numeric(let value): return String(value)
            case .alphanumeric(let text): return text
            }
        }
    }

    /// Why a text is not a version.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var text: String
        public var reason: String

        public init(text: String, reason: String) {
            self.text = text
            self.reason = reason
        }

        public var description: String { "invalid version \"\(text)\": \(reason)" }
    }

    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    /// Pre-release identifiers (empty for a release).
    public var prerelease: [Identifier]
    /// Build metadata identifiers (ignored for ordering and CEL equality).
    public var build: [String]

    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [Identifier] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// `parse(text)`: the version, strictly read; nil when `text` is none.
    public init?(_ text: String) {
        self.init(text, normalize: false)
    }

    /// `parse(text, normalize:)`, nil when it fails.
    public init?(_ text: String, normalize: Bool) {
        guard case .success(let version) = Self.parse(text, normalize: normalize) else { return nil }
        self = version
    }

    public var isPrerelease: Bool { !prerelease.isEmpty }

    public var celTypeName: String { "kubernetes.Semver" }
    public var celStringValue: String { description }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { compare(to: other) == 0 }
    public func compare(to other: any CELOpaqueValue) -> Int? {
        guard let other = other as? CELSemver else { return nil }
        return precedenceCompare(other)
    }

    /// `MAJOR.MINOR.PATCH`, then `-` and the pre-release identifiers, then `+` and the build ones.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.map(\.description).joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    // MARK: Reading

    /// Reads `text` as Kubernetes' `semver(text, normalize)` does.
    ///
    /// Strictly (`normalize` false): exactly SemVer 2.0.0. Three dot-separated numbers without
    /// leading zeros that fit in 64 bits; optionally `-` and non-empty pre-release identifiers of
    /// letters, digits and `-` (a numeric one without a leading zero, fitting in 64 bits); optionally
    /// `+` and non-empty build identifiers of letters, digits and `-` (leading zeros allowed).
    ///
    /// With `normalize`, the text is first rewritten and then read strictly: one leading lowercase
    /// `v` is dropped; the text is cut at its first two dots into at most three pieces, and in each
    /// piece longer than one byte leading zeros are dropped, a `0` going back in front when nothing
    /// or no digit is left (`1.2.00-rc` is `1.2.0-rc`, and so is `1.2.-rc`); with fewer than three
    /// pieces, the last may hold no `-` or `+` (`1.2-rc` is an error) and `.0` pieces are added
    /// (`1` is `1.0.0`). White space is never trimmed.
    public static func parse(_ text: String, normalize: Bool = false) -> Result<CELSemver, SyntaxError> {
        func failure(_ reason: String) -> Result<CELSemver, SyntaxError> { .failure(SyntaxError(text: text, reason: reason)) }
        // Every version is ASCII, so the pieces below are cut and measured in bytes.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return failure("only ASCII letters, digits, '.', '-' and '+' can be in a version") }
        guard normalize else { return parseStrictly(Substring(text), failure) }
        var rest = Substring(text)
        if rest.hasPrefix("v") { rest = rest.dropFirst() }
        var pieces = rest.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map { piece -> String in
            guard piece.utf8.count > 1 else { return String(piece) }
            let trimmed = piece.drop { $0 == "0" }
            guard let first = trimmed.utf8.first, isDigit(first) else { return "0" + trimmed }
            return String(trimmed)
        }
        if pieces.count < 3 {
            guard let last = pieces.last, !last.contains(where: { $0 == "-" || $0 == "+" }) else {
                return failure("a version without MINOR or PATCH can have no pre-release or build metadata")
            }
            while pieces.count < 3 { pieces.append("0") }
        }
        return parseStrictly(Substring(pieces.joined(separator: ".")), failure)
    }

    private static func parseStrictly(
        _ text: Substring, _ failure: (String) -> Result<CELSemver, SyntaxError>
    ) -> Result<CELSemver, SyntaxError> {
        let pieces = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return failure("expected MAJOR.MINOR.PATCH") }
        var rest = pieces[2]
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            let identifiers = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false)
            guard identifiers.allSatisfy(isIdentifier) else {
                return failure("build metadata identifiers must be non-empty and of letters, digits and '-'")
            }
            build = identifiers.map(String.init)
            rest = rest[..<plus]
        }
        var prerelease: [Identifier] = []
        if let dash = rest.firstIndex(of: "-") {
            for part in rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false) {
                guard let identifier = prereleaseIdentifier(part) else {
                    return failure("pre-release identifier \"\(part)\" must be non-empty, of letters, digits and '-', and without leading zeros when numeric")
                }
                prerelease.append(identifier)
            }
            rest = rest[..<dash]
        }
        var numbers: [UInt64] = []
        for part in [pieces[0], pieces[1], rest] {
            guard let number = numericIdentifier(part) else {
                return failure("\"\(part)\" is not a number without leading zeros below 2^64")
            }
            numbers.append(number)
        }
        return .success(CELSemver(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: prerelease, build: build))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A non-empty run of ASCII letters, digits and `-` (a build identifier).
    public static func isIdentifier(_ part: Substring) -> Bool {
        !part.isEmpty && part.utf8.allSatisfy { byte in
            let folded = byte | 0x20  // a capital letter as its small one
            return isDigit(byte) || (folded >= UInt8(ascii: "a") && folded <= UInt8(ascii: "z")) || byte == UInt8(ascii: "-")
        }
    }

    /// A number without leading zeros that fits in 64 bits (a version number or a numeric
    /// pre-release identifier); nil otherwise.
    public static func numericIdentifier(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.utf8.allSatisfy(isDigit) else { return nil }
        if part.utf8.count > 1 && part.utf8.first == UInt8(ascii: "0") { return nil }
        return UInt64(part)
    }

    /// A pre-release identifier: numeric when only digits (then as `numericIdentifier`),
    /// alphanumeric otherwise; nil when not an identifier.
    public static func prereleaseIdentifier(_ part: Substring) -> Identifier? {
        guard isIdentifier(part) else { return nil }
        guard part.utf8.allSatisfy(isDigit) else { return .alphanumeric(String(part)) }
        return numericIdentifier(part).map(Identifier.numeric)
    }

    // MARK: Precedence

    /// -1, 0 or 1 by SemVer precedence: the numbers, then a release above any pre-release, then
    /// pre-release identifiers left to right (numeric ones numerically and below alphanumeric ones,
    /// alphanumeric ones by their bytes), a shorter list of equal identifiers first. Build
    /// metadata is ignored.
    public func precedenceCompare(_ other: CELSemver) -> Int {
        for (left, right) in [(major, other.major), (minor, other.minor), (patch, other.patch)] where left != right {
            return left < right ? -1 : 1
        }
        switch (prerelease.isEmpty, other.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): break
        }
        for (left, right) in zip(prerelease, other.prerelease) {
            let order = Self.compare(left, right)
            if order != 0 { return order }
        }
        return prerelease.count == other.prerelease.count ? 0 : (prerelease.count < other.prerelease.count ? -1 : 1)
    }

    private static func compare(_ left: Identifier, _ right: Identifier) -> Int {
        switch (left, right) {
        case (.numeric(let a), .numeric(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.numeric, .alphanumeric): return -1
        case (.alphanumeric, .numeric): return 1
        case (.alphanumeric(let a), .alphanumeric(let b)):
            return a == b ? 0 : (a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1)
        }
    }

    /// Lower SemVer precedence (unlike `==`, which compares build metadata too).
    public static func < (lhs: CELSemver, rhs: CELSemver) -> Bool {
        lhs.precedenceCompare(rhs) < 0
    }
}

/// The Kubernetes semver library: `semver()`, `isSemver()` (each with an optional `normalize`),
/// `major()`, `minor()`, `patch()`; ordering through the generic opaque `isLessThan` /
/// `isGreaterThan` / `compareTo`.
enum SemverLib {
    static func register(_ t: inout FunctionTable) {
        /// The version, or the error `semver()` returns; nil when the arguments are of other types.
        @Sendable func parse(_ a: CELArguments) -> Result<CELSemver, CELSemver.SyntaxError>? {
            guard case .string(let s) = a[0] else { return nil }
            guard a.count == 2 else { return CELSemver.parse(s) }
            guard case .bool(let normalize) = a[1] else { return nil }
            return CELSemver.parse(s, normalize: normalize)
        }
        for arity in 1...2 {
            t.addGlobal("semver", arity) { a in
                switch parse(a) {
                case .success(let version)?: return .opaque(version)
                case .failure(let error)?: return .err(error.description)
                case nil: return noSuchOverload("semver", a)
                }
            }
            t.addGlobal("isSemver", arity) { a in
                guard let result = parse(a) else { return noSuchOverload("isSemver", a) }
                if case .success = result { return .bool(true) }
                return .bool(false)
            }
        }
        func part(_ name: String, _ f: @escaping @Sendable (CELSemver) -> UInt64) {
            t.addReceiver(name, 1) { a in
                guard case .opaque(let o) = a[0], let v = o as? CELSemver else { return noSuchOverload(name, a) }
                let n = f(v)
                return n <= UInt64(Int64.max) ? .int(Int64(n)) : .err("\(name)() out of int range")
            }
        }
        part("major") { $0.major }
        part("minor") { $0.minor }
        part("patch") { $0.patch }
    }
}
