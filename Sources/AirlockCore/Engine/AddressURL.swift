import CEL

/// `addressURL(text)`: the URL that a value configured as an address (an environment value, a
/// model endpoint, a GitOps source) is read as, so that rules read JDBC URLs, Git's SSH remotes
/// and `host:port` values alike before `url()` parses them.
enum AddressURL {
    static let functions = [
        CELFunction(name: "addressURL", kind: .global, arity: 1) { args in
            guard case .string(let text) = args[0] else { return .err("addressURL(text) takes a string, not a \(args[0].celType.name)") }
            return .string(url(of: text))
        },
        CELFunction(name: "isAddressURL", kind: .global, arity: 1) { args in
            guard case .string(let text) = args[0] else { return .bool(false) }
            return .bool(isWrittenAsURL(text))
        },
    ]

    /// A JDBC URL (`jdbc:` in any case) without its `jdbc:` and without what follows its first `;`
    /// (`jdbc:sqlserver://db:1433;databaseName=x` is `sqlserver://db:1433`); an Oracle thin one
    /// (`jdbc:oracle:thin:@//db:1521/svc`, `jdbc:oracle:thin:user/pw@db:1521:SID`) as
    /// `oracle://db:1521/svc`; a text that starts with a scheme and `://` (a letter, then
    /// letters, digits, `+`, `.` and `-`) as it is; an SSH remote as Git writes it without a
    /// scheme (`git@host:org/repo.git`) as `ssh://git@host/org/repo.git`; any other text, such as
    /// `host[:port][/path]`, behind the placeholder scheme `x://`.
    static func url(of text: String) -> String {
        if let rest = afterJDBCPrefix(text) {
            return oracleThinURL(rest) ?? String(rest.prefix { $0 != ";" })
        }
        if startsWithScheme(text.utf8) { return text }
        return sshRemoteURL(text) ?? "x://" + text
    }

    /// Git's scp-like SSH remote, `user@host:path`, as `ssh://user@host/path`: a user before the
    /// first `:`, no `/` before it, and a path after it that is not a port (`user@db:5432/x` is
    /// a `host:port` address); nil for another text. (Git also reads `host:path` without a
    /// user so, which would take every `host:port` value for a remote.)
    private static func sshRemoteURL(_ text: String) -> String? {
        guard let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/"),
              let at = text[..<colon].firstIndex(of: "@"), at > text.startIndex, text.index(after: at) < colon else { return nil }
        let path = text[text.index(after: colon)...]
        let port = path.prefix { $0 != "/" }
        let isPort = !port.isEmpty && port.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard !path.isEmpty, !isPort else { return nil }
        return "ssh://" + text[..<colon] + "/" + path
    }

    /// Whether `text` is written as a URL, the form an environment value names an address in: a
    /// scheme and `://`, after `jdbc:` or not, or an Oracle thin JDBC URL. (An Oracle TNS
    /// descriptor, `jdbc:oracle:thin:@(DESCRIPTION=...)`, is not read.)
    static func isWrittenAsURL(_ text: String) -> Bool {
        guard let rest = afterJDBCPrefix(text) else { return startsWithScheme(text.utf8) }
        return startsWithScheme(rest.utf8) || oracleThinURL(rest) != nil
    }

    /// What follows a `jdbc:` prefix in any case; nil when the text has none.
    private static func afterJDBCPrefix(_ text: String) -> Substring? {
        guard hasPrefixIgnoringCase(text.utf8, "jdbc:") else { return nil }
        return text[text.utf8.index(text.utf8.startIndex, offsetBy: 5)...]
    }

    /// An Oracle thin JDBC URL without its `jdbc:` (`oracle:thin:[user/pw]@ADDRESS`) as
    /// `oracle://HOST:PORT/SERVICE`: the address `//host:port/service` (EZConnect) or
    /// `host:port:SID`; nil for another text, and for a TNS descriptor (`@(DESCRIPTION=...)`).
    private static func oracleThinURL(_ rest: Substring) -> String? {
        guard hasPrefixIgnoringCase(rest.utf8, "oracle:thin:"), let at = rest.firstIndex(of: "@") else { return nil }
        let address = rest[rest.index(after: at)...].prefix { $0 != ";" && $0 != "?" }
        if address.hasPrefix("//") { return "oracle:" + address }
        guard let first = address.first, first.isLetter || first.isNumber || first == "[" else { return nil }
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3, !address.contains("/") { return "oracle://\(parts[0]):\(parts[1])/\(parts[2])" }
        return "oracle://" + address
    }

    /// Whether `bytes` start with a URL scheme (an ASCII letter, then letters, digits, `+`, `.`
    /// and `-`) followed by `://`.
    private static func startsWithScheme<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, isLetter(first) else { return false }
        let afterScheme = bytes.dropFirst().drop { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
        return afterScheme.starts(with: "://".utf8)
    }

    /// Whether `bytes` start with `prefix`, ASCII letters in any case.
    private static func hasPrefixIgnoringCase<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ prefix: String) -> Bool {
        bytes.count >= prefix.utf8.count && zip(bytes, prefix.utf8).allSatisfy { byte, expected in
            (isLetter(byte) ? byte | 0x20 : byte) == expected
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
