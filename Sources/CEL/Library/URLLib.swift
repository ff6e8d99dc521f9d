/// A URL value (`kubernetes.URL`), read as Kubernetes reads it: a text Go's `url.ParseRequestURI`
/// accepts (an absolute URI or an absolute path), its parts as Go's `url.Parse` reads them (see
/// ``GoURL``), so a fragment is not part of the path or query and `//host/path` has a host.
public struct CELURL: CELOpaqueValue, CELStringConvertible, Hashable {
    /// Lowercased; empty for a path without a scheme.
    public let scheme: String
    /// Host including the port, unescaped (Go's `URL.Host`); IPv6 literals in brackets.
    public let host: String
    /// The host without the port and an IPv6 literal's brackets (`getHostname()`).
    let hostname: String
    /// The path escaped as Go's `URL.EscapedPath` escapes it.
    public let escapedPath: String
    /// Query string after `?` (without it and without a fragment), still escaped.
    public let rawQuery: String
    public let text: String

    public var celTypeName: String { "kubernetes.URL" }
    public var celStringValue: String { text }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? CELURL) == self }
    public func compare(to other: any CELOpaqueValue) -> Int? { nil }

    /// Why a text is not a URL `url()` returns.
    enum Rejection: Error {
        /// Not an absolute URI or absolute path: `isURL` is false.
        case notRequestURI
        /// `url.ParseRequestURI` accepts it but `url.Parse` does not (a bad escape in the fragment,
        /// a bad host after `//` without a scheme): `isURL` is true and `url()` an error, as in
        /// Kubernetes.
        case notReference
        /// Its host unescapes to bytes that are not UTF-8, which a string cannot hold as Go holds
        /// them: `isURL` is false, rather than a host other than the one Go would connect to.
        case unreadableHost

        /// Whether `isURL` is true of a text rejected so.
        var isURL: Bool { self == .notReference }
    }

    /// Reads `s` as Kubernetes' `url()` does.
    static func read(_ s: String) -> Result<CELURL, Rejection> {
        var text = s
        return text.withUTF8 { bytes in
            goURL(bytes).map { url in
                CELURL(
                    scheme: url.scheme, host: String(decoding: url.host, as: UTF8.self),
                    hostname: String(decoding: GoURL.splitHostPort(url.host).name, as: UTF8.self), escapedPath: GoURL.escapedPath(url.rawPath),
                    rawQuery: String(decoding: url.rawQuery, as: UTF8.self), text: s)
            }
        }
    }

    /// What Go's `url.Parse` reads in a text `url.ParseRequestURI` accepts.
    private static func goURL(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<GoURL, Rejection> {
        guard let request = try? GoURL.parseRequestURI(bytes[...]) else { return .failure(.notRequestURI) }
        // With a scheme and no fragment, url.Parse reads the text as url.ParseRequestURI does.
        let reference = !request.scheme.isEmpty && !bytes.contains(UInt8(ascii: "#")) ? request : GoURL.parseReference(bytes[...])
        guard let url = reference else { return .failure(.notReference) }
        guard url.host.allSatisfy({ $0 < 0x80 }) || String(validating: url.host, as: UTF8.self) != nil else { return .failure(.unreadableHost) }
        return .success(url)
    }

    var port: String { String(decoding: GoURL.splitHostPort(Array(host.utf8)).port, as: UTF8.self) }

    /// The query's keys, each with its values in order, keys in the order they first appear. A key
    /// or value that unescapes to bytes that are not UTF-8 holds U+FFFD in their place.
    var query: CELValue {
        var keys: [CELValue] = []
        var values: [CELMapKey: [CELValue]] = [:]
        for (rawKey, rawValue) in GoURL.queryPairs(Array(rawQuery.utf8)) {
            let key = String(decoding: rawKey, as: UTF8.self)
            if values[.string(key)] == nil { keys.append(.string(key)) }
            values[.string(key), default: []].append(.string(String(decoding: rawValue, as: UTF8.self)))
        }
        var dict: [CELMapKey: CELValue] = [:]
        for (k, v) in values { dict[k] = .list(CELList(v)) }
        return .map(CELMap(uncheckedKeys: keys, values: dict))
    }
}

/// The Kubernetes URL library: `url()`, `isURL()` and the URL accessors.
enum URLLib {
    /// What `url()` and `isURL()` give for a text, from one parse.
    private struct Reading {
        let url: CELValue
        let isURL: Bool
    }

    /// Rules read an address with `isURL()` and then `url()`, and several rules read each address.
    private static let readings = RecentResults<Reading>()

    private static func reading(_ s: String) -> Reading {
        readings.value(of: s) { s in
            switch CELURL.read(s) {
            case .success(let u): Reading(url: .opaque(u), isURL: true)
            case .failure(let rejection): Reading(url: .err("URL parse error during conversion from string: \(s)"), isURL: rejection.isURL)
            }
        }
    }

    static func register(_ t: inout FunctionTable) {
        t.addGlobal("url", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("url", a) }
            return reading(s).url
        }
        t.addGlobal("isURL", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("isURL", a) }
            return .bool(reading(s).isURL)
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
