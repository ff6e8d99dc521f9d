/// A Semantic Versioning 2.0.0 version, parsed strictly (no `v` prefix, no leading zeros,
/// exactly three core numbers). `<` is SemVer precedence (build metadata ignored); `==` compares
/// every field, build included, so use `precedenceCompare` to ask "same precedence?".
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A dot-separated prerelease identifier.
    public enum Identifier: Sendable, Hashable, CustomStringConvertible {
        case numeric(UInt64)
        case alphanumeric(String)

        public var description: String {
            switch self {
            case .numeric(let value): return String(value)
            case .alphanumeric(let text): return text
            }
        }
    }

    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    public var prerelease: [Identifier]
    public var build: [String]

    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [Identifier] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// Parses `text` strictly; `nil` when it is not a SemVer 2.0.0 version.
    public init?(_ text: String) {
        guard case .success(let version) = Self.parse(text) else { return nil }
        self = version
    }

    /// Parses `text` strictly, saying what is wrong when it is not a version.
    public static func parse(_ text: String) -> Result<SemanticVersion, VersionSyntaxError> {
        var rest = Substring(text)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            let parts = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false)
            guard parts.allSatisfy(isIdentifier) else {
                return .failure(VersionSyntaxError(text: text, reason: "build metadata identifiers must be non-empty [0-9A-Za-z-]"))
            }
            build = parts.map(String.init)
            rest = rest[..<plus]
        }
        var prerelease: [Identifier] = []
        if let dash = rest.firstIndex(of: "-") {
            let parts = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
            for part in parts {
                guard let identifier = prereleaseIdentifier(part) else {
                    return .failure(VersionSyntaxError(text: text, reason: "prerelease identifier \"\(part)\" must be non-empty [0-9A-Za-z-] without leading zeros when numeric"))
                }
                prerelease.append(identifier)
            }
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else {
            return .failure(VersionSyntaxError(text: text, reason: "expected MAJOR.MINOR.PATCH"))
        }
        var numbers: [UInt64] = []
        for part in core {
            guard let number = numericIdentifier(part) else {
                return .failure(VersionSyntaxError(text: text, reason: "\"\(part)\" is not a number without leading zeros"))
            }
            numbers.append(number)
        }
        return .success(SemanticVersion(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: prerelease, build: build))
    }

    static func isIdentifier(_ part: Substring) -> Bool {
        !part.isEmpty && part.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// A number without leading zeros that fits in 64 bits.
    static func numericIdentifier(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        if part.count > 1 && part.hasPrefix("0") { return nil }
        return UInt64(part)
    }

    static func prereleaseIdentifier(_ part: Substring) -> Identifier? {
        guard isIdentifier(part) else { return nil }
        if part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return numericIdentifier(part).map(Identifier.numeric)
        }
        return .alphanumeric(String(part))
    }

    public var isPrerelease: Bool { !prerelease.isEmpty }

    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.map(\.description).joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// -1, 0 or 1 by SemVer precedence (section 11): build metadata is ignored.
    public func precedenceCompare(_ other: SemanticVersion) -> Int {
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

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        lhs.precedenceCompare(rhs) < 0
    }
}

/// Why a version or range did not parse.
public struct VersionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String { "invalid version \"\(text)\": \(reason)" }
}
