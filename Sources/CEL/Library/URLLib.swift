/// A URL value (`kubernetes.URL`) parsed like Go's `url.ParseRequestURI`: an absolute URI
/// (`scheme:...`) or an absolute path (`/...`).
public struct CELURL: CELOpaqueValue, CELStringConvertible, Hashable {
    public let scheme: String
    /// Host including the port, IPv6 literals in brackets.
    public let host: String
    /// Path as written (still escaped).
    public let rawPath: String
    /// Query string after `?` (without it), still escaped.
    public let rawQuery: String
    public let text: String

    public var celTypeName: String { "kubernetes.URL" }
    public var celStringValue: String { text }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? CELURL) == self }
    public func compare(to other: any CELOpaqueValue) -> Int? { nil }

    static func isSchemeChar(_ c: UInt8, first: Bool) -> Bool {
        let alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
        if first { return alpha }
        return alpha || (c >= 48 && c <= 57) || c == 43 || c == 45 || c == 46
    }

    /// Parses; nil when not an absolute URI or absolute path, or badly escaped. Reads UTF-8 bytes,
    /// as Go does: every delimiter is ASCII.
    public static func parse(_ s: String) -> CELURL? {
        var text = s
        return text.withUTF8 { parse(bytes: $0[...], text: s) }
    }

    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    private static func parse(bytes: Bytes, text: String) -> CELURL? {
        guard !bytes.isEmpty, !bytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return nil }
        var rest = bytes
        var scheme = ""
        if rest.first != UInt8(ascii: "/") {
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let name = rest[..<colon]
            guard !name.isEmpty, name.enumerated().allSatisfy({ isSchemeChar($0.element, first: $0.offset == 0) }) else {
                return nil
            }
            scheme = String(decoding: name, as: UTF8.self).lowercased()
            rest = rest[(colon + 1)...]
            // An opaque form like "mailto:x" is allowed only with a path-absolute or authority.
            guard rest.first == UInt8(ascii: "/") else { return nil }
        }
        var rawQuery = rest[rest.endIndex...]
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            rawQuery = rest[(question + 1)...]
            rest = rest[..<question]
        }
        var host = ""
        if !scheme.isEmpty, rest.starts(with: "//".utf8) {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
            guard isValidHost(authority), hasValidPort(authority) else { return nil }
            host = String(decoding: authority, as: UTF8.self)
        }
        guard validEscapes(rest), validEscapes(rawQuery) else { return nil }
        return CELURL(
            scheme: scheme, host: host, rawPath: String(decoding: rest, as: UTF8.self),
            rawQuery: String(decoding: rawQuery, as: UTF8.self), text: text)
    }

    /// Whether every ASCII byte of a host (with its port) may appear there unescaped, as Go's
    /// `url.ParseRequestURI` checks (`#`, `/`, `%`, spaces and the like may not: `evil.com#.svc`
    /// is no host), `%25` (an IPv6 zone's percent sign) excepted.
    private static func isValidHost(_ host: Bytes) -> Bool {
        var bytes = host
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...,
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "$"),
                UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""):
                continue
            case UInt8(ascii: "%"):
                guard bytes.starts(with: "25".utf8) else { return false }
                bytes = bytes.dropFirst(2)
            default:
                return false
            }
        }
        return true
    }

    /// Whether the port after a host, if any, is digits; an IPv6 literal must be closed.
    private static func hasValidPort(_ host: Bytes) -> Bool {
        let port: Bytes
        if host.first == UInt8(ascii: "[") {
            guard let close = host.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let after = host[(close + 1)...]
            if after.isEmpty { return true }
            guard after.first == UInt8(ascii: ":") else { return false }
            port = after.dropFirst()
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            port = host[(colon + 1)...]
        } else {
            return true
        }
        return port.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func validEscapes(_ s: Bytes) -> Bool {
        var bytes = s
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else { continue }
            guard bytes.count >= 2, bytes.prefix(2).allSatisfy({ Lexer.isHex(Unicode.Scalar($0)) }) else { return false }
            bytes = bytes.dropFirst(2)
        }
        return true
    }

    var hostname: String {
        let bytes = host.utf8
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            return String(Substring(bytes[bytes.index(after: bytes.startIndex)..<close]))
        }
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) { return String(Substring(bytes[..<colon])) }
        return host
    }

    var port: String {
        let bytes = host.utf8
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            let after = bytes[bytes.index(after: close)...]
            return after.first == UInt8(ascii: ":") ? String(Substring(after.dropFirst())) : ""
        }
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) { return String(Substring(bytes[bytes.index(after: colon)...])) }
        return ""
    }

    /// The path with characters outside the allowed set percent-encoded.
    var escapedPath: String {
        var out = ""
        for b in rawPath.utf8 {
            let c = Unicode.Scalar(b)
            let allowed = (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
                || "-._~!$&'()*+,;=:@/%".unicodeScalars.contains(c)
            if allowed && b < 0x80 {
                out.unicodeScalars.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func unescape(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 43 {
                bytes.append(32)
                i += 1
            } else if u[i] == 37, i + 2 < u.count, let v = UInt8(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    var query: CELValue {
        var keys: [CELValue] = []
        var values: [CELMapKey: [CELValue]] = [:]
        for part in rawQuery.split(separator: "&") where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = CELURL.unescape(kv[0])
            let v = kv.count > 1 ? CELURL.unescape(kv[1]) : ""
            if values[.string(k)] == nil { keys.append(.string(k)) }
            values[.string(k), default: []].append(.string(v))
        }
        var dict: [CELMapKey: CELValue] = [:]
        for (k, v) in values { dict[k] = .list(CELList(v)) }
        return .map(CELMap(uncheckedKeys: keys, values: dict))
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String {
        count >= n ? self : String(repeating: "0", count: n - count) + self
    }
}

/// The Kubernetes URL library: `url()`, `isURL()` and the URL accessors.
enum URLLib {
    static func register(_ t: inout FunctionTable) {
        t.addGlobal("url", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("url", a) }
            guard let u = CELURL.parse(s) else { return .err("URL parse error during conversion from string: \(s)") }
            return .opaque(u)
        }
        t.addGlobal("isURL", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("isURL", a) }
            return .bool(CELURL.parse(s) != nil)
        }
        func method(_ name: String, _ f: @escaping @Sendable (CELURL) -> CELValue) {
            t.addReceiver(name, 1) { a in
                guard case .opaque(let o) = a[0], let u = o as? CELURL else { return noSuchOverload(name, a) }
                return f(u)
            }
        }
        method("getScheme") { .string($0.scheme) }
        method("getHost") { .string($0.host) }
        method("getHostname") { .string($0.hostname) }
        method("getPort") { .string($0.port) }
        method("getEscapedPath") { .string($0.escapedPath) }
        method("getQuery") { $0.query }
    }
}
