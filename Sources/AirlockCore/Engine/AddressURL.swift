import CEL

/// `addressURL(text)`: the URL that a value configured as an address (an environment value, a
/// model endpoint, a GitOps source) is read as, so that rules read JDBC URLs, Git's SSH remotes
/// and `host:port` values alike before `url()` parses them; `addressURLs(text)`: one such URL
/// per host the value names (a replica set or failover list names several).
enum AddressURL {
    static let functions = [
        CELFunction(name: "addressURL", kind: .global, arity: 1, resultType: .string) { args in
            guard case .string(let text) = args[0] else { return .err("addressURL(text) takes a string, not a \(args[0].celType.name)") }
            return .string(url(of: text))
        },
        CELFunction(name: "addressURLs", kind: .global, arity: 1, resultType: .list(.string)) { args in
            guard case .string(let text) = args[0] else { return .err("addressURLs(text) takes a string, not a \(args[0].celType.name)") }
            return recentURLs.value(of: text) { .list(CELList(urls(of: $0).map(CELValue.string))) }
        },
        CELFunction(name: "isAddressURL", kind: .global, arity: 1, resultType: .bool) { args in
            guard case .string(let text) = args[0] else { return .bool(false) }
            return .bool(isWrittenAsURL(text))
        },
    ]

    /// `addressURLs` of recently read values: each address of an object is read by several rules.
    private static let recentURLs = RecentResults<CELValue>()

    /// A JDBC URL (`jdbc:` in any case) without its `jdbc:` and without what follows its first `;`
    /// (`jdbc:sqlserver://db:1433;databaseName=x` is `sqlserver://db:1433`); an Oracle thin one
    /// (`jdbc:oracle:thin:@//db:1521/svc`, `jdbc:oracle:thin:user/pw@db:1521:SID`) as
    /// `oracle://db:1521/svc`; a text that starts with a scheme and `://` (a letter, then
    /// letters, digits, `+`, `.` and `-`) as it is; an SSH remote as Git writes it without a
    /// scheme (`git@host:org/repo.git`) as `ssh://git@host/org/repo.git`; any other text, such as
    /// `host[:port][/path]`, behind the placeholder scheme `x://`.
    ///
    /// A JDBC sub-protocol's options between the scheme and `://` are dropped:
    /// `jdbc:mysql:loadbalance://a,b/db` is `mysql://a,b/db`.
    static func url(of text: String) -> String {
        if let rest = afterJDBCPrefix(text) {
            return oracleThinURL(rest) ?? withoutSubprotocolOptions(rest.prefix { $0 != ";" })
        }
        if startsWithScheme(text.utf8) { return text }
        return sshRemoteURL(text) ?? "x://" + text
    }

    /// One URL per host that `text` names, each as `url(of:)` reads it. A URL whose authority
    /// lists several hosts, as MongoDB, libpq and MySQL Connector/J write a replica set or a
    /// failover list (`mongodb://u@a:27017,b:27017/db?replicaSet=rs`), gives one URL per host with
    /// the same scheme, user and path; Connector/J's key-value hosts (`address=(host=a)(port=1)`,
    /// `[(host=a,port=1),(host=b)]`) and an Oracle TNS descriptor
    /// (`jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=a)(PORT=1521))...)`) one per `host=`, with
    /// the `port=` that follows it. Any other text gives `[url(of: text)]`.
    static func urls(of text: String) -> [String] {
        // Most values list one host: no `,` or `(` to look into (a byte scan; String's own
        // searches cost more than the rules that read the value).
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "(") }) else { return [url(of: text)] }
        let separatedURLs = commaSeparatedURLs(text)
        if separatedURLs.count > 1 { return separatedURLs.flatMap { urls(of: String($0)) } }
        if let rest = afterJDBCPrefix(text), let descriptor = tnsDescriptor(rest) {
            return keyValueHosts(descriptor).map { "oracle://" + $0 }
        }
        let url = url(of: text)
        guard let separator = url.range(of: "://") else { return [url] }
        let afterScheme = url[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let hostsStart = authority.lastIndex(of: "@").map(authority.index(after:)) ?? authority.startIndex
        let hosts = authority[hostsStart...]
        guard hosts.contains(",") || hosts.contains("(") else { return [url] }
        let listed = hosts.contains("(") ? keyValueHosts(hosts) : hosts.split(separator: ",").map(String.init)
        return listed.map { url[..<hostsStart] + $0 + afterScheme[authorityEnd...] }
    }

    /// `text` split before each `,` that starts another URL (a scheme and `://`), as etcd's and
    /// the API server's flags list several (`--etcd-servers=https://a:2379,https://b:2379`): read
    /// as one, the first URL's authority would run into the next one's scheme (a host `https`).
    private static func commaSeparatedURLs(_ text: String) -> [Substring] {
        let bytes = text.utf8
        var parts: [Substring] = []
        var start = bytes.startIndex
        for comma in bytes.indices where bytes[comma] == UInt8(ascii: ",") {
            let next = bytes.index(after: comma)
            guard startsWithScheme(bytes[next...]) else { continue }
            parts.append(text[start..<comma])
            start = next
        }
        parts.append(text[start...])
        return parts
    }

    /// The hosts of key-value addresses, `host:port` when a `port=` follows the `host=`; a comma
    /// separated entry without `=` (`a:1,(host=b)`) is a host as written.
    private static func keyValueHosts(_ text: Substring) -> [String] {
        var hosts: [(host: Substring, port: Substring?)] = []
        for token in text.split(whereSeparator: { $0 == "(" || $0 == ")" || $0 == "," || $0 == "[" || $0 == "]" }) {
            guard let equals = token.firstIndex(of: "=") else {
                let host = trimmed(token)
                if !host.isEmpty { hosts.append((host, nil)) }
                continue
            }
            let value = trimmed(token[token.index(after: equals)...])
            switch trimmed(token[..<equals]).lowercased() {
            case "host": hosts.append((value, nil))
            case "port" where !hosts.isEmpty && hosts[hosts.count - 1].port == nil && !value.isEmpty: hosts[hosts.count - 1].port = value
            default: continue
            }
        }
        return hosts.map { entry in entry.port.map { "\(entry.host):\($0)" } ?? String(entry.host) }
    }

    /// The TNS descriptor of an Oracle thin JDBC URL without its `jdbc:`
    /// (`oracle:thin:[user/pw]@(DESCRIPTION=...)`); nil for another text.
    private static func tnsDescriptor(_ rest: Substring) -> Substring? {
        guard hasPrefixIgnoringCase(rest.utf8, "oracle:thin:"), let at = rest.firstIndex(of: "@") else { return nil }
        let descriptor = trimmed(rest[rest.index(after: at)...])
        return descriptor.hasPrefix("(") ? descriptor : nil
    }

    /// `scheme:option:...://rest` as `scheme://rest` (a JDBC sub-protocol such as
    /// `mysql:loadbalance` or `h2:tcp`); any other text as it is.
    private static func withoutSubprotocolOptions(_ rest: Substring) -> String {
        guard let separator = rest.range(of: "://") else { return String(rest) }
        let names = rest[..<separator.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
        guard names.count > 1, names.allSatisfy({ startsWithScheme(($0 + "://").utf8) }) else { return String(rest) }
        return String(names[0] + rest[separator.lowerBound...])
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
    /// scheme and `://`, after `jdbc:` or not (with a sub-protocol's options, `jdbc:mysql:loadbalance://`),
    /// or an Oracle thin JDBC URL, a TNS descriptor's included.
    static func isWrittenAsURL(_ text: String) -> Bool {
        guard let rest = afterJDBCPrefix(text) else { return startsWithScheme(text.utf8) }
        return startsWithScheme(withoutSubprotocolOptions(rest).utf8) || oracleThinURL(rest) != nil || tnsDescriptor(rest) != nil
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
    /// and `-`) followed by `://`. One index walk: every environment value is asked, and
    /// `drop(while:)` and `starts(with:)` cost about ten times as much on a string's bytes.
    private static func startsWithScheme<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        var position = bytes.startIndex
        guard position != bytes.endIndex, isLetter(bytes[position]) else { return false }
        repeat { bytes.formIndex(after: &position) } while position != bytes.endIndex && isSchemeByte(bytes[position])
        for expected in "://".utf8 {
            guard position != bytes.endIndex, bytes[position] == expected else { return false }
            bytes.formIndex(after: &position)
        }
        return true
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    private static func trimmed(_ text: Substring) -> Substring {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return text[first...last]
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
