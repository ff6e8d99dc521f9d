import CEL

/// `serviceNamespaces(text)`: the namespaces that cluster-local service and pod addresses in a
/// text name (`http://model.team-b.svc:8000/v1`, `db.team-b.svc.cluster.local`,
/// `10-0-0-5.team-b.pod`), so that a policy can look each one up in the inventory instead of
/// matching text against every namespace.
enum ServiceAddresses {
    static let functions = [
        CELFunction(name: "serviceNamespaces", kind: .global, arity: 1, resultType: .list(.string)) { args in
            guard case .string(let text) = args[0] else { return .err("serviceNamespaces(text) takes a string") }
            return .list(CELList(namespaces(in: text).map(CELValue.string)))
        }
    ]

    /// Every `<namespace>` of `<service>.<namespace>.svc` and of `<pod-ip>.<namespace>.pod` in
    /// `text` where `svc` or `pod` is a whole label (the text ends, or a byte other than a letter,
    /// digit or `-` follows: `.`, `:`, `/`, `,`), in order of appearance and lower-cased: DNS
    /// ignores case, and so does this. The namespace must be a DNS label (at most 63 letters,
    /// digits and `-`, starting and ending with a letter or digit) after a dot; a pod's first
    /// label must be its IP address written with dashes, as cluster DNS answers it
    /// (`10-0-0-5`, `fd00--5`).
    static func namespaces(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var found: [String] = []
            var index = 0
            while index + 4 <= bytes.count {
                defer { index += 1 }
                guard bytes[index] == UInt8(ascii: "."), index + 4 == bytes.count || !isLabelByte(bytes[index + 4]),
                      let suffix = Suffix(bytes, at: index + 1)
                else { continue }
                var start = index
                while start > 0, isLabelByte(bytes[start - 1]) { start -= 1 }
                let label = bytes[start..<index]
                guard start > 0, bytes[start - 1] == UInt8(ascii: "."), (1...63).contains(label.count),
                    label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
                else { continue }
                if suffix == .pod {
                    var podStart = start - 1
                    while podStart > 0, isLabelByte(bytes[podStart - 1]) { podStart -= 1 }
                    guard isDashedIPAddress(bytes[podStart..<(start - 1)]) else { continue }
                }
                found.append(String(decoding: label.map(lowercased), as: UTF8.self))
            }
            return found
        }
    }

    /// The label that ends a cluster-local name after its namespace.
    private enum Suffix {
        case svc, pod

        init?(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) {
            switch (lowercased(bytes[index]), lowercased(bytes[index + 1]), lowercased(bytes[index + 2])) {
            case (UInt8(ascii: "s"), UInt8(ascii: "v"), UInt8(ascii: "c")): self = .svc
            case (UInt8(ascii: "p"), UInt8(ascii: "o"), UInt8(ascii: "d")): self = .pod
            default: return nil
            }
        }
    }

    /// An IPv4 address with dashes for dots (`10-0-0-5`), or an IPv6 one with dashes for colons
    /// (`fd00--5`).
    private static func isDashedIPAddress(_ label: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let text = String(decoding: label, as: UTF8.self)
        return [".", ":"].contains { separator in
            guard case .success = CELIPAddress.parse(text.replacingOccurrences(of: "-", with: separator)) else { return false }
            return true
        }
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
