import CEL

/// `serviceNamespaces(text)`: the namespaces that cluster-local service addresses in a text name
/// (`http://model.team-b.svc:8000/v1`, `db.team-b.svc.cluster.local`), so that a policy can
/// look each one up in the inventory instead of matching text against every namespace.
enum ServiceAddresses {
    static let functions = [
        CELFunction(name: "serviceNamespaces", kind: .global, arity: 1, resultType: .list(.string)) { args in
            guard case .string(let text) = args[0] else { return .err("serviceNamespaces(text) takes a string") }
            return .list(CELList(namespaces(in: text).map(CELValue.string)))
        }
    ]

    /// Every `<namespace>` of `<service>.<namespace>.svc` in `text` where `svc` is a whole label
    /// (the text ends, or a byte other than a letter, digit or `-` follows: `.`, `:`, `/`, `,`),
    /// in order of appearance and lower-cased: DNS ignores case, and so does this. The namespace
    /// must be a DNS label (at most 63 letters, digits and `-`, starting and ending with a letter
    /// or digit) after a dot.
    static func namespaces(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var found: [String] = []
            var index = 0
            while index + 4 <= bytes.count {
                defer { index += 1 }
                guard bytes[index] == UInt8(ascii: "."), isSVC(bytes, at: index + 1), index + 4 == bytes.count || !isLabelByte(bytes[index + 4])
                else { continue }
                var start = index
                while start > 0, isLabelByte(bytes[start - 1]) { start -= 1 }
                let label = bytes[start..<index]
                guard start > 0, bytes[start - 1] == UInt8(ascii: "."), (1...63).contains(label.count),
                    label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
                else { continue }
                found.append(String(decoding: label.map(lowercased), as: UTF8.self))
            }
            return found
        }
    }

    private static func isSVC(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        lowercased(bytes[index]) == UInt8(ascii: "s") && lowercased(bytes[index + 1]) == UInt8(ascii: "v")
            && lowercased(bytes[index + 2]) == UInt8(ascii: "c")
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
