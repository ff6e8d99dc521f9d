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

    /// Parses; nil when not an absolute URI or absolute path, or badly escaped.
    public static func parse(_ s: String) -> CELURL? {
        guard !s.isEmpty, !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return nil }
        var rest = Substring(s)
        var scheme = ""
        if !s.hasPrefix("/") {
            guard let colon = rest.firstIndex(of: ":") else { return nil }
            let sch = rest[..<colon]
            guard !sch.isEmpty, sch.utf8.enumerated().allSatisfy({ isSchemeChar($0.element, first: $0.offset == 0) }) else {
                return nil
            }
            scheme = sch.lowercased()
            rest = rest[rest.index(after: colon)...]
            // An opaque form like "mailto:x" is allowed only with a path-absolute or authority.
            if !rest.hasPrefix("/") { return nil }
        }
        var rawQuery = ""
        if let q = rest.firstIndex(of: "?") {
            rawQuery = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var host = ""
        if !scheme.isEmpty, rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            host = String(authority)
            if host.hasPrefix("[") {
                guard let close = host.firstIndex(of: "]") else { return nil }
                let after = host[host.index(after: close)...]
                if !after.isEmpty && !(after.hasPrefix(":") && after.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }) {
                    return nil
                }
            } else if let colon = host.lastIndex(of: ":") {
                guard host[host.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            }
        }
        guard validEscapes(rest), validEscapes(Substring(rawQuery)) else { return nil }
        return CELURL(scheme: scheme, host: host, rawPath: String(rest), rawQuery: rawQuery, text: s)
    }

    static func validEscapes(_ s: Substring) -> Bool {
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 37 {
                guard i + 2 < u.count, Lexer.isHex(Unicode.Scalar(u[i + 1])), Lexer.isHex(Unicode.Scalar(u[i + 2])) else {
                    return false
                }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }

    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    var port: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            return after.hasPrefix(":") ? String(after.dropFirst()) : ""
        }
        if let colon = host.lastIndex(of: ":") { return String(host[host.index(after: colon)...]) }
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
