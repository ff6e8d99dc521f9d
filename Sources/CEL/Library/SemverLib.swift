/// A semantic version (`kubernetes.Semver`), semver 2.0.0: `MAJOR.MINOR.PATCH[-pre][+build]`.
public struct CELSemver: CELOpaqueValue, CELStringConvertible, Hashable {
    public let major: UInt64
    public let minor: UInt64
    public let patch: UInt64
    /// Dot-separated pre-release identifiers (empty for a release).
    public let prerelease: [String]
    /// Build metadata (ignored for ordering and equality).
    public let build: String

    public var celTypeName: String { "kubernetes.Semver" }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { compare(to: other) == 0 }
    public var celStringValue: String {
        var s = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { s += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { s += "+" + build }
        return s
    }

    /// Semver precedence: numeric core, then a release above any pre-release, then
    /// pre-release identifiers left to right (numeric below alphanumeric).
    public func compare(to other: any CELOpaqueValue) -> Int? {
        guard let o = other as? CELSemver else { return nil }
        for (a, b) in [(major, o.major), (minor, o.minor), (patch, o.patch)] where a != b { return a < b ? -1 : 1 }
        if prerelease.isEmpty || o.prerelease.isEmpty {
            return prerelease.count == o.prerelease.count ? 0 : (prerelease.isEmpty ? 1 : -1)
        }
        for (a, b) in zip(prerelease, o.prerelease) where a != b {
            switch (UInt64(a), UInt64(b)) {
            case (let x?, let y?): return x < y ? -1 : 1
            case (.some, nil): return -1
            case (nil, .some): return 1
            case (nil, nil): return a < b ? -1 : 1
            }
        }
        return prerelease.count == o.prerelease.count ? 0 : (prerelease.count < o.prerelease.count ? -1 : 1)
    }

    /// Parses a strict semantic version; with `normalize`, also `v1.2`, `1` and leading zeros.
    public static func parse(_ text: String, normalize: Bool = false) -> CELSemver? {
        var s = Substring(text)
        if normalize, s.hasPrefix("v") { s = s.dropFirst() }
        var build = ""
        if let plus = s.firstIndex(of: "+") {
            build = String(s[s.index(after: plus)...])
            s = s[..<plus]
            guard isValidIdentifiers(build, numericRule: false) else { return nil }
        }
        var pre: [String] = []
        if let dash = s.firstIndex(of: "-") {
            let p = String(s[s.index(after: dash)...])
            s = s[..<dash]
            guard isValidIdentifiers(p, numericRule: true) else { return nil }
            pre = p.split(separator: ".").map(String.init)
        }
        var core = s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if normalize { while core.count < 3 { core.append("0") } }
        guard core.count == 3 else { return nil }
        var nums: [UInt64] = []
        for c in core {
            guard !c.isEmpty, c.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt64(c) else { return nil }
            if !normalize && c.count > 1 && c.hasPrefix("0") { return nil }
            nums.append(v)
        }
        return CELSemver(major: nums[0], minor: nums[1], patch: nums[2], prerelease: pre, build: build)
    }

    private static func isValidIdentifiers(_ s: String, numericRule: Bool) -> Bool {
        let ids = s.split(separator: ".", omittingEmptySubsequences: false)
        return ids.allSatisfy { id in
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
            if numericRule, id.allSatisfy({ $0.isNumber }), id.count > 1, id.hasPrefix("0") { return false }
            return true
        }
    }
}

/// The Kubernetes semver library: `semver()`, `isSemver()`, `major()`, `minor()`, `patch()`;
/// ordering through the generic opaque `isLessThan` / `isGreaterThan` / `compareTo`.
enum SemverLib {
    static func register(_ t: inout FunctionTable) {
        @Sendable func parse(_ a: CELArguments) -> CELValue {
            guard case .string(let s) = a[0] else { return noSuchOverload("semver", a) }
            var normalize = false
            if a.count == 2 {
                guard case .bool(let n) = a[1] else { return noSuchOverload("semver", a) }
                normalize = n
            }
            guard let v = CELSemver.parse(s, normalize: normalize) else { return .err("invalid semver: \(s)") }
            return .opaque(v)
        }
        t.addGlobal("semver", 1) { parse($0) }
        t.addGlobal("semver", 2) { parse($0) }
        t.addGlobal("isSemver", 1) { a in .bool(!parse(a).isError) }
        t.addGlobal("isSemver", 2) { a in .bool(!parse(a).isError) }
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
