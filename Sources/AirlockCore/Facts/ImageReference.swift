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

    public init(parsing text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(reference: text, reason: reason) }
        guard !text.isEmpty else { throw fail("empty") }
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value != 0x7F }) else {
            throw fail("contains whitespace, control or non-ASCII characters (look-alike hosts are refused)")
        }
        var remainder = Substring(text)
        if let at = remainder.firstIndex(of: "@") {
            let digest = remainder[remainder.index(after: at)...]
            guard Self.isValidDigest(digest) else { throw fail("malformed digest \"\(digest)\"") }
            self.digest = String(digest)
            remainder = remainder[..<at]
        }
        let lastSlash = remainder.lastIndex(of: "/")
        let nameStart = lastSlash.map { remainder.index(after: $0) } ?? remainder.startIndex
        if let colon = remainder[nameStart...].lastIndex(of: ":") {
            let tag = remainder[remainder.index(after: colon)...]
            guard Self.isValidTag(tag) else { throw fail("malformed tag \"\(tag)\"") }
            self.tag = String(tag)
            remainder = remainder[..<colon]
        }
        var components = remainder.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = components.first, !first.isEmpty else { throw fail("missing repository") }
        let firstIsHost = components.count > 1
            && (first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first)
        if firstIsHost {
            guard Self.isValidHost(first) else { throw fail("malformed registry host \"\(first)\"") }
            registry = first.lowercased()
            components.removeFirst()
        } else {
            registry = "docker.io"
        }
        if registry == "index.docker.io" { registry = "docker.io" }
        if registry == "docker.io", components.count == 1 { components.insert("library", at: 0) }
        for component in components where !Self.isValidPathComponent(component) {
            throw fail("malformed repository path component \"\(component)\"")
        }
        repository = components.joined(separator: "/")
        if tag == nil, digest == nil { tag = "latest" }
    }

    /// `registry/repository[:tag][@digest]`.
    public var normalized: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    private static func isValidHost(_ host: Substring) -> Bool {
        var name = host
        if let colon = host.lastIndex(of: ":"), !host.hasPrefix("[") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit) else { return false }
            name = host[..<colon]
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCIILetterOrDigit || $0 == "-" }
        }
    }

    /// Lower-case alphanumerics separated by `.`, `_`, `__` or dashes.
    private static func isValidPathComponent(_ component: Substring) -> Bool {
        guard let first = component.first, let last = component.last,
              first.isASCIILowercaseOrDigit, last.isASCIILowercaseOrDigit else { return false }
        return component.allSatisfy { $0.isASCIILowercaseOrDigit || $0 == "." || $0 == "_" || $0 == "-" }
            && !component.contains("..")
    }

    private static func isValidTag(_ tag: Substring) -> Bool {
        guard let first = tag.first, tag.count <= 128, first.isASCIILetterOrDigit || first == "_" else { return false }
        return tag.allSatisfy { $0.isASCIILetterOrDigit || $0 == "_" || $0 == "." || $0 == "-" }
    }

    private static func isValidDigest(_ digest: Substring) -> Bool {
        guard let colon = digest.firstIndex(of: ":") else { return false }
        let algorithm = digest[..<colon]
        let hex = digest[digest.index(after: colon)...]
        guard !algorithm.isEmpty, hex.count >= 32, hex.allSatisfy({ $0.isASCIIDigit || ("a"..."f").contains($0) }) else { return false }
        if algorithm == "sha256" { return hex.count == 64 }
        return algorithm.allSatisfy { $0.isASCIILowercaseOrDigit || "+._-".contains($0) }
    }
}

extension Character {
    /// ASCII tests on the scalar value: `Character` properties are Unicode-aware and slow.
    private var asciiValue7: UInt8? { asciiValue.flatMap { $0 < 0x80 ? $0 : nil } }
    var isASCIIDigit: Bool { asciiValue7.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    var isASCIILetterOrDigit: Bool {
        asciiValue7.map { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) } ?? false
    }
    var isASCIILowercaseOrDigit: Bool { asciiValue7.map { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) } ?? false }
}
