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

    /// Why Go's parser refuses a text: its error's message, without the `parse "TEXT": ` before it.
    struct ParseError: Error {
        let reason: String
    }

    /// Go's `url.ParseRequestURI`: an absolute URI or an absolute path, `#` being an ordinary byte.
    static func parseRequestURI(_ text: Bytes) throws(ParseError) -> GoURL { try parse(text, viaRequest: true) }

    /// Go's `url.Parse`: any URI reference; what follows the first `#` is a fragment, which must be
    /// validly escaped and is then dropped. A reference starting with `//` has a host even without a
    /// scheme (`//evil.com/x`).
    static func parseReference(_ text: Bytes) -> GoURL? {
        guard let hash = text.firstIndex(of: UInt8(ascii: "#")) else { return try? parse(text, viaRequest: false) }
        guard isValidlyEscaped(text[(hash + 1)...]) else { return nil }
        return try? parse(text[..<hash], viaRequest: false)
    }

    /// Go's `parse(rawURL, viaRequest)`.
    private static func parse(_ text: Bytes, viaRequest: Bool) throws(ParseError) -> GoURL {
        guard !text.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { throw ParseError(reason: "net/url: invalid control character in URL") }
        guard !(viaRequest && text.isEmpty) else { throw ParseError(reason: "empty url") }
        if text.elementsEqual("*".utf8) { return GoURL(scheme: "", host: [], rawPath: Array(text), rawQuery: []) }
        var rest = text
        var scheme = ""
        if let colon = schemeEnd(text) {
            guard colon > text.startIndex else { throw ParseError(reason: "missing protocol scheme") }
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
            guard !viaRequest else { throw ParseError(reason: "invalid URI for request") }
            let firstSegment = rest.prefix { $0 != UInt8(ascii: "/") }
            guard !firstSegment.contains(UInt8(ascii: ":")) else { throw ParseError(reason: "first path segment in URL cannot contain colon") }
        }
        var host: [UInt8] = []
        if rest.starts(with: "//".utf8), !scheme.isEmpty || !viaRequest && !rest.starts(with: "///".utf8) {
            let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") }
            host = try parseAuthority(authority, scheme: scheme)
            rest = rest[authority.endIndex...]
        }
        try checkEscapes(rest)
        return GoURL(scheme: scheme, host: host, rawPath: Array(rest), rawQuery: Array(rawQuery))
    }

    /// Where the `:` after a scheme (`[A-Za-z][A-Za-z0-9+.-]*`) is; nil when the text does not start
    /// with one. A colon first is returned too: Go refuses it ("missing protocol scheme").
    private static func schemeEnd(_ text: Bytes) -> Int? {
        // A range of the bounds rather than `text.indices`, which is not specialized for a slice:
        // a call into the runtime's generic code, dearer than the loop.
        for index in text.startIndex..<text.endIndex {
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
    /// `api.openai.com#@inference.svc` is no URL: `#` may not be in a user name). The host is read
    /// first, as Go reads it, so that a text wrong in both places gets Go's error.
    private static func parseAuthority(_ authority: Bytes, scheme: String) throws(ParseError) -> [UInt8] {
        guard let at = authority.lastIndex(of: UInt8(ascii: "@")) else { return try parseHost(authority, scheme: scheme) }
        let host = try parseHost(authority[(at + 1)...], scheme: scheme)
        let userinfo = authority[..<at]
        guard userinfo.allSatisfy(isUserinfoByte) else { throw ParseError(reason: "net/url: invalid userinfo") }
        try checkEscapes(userinfo)
        return host
    }

    /// Go's `parseHost`. Brackets are allowed only around a whole host name at the start, which must
    /// then be an IPv6 address (possibly IPv4-mapped, possibly with a `%25`-escaped zone), not IPv4 or
    /// a name. Without brackets, the port is what follows the first colon for http and https (a
    /// second colon makes the URL invalid) and the last colon for other schemes; a port is digits.
    /// Other bytes are those a host may hold, escapes only for non-ASCII bytes and `%25`.
    private static func parseHost(_ host: Bytes, scheme: String) throws(ParseError) -> [UInt8] {
        if let open = host.lastIndex(of: UInt8(ascii: "[")) {
            guard let close = host.lastIndex(of: UInt8(ascii: "]")) else { throw ParseError(reason: "missing ']' in host") }
            guard open == host.startIndex else { throw ParseError(reason: "unexpected '[' in host") }
            let port = host[(close + 1)...]
            try checkPort(port)
            let name = host[(open + 1)..<close]
            let zone = firstIndex(of: "%25", in: name) ?? name.endIndex
            let unescaped = try unescape(name[..<zone], .host) + unescape(name[zone...], .zone)
            let parsed = unescaped.withUnsafeBufferPointer { NetIPParser.parse($0[...]) }
            guard let parsed, !parsed.isIPv4 else {
                throw ParseError(reason: "invalid IP-literal \(goQuoted(host[open...close])) in host")
            }
            return [UInt8(ascii: "[")] + unescaped + [UInt8(ascii: "]")] + port
        }
        if let firstColon = host.firstIndex(of: UInt8(ascii: ":")) {
            let strictColons = scheme == "http" || scheme == "https"
            let colon = strictColons ? firstColon : host.lastIndex(of: UInt8(ascii: ":")) ?? firstColon
            try checkPort(host[colon...])
        }
        return try unescape(host, .host)
    }

    private static func checkPort(_ port: Bytes) throws(ParseError) {
        guard isValidOptionalPort(port) else {
            throw ParseError(reason: "invalid port \(goQuoted(port)) after host")
        }
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
        firstBadEscape(in: text) == nil
    }

    /// ``isValidlyEscaped(_:)``, refusing the first bad escape as Go does.
    private static func checkEscapes(_ text: Bytes) throws(ParseError) {
        if let escape = firstBadEscape(in: text) { throw badEscape(escape) }
    }

    private static func firstBadEscape(in text: Bytes) -> Bytes? {
        var rest = text
        while let percent = rest.firstIndex(of: UInt8(ascii: "%")) {
            guard percent + 2 < rest.endIndex, NetIPParser.hexValue(rest[percent + 1]) != nil,
                  NetIPParser.hexValue(rest[percent + 2]) != nil else { return rest[percent...].prefix(3) }
            rest = rest[(percent + 3)...]
        }
        return nil
    }

    /// Go's `unescape`: the bytes `text` stands for; an error, worded as Go's, when an escape is not
    /// `%` and two hex digits or a byte is not allowed in `part`.
    static func unescape<Text: Collection<UInt8>>(_ text: Text, _ part: Part) throws(ParseError) -> [UInt8] {
        let isHostLike = part == .host || part == .zone
        // Most parts hold no escape: checked in one pass and copied whole.
        if !text.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") && part == .queryComponent }) {
            if isHostLike, let byte = text.first(where: { $0 < 0x80 && !isHostByte($0) }) { throw badHostByte(byte) }
            return Array(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var rest = text[...]
        while let byte = rest.first {
            let escape = rest.prefix(3)
            rest = rest.dropFirst()
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = rest.popFirst().flatMap(NetIPParser.hexValue), let low = rest.popFirst().flatMap(NetIPParser.hexValue) else {
                    throw badEscape(escape)
                }
                let value = high << 4 | low
                let isPercent = value == UInt8(ascii: "%")
                switch part {
                case .host: guard value >= 0x80 || isPercent else { throw badEscape(escape) }
                case .zone: guard isPercent || value == UInt8(ascii: " ") || value < 0x80 && isHostByte(value) else { throw badEscape(escape) }
                case .path, .queryComponent: break
                }
                out.append(value)
            case UInt8(ascii: "+") where part == .queryComponent:
                out.append(UInt8(ascii: " "))
            default:
                if isHostLike, byte < 0x80, !isHostByte(byte) { throw badHostByte(byte) }
                out.append(byte)
            }
        }
        return out
    }

    private static func badEscape(_ escape: some Collection<UInt8>) -> ParseError {
        ParseError(reason: "invalid URL escape " + goQuoted(escape))
    }

    private static func badHostByte(_ byte: UInt8) -> ParseError {
        ParseError(reason: "invalid character \(goQuoted([byte])) in host name")
    }

    /// Go's `strconv.Quote` of bytes: in double quotes, `"` and `\` escaped, control characters
    /// and bytes that are not UTF-8 as `\x..` (or `\n`, `\t`, ...), other characters that are not
    /// printable as `\u....`.
    static func goQuoted(_ bytes: some Collection<UInt8>) -> String {
        var out = "\""
        var rest = Array(bytes)[...]
        while let first = rest.first {
            let length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2
            guard first >= 0x80, let scalar = String(validating: rest.prefix(length), as: UTF8.self)?.unicodeScalars.first else {
                out += quotedASCII(first)
                rest = rest.dropFirst()
                continue
            }
            rest = rest.dropFirst(length)
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
                out += scalar.value > 0xFFFF ? "\\U" + hex(scalar.value, width: 8) : "\\u" + hex(scalar.value, width: 4)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An ASCII byte (or a byte that is not UTF-8) as `strconv.Quote` writes it.
    private static func quotedASCII(_ byte: UInt8) -> String {
        switch byte {
        case 0x07: "\\a"
        case 0x08: "\\b"
        case 0x0C: "\\f"
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x09: "\\t"
        case 0x0B: "\\v"
        case UInt8(ascii: "\\"): "\\\\"
        case UInt8(ascii: "\""): "\\\""
        case 0x20..<0x7F: String(UnicodeScalar(byte))
        default: "\\x" + hex(UInt32(byte), width: 2)
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Go's `URL.EscapedPath`: the path as written when every byte of it may stand in a path
    /// unescaped (or is part of an escape), otherwise the unescaped path escaped again.
    static func escapedPath(_ rawPath: [UInt8]) -> String {
        let isValidlyEncoded = rawPath.allSatisfy { byte in
            isByte(byte, in: "!$&'()*+,;=:@[]%") || !mustEscapeInPath(byte)
        }
        if isValidlyEncoded { return String(decoding: rawPath, as: UTF8.self) }
        var out = ""
        for byte in (try? unescape(rawPath, .path)) ?? rawPath {
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
            guard let key = try? unescape(pair[..<equals], .queryComponent), let value = try? unescape(value, .queryComponent) else { return nil }
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
        (text.startIndex..<text.endIndex).first { text[$0...].starts(with: needle.utf8) }
    }
}
