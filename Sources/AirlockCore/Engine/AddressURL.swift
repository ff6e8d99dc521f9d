import CEL

/// `addressURL(text)`: the URL that a value configured as an address (an environment value, a
/// model endpoint) is read as, so that rules read JDBC URLs and `host:port` values alike before
/// `url()` parses them.
enum AddressURL {
    static let functions = [
        CELFunction(name: "addressURL", kind: .global, arity: 1) { args in
            guard case .string(let text) = args[0] else { return .err("addressURL(text) takes a string, not a \(args[0].celType.name)") }
            return .string(url(of: text))
        }
    ]

    /// A JDBC URL (`jdbc:` in any case) without its `jdbc:` and without what follows its first `;`
    /// (`jdbc:sqlserver://db:1433;databaseName=x` is `sqlserver://db:1433`); a text that starts
    /// with a scheme and `://` (a letter, then letters, digits, `+`, `.` and `-`) as it is; any
    /// other text, such as `host[:port][/path]`, behind the placeholder scheme `x://`.
    static func url(of text: String) -> String {
        let bytes = text.utf8
        if hasJDBCPrefix(bytes) {
            let rest = bytes.dropFirst(jdbcPrefix.count)
            return String(Substring(bytes[rest.startIndex..<(rest.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex)]))
        }
        return startsWithScheme(bytes) ? text : "x://" + text
    }

    private static let jdbcPrefix = Array("jdbc:".utf8)

    private static func hasJDBCPrefix(_ bytes: String.UTF8View) -> Bool {
        var index = bytes.startIndex
        for expected in jdbcPrefix {
            guard index != bytes.endIndex, bytes[index] | (isLetter(bytes[index]) ? 0x20 : 0) == expected else { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    /// Whether `bytes` start with a URL scheme (an ASCII letter, then letters, digits, `+`, `.`
    /// and `-`) followed by `://`.
    private static func startsWithScheme(_ bytes: String.UTF8View) -> Bool {
        guard let first = bytes.first, isLetter(first) else { return false }
        var index = bytes.index(after: bytes.startIndex)
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            else { break }
            index = bytes.index(after: index)
        }
        return bytes[index...].starts(with: "://".utf8)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
