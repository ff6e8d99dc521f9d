/// IP address text read as Go's `netip.ParseAddr` reads it, which Kubernetes' `ip()`, `cidr()` and
/// (for a bracketed host) Go's URL parser use: dotted IPv4 without leading zeros, or IPv6 with at most
/// four hex digits a group, one `::`, an optional dotted IPv4 tail and an optional `%zone`. Reads
/// UTF-8 bytes; no sign, space or other spelling is accepted.
enum NetIPParser {
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// An address that parsed: 4 bytes (IPv4) or 16 (IPv6), and whether a `%zone` followed it.
    struct Address {
        var bytes: [UInt8]
        var hasZone: Bool

        var isIPv4: Bool { bytes.count == 4 }

        /// An IPv6 address in `::ffff:0:0/96`, however written (`::ffff:1.2.3.4`, `::ffff:102:304`,
        /// `0:0:0:0:0:ffff:102:304`): Go's `Is4In6`, which Kubernetes refuses.
        var isIPv4Mapped: Bool {
            bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        }
    }

    /// The address `text` spells, or nil. The first `.`, `:` or `%` decides the form, as in Go.
    static func parse(_ text: Bytes) -> Address? {
        for byte in text {
            switch byte {
            case UInt8(ascii: "."): return parseIPv4(text).map { Address(bytes: $0, hasZone: false) }
            case UInt8(ascii: ":"): return parseIPv6(text)
            case UInt8(ascii: "%"): return nil
            default: continue
            }
        }
        return nil
    }

    /// Four decimal fields of at most 255 separated by dots, none with a leading zero.
    static func parseIPv4(_ text: Bytes) -> [UInt8]? {
        var fields: [UInt8] = []
        var value = 0
        var digits = 0
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard digits == 0 || value != 0 else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                guard value <= 255 else { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, fields.count < 3 else { return nil }
                fields.append(UInt8(value))
                value = 0
                digits = 0
            default:
                return nil
            }
        }
        guard digits > 0, fields.count == 3 else { return nil }
        return fields + [UInt8(value)]
    }

    /// Groups of one to four hex digits separated by colons, with at most one `::` standing for one or
    /// more zero groups; the last 32 bits may be written as dotted IPv4; a non-empty zone may follow
    /// `%`.
    static func parseIPv6(_ text: Bytes) -> Address? {
        var rest = text
        var hasZone = false
        if let percent = rest.firstIndex(of: UInt8(ascii: "%")) {
            guard percent + 1 < rest.endIndex else { return nil }
            hasZone = true
            rest = rest[..<percent]
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        var ellipsis: Int?
        if rest.starts(with: "::".utf8) {
            ellipsis = 0
            rest = rest.dropFirst(2)
            if rest.isEmpty { return Address(bytes: bytes, hasZone: hasZone) }
        }
        var filled = 0
        while filled < 16 {
            var group: UInt16 = 0
            var end = rest.startIndex
            while end < rest.endIndex, let digit = hexValue(rest[end]) {
                guard end - rest.startIndex < 4 else { return nil }
                group = group << 4 | UInt16(digit)
                end += 1
            }
            guard end > rest.startIndex else { return nil }
            if end < rest.endIndex, rest[end] == UInt8(ascii: ".") {
                // The group was the start of a dotted IPv4 tail: it fills the last four bytes.
                guard ellipsis != nil || filled == 12, filled + 4 <= 16, let ipv4 = parseIPv4(rest) else { return nil }
                bytes.replaceSubrange(filled..<(filled + 4), with: ipv4)
                filled += 4
                rest = rest[rest.endIndex...]
                break
            }
            bytes[filled] = UInt8(group >> 8)
            bytes[filled + 1] = UInt8(group & 0xff)
            filled += 2
            rest = rest[end...]
            if rest.isEmpty { break }
            guard rest.first == UInt8(ascii: ":"), rest.count > 1 else { return nil }
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: ":") {
                guard ellipsis == nil else { return nil }
                ellipsis = filled
                rest = rest.dropFirst()
                if rest.isEmpty { break }
            }
        }
        guard rest.isEmpty else { return nil }
        if filled < 16 {
            guard let ellipsis else { return nil }
            bytes = Array(bytes[..<ellipsis]) + Array(repeating: 0, count: 16 - filled) + bytes[ellipsis..<filled]
        } else if ellipsis != nil {
            return nil
        }
        return Address(bytes: bytes, hasZone: hasZone)
    }

    /// The value of an ASCII hex digit.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
