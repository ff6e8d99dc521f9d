/// A container image reference parsed the way the container runtime normalises it
/// (distribution/reference): `nginx` is `docker.io/library/nginx:latest`.
public struct ImageReference: Sendable, Hashable {
    /// Registry host (and port), lower-cased: DNS names are case-insensitive.
    public var registry: String
    /// Path within the registry, e.g. `library/nginx`.
    public var repository: String
    /// The tag; `latest` when neither tag nor digest is given.
    public var tag: String?
    /// `algorithm:hex`, when pinned by digest.
    public var digest: String?

    /// Why a reference is not valid.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var reference: String
        public var reason: String
        public var description: String { "invalid image reference \"\(reference)\": \(reason)" }
    }

    /// Parsed on UTF-8 bytes: a valid reference is printable ASCII, which is checked first, and
    /// walking `Character`s (grapheme clusters) would cost a hundred times more.
    public init(parsing text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(reference: text, reason: reason) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw fail("empty") }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw fail("contains whitespace, control or non-ASCII characters (look-alike hosts are refused)")
        }
        // distribution/reference's ParseNormalizedNamed: a whole reference of 64 hex digits would be
        // read as an image ID by the runtime, not as a repository name.
        guard bytes.count != 64 || !bytes.allSatisfy(\.isASCIILowercaseHexDigit) else {
            throw fail("64 hexadecimal digits name an image ID, not a repository")
        }
        var remainder = bytes[...]
        if let at = remainder.firstIndex(of: UInt8(ascii: "@")) {
            let digest = remainder[(at + 1)...]
            if let reason = Self.digestProblem(digest) { throw fail(reason) }
            self.digest = Self.text(digest)
            remainder = remainder[..<at]
        }
        let nameStart = remainder.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? remainder.startIndex
        if let colon = remainder[nameStart...].lastIndex(of: UInt8(ascii: ":")) {
            let tag = remainder[(colon + 1)...]
            guard Self.isValidTag(tag) else { throw fail("malformed tag \"\(Self.text(tag))\"") }
            self.tag = Self.text(tag)
            remainder = remainder[..<colon]
        }
        var components = remainder.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard let first = components.first, !first.isEmpty else { throw fail("missing repository") }
        let firstIsHost = components.count > 1
            && (first.contains(UInt8(ascii: ".")) || first.contains(UInt8(ascii: ":")) || first.elementsEqual("localhost".utf8)
                || first.contains(where: \.isASCIIUppercase))
        if firstIsHost {
            guard Self.isValidHost(first) else { throw fail("malformed registry host \"\(Self.text(first))\"") }
            registry = Self.text(first).lowercased()
            components.removeFirst()
        } else {
            registry = "docker.io"
        }
        if registry == "index.docker.io" { registry = "docker.io" }
        for component in components where !Self.isValidPathComponent(component) {
            throw fail("malformed repository path component \"\(Self.text(component))\"")
        }
        let path = components.map(Self.text)
        repository = (registry == "docker.io" && path.count == 1 ? ["library"] + path : path).joined(separator: "/")
        guard repository.utf8.count <= Self.repositoryLengthLimit else {
            throw fail("repository path of \(repository.utf8.count) characters, more than \(Self.repositoryLengthLimit)")
        }
        if tag == nil, digest == nil { tag = "latest" }
    }

    /// The longest repository path (without the registry, with `library/` for a Docker Hub
    /// official image), as distribution/reference's `RepositoryNameTotalLengthMax`.
    private static let repositoryLengthLimit = 255

    /// The number of lower-case hex digits of a digest by `algorithm`, for the algorithms the
    /// runtime verifies (opencontainers/go-digest's registered ones: sha256, sha384, sha512), else nil.
    private static func hexDigits(ofAlgorithm algorithm: String) -> Int? {
        switch algorithm {
        case "sha256": return 64
        case "sha384": return 96
        case "sha512": return 128
        default: return nil
        }
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// `registry/repository[:tag][@digest]`.
    public var normalized: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// `host [":" port]`, where host is a domain name (labels of letters, digits and inner
    /// dashes, separated by dots) or a bracketed IPv6 address, `"[" [a-fA-F0-9:]+ "]"`, as the
    /// distribution/reference grammar has it.
    private static func isValidHost(_ host: ArraySlice<UInt8>) -> Bool {
        var name = host
        var port: ArraySlice<UInt8>?
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            name = host[...close]
            let rest = host[(close + 1)...]
            if !rest.isEmpty {
                guard rest.first == UInt8(ascii: ":") else { return false }
                port = rest.dropFirst()
            }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            name = host[..<colon]
            port = host[(colon + 1)...]
        }
        // `[0-9]+`: the grammar bounds neither the number of digits nor the value.
        if let port {
            guard !port.isEmpty, port.allSatisfy(\.isASCIIDigit) else { return false }
        }
        if name.first == UInt8(ascii: "[") {
            let address = name.dropFirst().dropLast()
            return !address.isEmpty && address.allSatisfy { $0.isASCIIHexDigit || $0 == UInt8(ascii: ":") }
        }
        let labels = name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "-") }
        }
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`, the path component of distribution/reference:
    /// runs of lower-case alphanumerics separated by one `.`, one `_`, `__`, or one or more `-`.
    private static func isValidPathComponent(_ component: ArraySlice<UInt8>) -> Bool {
        var index = component.startIndex
        func alphanumerics() -> Bool {
            let start = index
            while index < component.endIndex, component[index].isASCIILowercaseOrDigit { index += 1 }
            return index > start
        }
        guard alphanumerics() else { return false }
        while index < component.endIndex {
            switch component[index] {
            case UInt8(ascii: "."):
                index += 1
            case UInt8(ascii: "_"):
                index += 1
                if index < component.endIndex, component[index] == UInt8(ascii: "_") { index += 1 }
            case UInt8(ascii: "-"):
                while index < component.endIndex, component[index] == UInt8(ascii: "-") { index += 1 }
            default:
                return false
            }
            guard alphanumerics() else { return false }
        }
        return true
    }

    private static func isValidTag(_ tag: ArraySlice<UInt8>) -> Bool {
        guard let first = tag.first, tag.count <= 128, first.isASCIILetterOrDigit || first == UInt8(ascii: "_") else { return false }
        return tag.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Why `algorithm:hex` is not a digest the runtime accepts, or nil: the algorithm must be one
    /// verified (`hexDigits(ofAlgorithm:)`), with exactly its number of lower-case hex digits (go-digest's
    /// `Digest.Validate`; the reference grammar alone would take any algorithm and 32 or more digits).
    private static func digestProblem(_ digest: ArraySlice<UInt8>) -> String? {
        guard let colon = digest.firstIndex(of: UInt8(ascii: ":")) else { return "malformed digest \"\(text(digest))\"" }
        let algorithm = text(digest[..<colon])
        let hex = digest[(colon + 1)...]
        guard let length = hexDigits(ofAlgorithm: algorithm) else {
            return "unsupported digest algorithm \"\(algorithm)\" (sha256, sha384 or sha512)"
        }
        guard hex.count == length, hex.allSatisfy(\.isASCIILowercaseHexDigit) else {
            return "malformed digest \"\(text(digest))\": \(algorithm) takes \(length) lower-case hex digits"
        }
        return nil
    }
}

extension UInt8 {
    fileprivate var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    fileprivate var isASCIIUppercase: Bool { self >= 0x41 && self <= 0x5A }
    fileprivate var isASCIILowercaseOrDigit: Bool { isASCIIDigit || (self >= 0x61 && self <= 0x7A) }
    fileprivate var isASCIILetterOrDigit: Bool { isASCIILowercaseOrDigit || isASCIIUppercase }
    fileprivate var isASCIILowercaseHexDigit: Bool { isASCIIDigit || (self >= 0x61 && self <= 0x66) }
    fileprivate var isASCIIHexDigit: Bool { isASCIILowercaseHexDigit || (self >= 0x41 && self <= 0x46) }
}
