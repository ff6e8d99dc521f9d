/// A URL as Go's `net/url` reads it (current Go: `url.ParseRequestURI` for `isURL()` and `url()`,
/// `url.Parse` for what the accessors return), read from UTF-8 bytes. Only the parts the Kubernetes
/// URL library exposes are kept; the others are checked as Go checks them and dropped.
struct GoURL {
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// Lowercased; empty for a path without a scheme.
    var scheme: String
    /// Go's `URL.Host`: the host name unescaped, with its port; an IPv6 literal in brackets.
    var host: [UInt8]
    /// The path as written (still escaped); empty for an opaque URL (`mailto:x`).
    var rawPath: [UInt8]
    /// After the first `?`, without it (and without a fragment when read by ``parseReference(_:)``).
    var rawQuery: [UInt8]

    /// Go's `url.ParseRequestURI`: an absolute URI or an absolute path, `#` being an ordinary byte.
    static func parseRequestURI(_ text: Bytes) -> GoURL? { parse(text, viaRequest: true) }

    /// Go's `url.Parse`: any URI reference; what follows the first `#` is a fragment, which must be
    /// validly escaped and is then dropped. A reference starting with `//` has a host even without a
    /// scheme (`//evil.com/x`).
    static func parseReference(_ text: Bytes) -> GoURL? {
        guard let hash = text.firstIndex(of: UInt8(ascii: "#")) else { return parse(text, viaRequest: false) }
        guard isValidlyEscaped(text[(hash + 1)...]) else { return nil }
        return parse(text[..<hash], viaRequest: false)
    }

    /// Go's `parse(rawURL, viaRequest)`.
    private static func parse(_ text: Bytes, viaRequest: Bool) -> GoURL? {
        guard !text.contains(where: { $0 < 0x20 || $0 == 0x7f }), !(viaRequest && text.isEmpty) else { return nil }
        if text.elementsEqual("*".utf8) { return GoURL(scheme: "", host: [], rawPath: Array(text), rawQuery: []) }
        var rest = text
        var scheme = ""
        if let colon = schemeEnd(text) {
            guard colon > text.startIndex else { return nil }
            scheme = String(decoding: text[..<colon], as: UTF8.self).lowercased()
            rest = text[(colon + 1)...]
        }
        var rawQuery = rest[rest.endIndex...]
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            rawQuery = rest[(question + 1)...]
            rest = rest[..<question]
        }
        if rest.first != UInt8(ascii: "/") {
            // A scheme followed by anything but a slash is an opaque URL, unchecked and without a host.
            if !scheme.isEmpty { return GoURL(scheme: scheme, host: [], rawPath: [], rawQuery: Array(rawQuery)) }
            let firstSegment = rest.prefix { $0 != UInt8(ascii: "/") }
            guard !viaRequest, !firstSegment.contains(UInt8(ascii: ":")) else { return nil }
        }
        var host: [UInt8] = []
        if rest.starts(with: "//".utf8), !scheme.isEmpty || !viaRequest && !rest.starts(with: "///".utf8) {
            let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") }
            guard let parsedHost = parseAuthority(authority, scheme: scheme) else { return nil }
            host = parsedHost
            rest = rest[authority.endIndex...]
        }
        guard isValidlyEscaped(rest) else { return nil }
        return GoURL(scheme: scheme, host: host, rawPath: Array(rest), rawQuery: Array(rawQuery))
    }

    /// Where the `:` after a scheme (`[A-Za-z][A-Za-z0-9+.-]*`) is; nil when the text does not start
    /// with one. A colon first is returned too: Go refuses it ("missing protocol scheme").
    private static func schemeEnd(_ text: Bytes) -> Int? {
        for index in text.indices {
            switch text[index] {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if index == text.startIndex { return nil }
            case UInt8(ascii: ":"):
                return index
            default:
                return nil
            }
        }
        return nil
    }

    /// `[userinfo@]host[:port]`, split at the last `@`: the host as ``parseHost(_:scheme:)`` reads it,
    /// the user information only checked. Its bytes are those RFC 3986 allows there, and `@` (so
    /// `api.openai.com#@inference.svc` is no URL: `#` may not be in a user name).
    private static func parseAuthority(_ authority: Bytes, scheme: String) -> [UInt8]? {
        guard let at = authority.lastIndex(of: UInt8(ascii: "@")) else { return parseHost(authority, scheme: scheme) }
        let userinfo = authority[..<at]
        guard userinfo.allSatisfy(isUserinfoByte), isValidlyEscaped(userinfo) else { return nil }
        return parseHost(authority[(at + 1)...], scheme: scheme)
    }

    /// Go's `parseHost`. Brackets are allowed only around a whole host name at the start, which must
    /// then be an IPv6 address (possibly IPv4-mapped, possibly with a `%25`-escaped zone), not IPv4 or
    /// a name. Without brackets, the port is what follows the first colon for http and https (a
    /// second colon makes the URL invalid) and the last colon for other schemes; a port is digits.
    /// Other bytes are those a host may hold, escapes only for non-ASCII bytes and `%25`.
    private static func parseHost(_ host: Bytes, scheme: String) -> [UInt8]? {
        if let open = host.lastIndex(of: UInt8(ascii: "[")) {
            guard open == host.startIndex, let close = host.lastIndex(of: UInt8(ascii: "]")) else { return nil }
            let port = host[(close + 1)...]
            guard isValidOptionalPort(port) else { return nil }
            let name = host[(open + 1)..<close]
            let zone = firstIndex(of: "%25", in: name) ?? name.endIndex
            guard let address = unescape(name[..<zone], .host), let zoneName = unescape(name[zone...], .zone) else { return nil }
            let unescaped = address + zoneName
            let parsed = unescaped.withUnsafeBufferPointer { NetIPParser.parse($0[...]) }
            guard let parsed, !parsed.isIPv4 else { return nil }
            return [UInt8(ascii: "[")] + unescaped + [UInt8(ascii: "]")] + port
        }
        if let firstColon = host.firstIndex(of: UInt8(ascii: ":")) {
            let strictColons = scheme == "http" || scheme == "https"
            let colon = strictColons ? firstColon : host.lastIndex(of: UInt8(ascii: ":")) ?? firstColon
            guard isValidOptionalPort(host[colon...]) else { return nil }
        }
        return unescape(host, .host)
    }

    /// Empty, or a colon and decimal digits (possibly none).
    static func isValidOptionalPort(_ port: some Collection<UInt8>) -> Bool {
        guard let colon = port.first else { return true }
        return colon == UInt8(ascii: ":") && port.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isUserinfoByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || isByte(byte, in: "-._:~!$&'()*+,;=%@")
    }

    /// Whether `byte` is one of the ASCII characters of `set` (a literal: this runs per byte of
    /// every URL, where `String.UTF8View.contains` cost a hundred instructions a call).
    private static func isByte(_ byte: UInt8, in set: StaticString) -> Bool {
        set.withUTF8Buffer { $0.contains(byte) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: false
        }
    }

    /// Whether an ASCII byte may stand unescaped in a host (Go's `shouldEscape` for hosts): letters,
    /// digits, `-._~`, the sub-delimiters, and `:[]<>"`, which Go leaves to the host parser.
    private static func isHostByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || isByte(byte, in: "-_.~!$&'()*+,;=:[]<>\"")
    }

    /// How ``unescape(_:_:)`` reads a part of a URL.
    enum Part {
        /// A path, user information or fragment: every `%` starts a valid escape.
        case path
        /// A host name: only host bytes and non-ASCII bytes, escapes only of non-ASCII bytes and `%25`.
        case host
        /// An IPv6 zone (from its `%25` on): host bytes, escapes only of host bytes, a space and `%`.
        case zone
        /// A query key or value: `+` is a space.
        case queryComponent
    }

    /// Whether every `%` of a path, user information or fragment starts an escape (`unescape(_:_:)`
    /// with `.path` succeeds), without making the bytes it stands for.
    static func isValidlyEscaped(_ text: Bytes) -> Bool {
        var rest = text
        while let percent = rest.firstIndex(of: UInt8(ascii: "%")) {
            guard percent + 2 < rest.endIndex, NetIPParser.hexValue(rest[percent + 1]) != nil,
                  NetIPParser.hexValue(rest[percent + 2]) != nil else { return false }
            rest = rest[(percent + 3)...]
        }
        return true
    }

    /// Go's `unescape`: the bytes `text` stands for, or nil when an escape is not `%` and two hex
    /// digits or a byte is not allowed in `part`.
    static func unescape(_ text: some Collection<UInt8>, _ part: Part) -> [UInt8]? {
        // Most parts hold no escape: checked in one pass and copied whole.
        if !text.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") && part == .queryComponent }) {
            let isHostLike = part == .host || part == .zone
            return isHostLike && text.contains(where: { $0 < 0x80 && !isHostByte($0) }) ? nil : Array(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var rest = text[...]
        while let byte = rest.popFirst() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = rest.popFirst().flatMap(NetIPParser.hexValue), let low = rest.popFirst().flatMap(NetIPParser.hexValue) else { return nil }
                let value = high << 4 | low
                let isPercent = value == UInt8(ascii: "%")
                switch part {
                case .host: guard value >= 0x80 || isPercent else { return nil }
                case .zone: guard isPercent || value == UInt8(ascii: " ") || value < 0x80 && isHostByte(value) else { return nil }
                case .path, .queryComponent: break
                }
                out.append(value)
            case UInt8(ascii: "+") where part == .queryComponent:
                out.append(UInt8(ascii: " "))
            default:
                if part == .host || part == .zone, byte < 0x80, !isHostByte(byte) { return nil }
                out.append(byte)
            }
        }
        return out
    }

    /// Go's `URL.EscapedPath`: the path as written when every byte of it may stand in a path
    /// unescaped (or is part of an escape), otherwise the unescaped path escaped again.
    static func escapedPath(_ rawPath: [UInt8]) -> String {
        let isValidlyEncoded = rawPath.allSatisfy { byte in
            isByte(byte, in: "!$&'()*+,;=:@[]%") || !mustEscapeInPath(byte)
        }
        if isValidlyEncoded { return String(decoding: rawPath, as: UTF8.self) }
        var out = ""
        for byte in unescape(rawPath, .path) ?? rawPath {
            if mustEscapeInPath(byte) {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xf, radix: 16, uppercase: true)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    /// Go's `shouldEscape` for paths: all but letters, digits, `-_.~` and `$&+,/:;=@`.
    private static func mustEscapeInPath(_ byte: UInt8) -> Bool {
        !(isAlphanumeric(byte) || isByte(byte, in: "-_.~$&+,/:;=@"))
    }

    /// Go's `url.ParseQuery`, errors dropped as `URL.Query()` drops them: `&`-separated pairs, split at
    /// the first `=`, keys and values unescaped with `+` as a space; a pair holding `;` or a bad escape
    /// is left out.
    static func queryPairs(_ rawQuery: [UInt8]) -> [(key: [UInt8], value: [UInt8])] {
        rawQuery.split(separator: UInt8(ascii: "&")).compactMap { pair in
            guard !pair.contains(UInt8(ascii: ";")) else { return nil }
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let value = equals == pair.endIndex ? pair[equals...] : pair[(equals + 1)...]
            guard let key = unescape(pair[..<equals], .queryComponent), let value = unescape(value, .queryComponent) else { return nil }
            return (key, value)
        }
    }

    /// Go's `splitHostPort`: the host name and port of a host (``host``), the port being what follows
    /// the last colon when that is digits; brackets around the name are removed.
    static func splitHostPort(_ host: [UInt8]) -> (name: ArraySlice<UInt8>, port: ArraySlice<UInt8>) {
        var name = host[...]
        var port = host[host.endIndex...]
        if let colon = host.lastIndex(of: UInt8(ascii: ":")), isValidOptionalPort(host[colon...]) {
            name = host[..<colon]
            port = host[(colon + 1)...]
        }
        if name.first == UInt8(ascii: "["), name.last == UInt8(ascii: "]") { name = name.dropFirst().dropLast() }
        return (name, port)
    }

    private static func firstIndex(of needle: String, in text: Bytes) -> Int? {
        text.indices.first { text[$0...].starts(with: needle.utf8) }
    }
}
