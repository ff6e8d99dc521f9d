/// An IP address value (`net.IP`), IPv4 (4 bytes) or IPv6 (16 bytes), read as Kubernetes reads it:
/// Go's `netip.ParseAddr` (see ``NetIPParser``), refusing a zone and an IPv4-mapped IPv6 address.
public struct CELIPAddress: CELOpaqueValue, CELStringConvertible, Hashable {
    /// Address bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public var celTypeName: String { "net.IP" }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? CELIPAddress) == self }
    public func compare(to other: any CELOpaqueValue) -> Int? {
        guard let o = other as? CELIPAddress, o.bytes.count == bytes.count else { return nil }
        return bytes.lexicographicallyPrecedes(o.bytes) ? -1 : (bytes == o.bytes ? 0 : 1)
    }

    var isV4: Bool { bytes.count == 4 }

    /// Why a text is not an address `ip()` accepts.
    enum Rejection: Error {
        case malformed
        case zone
        case ipv4Mapped
    }

    /// Reads `s` as Kubernetes' `ip()` does, without making an error message (`isIP` asks this).
    static func read(_ s: String) -> Result<CELIPAddress, Rejection> {
        var text = s
        return text.withUTF8 { read(address: NetIPParser.parse($0[...])) }
    }

    /// What `ip()` makes of an address as parsed: a zone is refused before the IPv4-mapped form,
    /// as in Kubernetes.
    static func read(address: NetIPParser.Address?) -> Result<CELIPAddress, Rejection> {
        guard let address else { return .failure(.malformed) }
        if address.hasZone { return .failure(.zone) }
        if address.isIPv4Mapped { return .failure(.ipv4Mapped) }
        return .success(CELIPAddress(bytes: address.bytes))
    }

    /// Parses an IP address the way the Kubernetes / cel-go network library does.
    public static func parse(_ s: String) -> Result<CELIPAddress, CELEvalError> {
        read(s).mapError { rejection in
            switch rejection {
            case .malformed: CELEvalError("IP Address '\(s)' parse error during conversion from string")
            case .zone: CELEvalError("IP Address '\(s)' with zone value is not allowed")
            case .ipv4Mapped: CELEvalError(mappedAddressMessage(s))
            }
        }
    }

    /// The error for an IPv4-mapped IPv6 address or CIDR, which Kubernetes refuses in every spelling.
    static func mappedAddressMessage(_ s: String) -> String { "IPv4-mapped IPv6 address '\(s)' is not allowed" }

    public var celStringValue: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        let words = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        // Longest run of two or more zero words is compressed (RFC 5952).
        var bestStart = -1
        var bestLen = 0
        var i = 0
        while i < 8 {
            if words[i] == 0 {
                var j = i
                while j < 8 && words[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 {
                    bestStart = i
                    bestLen = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        if bestStart < 0 { return words.map { String($0, radix: 16) }.joined(separator: ":") }
        let head = words[0..<bestStart].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = words[(bestStart + bestLen)...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }

    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    var isLoopback: Bool { isV4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1] }
    var isMulticast: Bool { isV4 ? bytes[0] & 0xf0 == 0xe0 : bytes[0] == 0xff }
    var isLinkLocalUnicast: Bool { isV4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 }
    var isLinkLocalMulticast: Bool {
        isV4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xff && bytes[1] & 0x0f == 0x02
    }
    var isGlobalUnicast: Bool {
        if isV4 && bytes == [255, 255, 255, 255] { return false }
        return !isUnspecified && !isLoopback && !isMulticast && !isLinkLocalUnicast
    }

    func masked(_ prefix: Int) -> CELIPAddress {
        var b = bytes
        for i in 0..<b.count {
            let bitsHere = max(0, min(8, prefix - i * 8))
            b[i] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsHere))
        }
        return CELIPAddress(bytes: b)
    }
}

/// A CIDR prefix value (`net.CIDR`).
public struct CELCIDR: CELOpaqueValue, CELStringConvertible, Hashable {
    /// The address as written (not masked).
    public let address: CELIPAddress
    /// Prefix length in bits.
    public let prefixLength: Int

    public var celTypeName: String { "net.CIDR" }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? CELCIDR) == self }
    public func compare(to other: any CELOpaqueValue) -> Int? { nil }
    public var celStringValue: String { "\(address.celStringValue)/\(prefixLength)" }

    /// Parses `addr/len` as Kubernetes does (Go's `netip.ParsePrefix`): the address as ``NetIPParser``
    /// reads it, without a zone, then a prefix length of decimal digits without a sign or a leading
    /// zero (`/08` is refused), at most the address's bits; an IPv4-mapped IPv6 address is refused last.
    public static func parse(_ s: String) -> Result<CELCIDR, CELEvalError> {
        var text = s
        let parsed: (address: NetIPParser.Address, length: Int)? = text.withUTF8 { bytes in
            guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")), let address = NetIPParser.parse(bytes[..<slash]),
                let length = prefixLength(bytes[(slash + 1)...]), length <= address.bytes.count * 8
            else { return nil }
            return (address, length)
        }
        let malformed = CELEvalError("network address parse error during conversion from string: '\(s)'")
        guard let parsed else { return .failure(malformed) }
        switch CELIPAddress.read(address: parsed.address) {
        case .success(let ip): return .success(CELCIDR(address: ip, prefixLength: parsed.length))
        case .failure(.zone): return .failure(CELEvalError("CIDR '\(s)' with zone value is not allowed"))
        case .failure(.ipv4Mapped): return .failure(CELEvalError(CELIPAddress.mappedAddressMessage(s)))
        case .failure(.malformed): return .failure(malformed)
        }
    }

    /// `0`, or one to three decimal digits starting with 1-9 (no prefix is longer than 128 bits).
    private static func prefixLength(_ text: NetIPParser.Bytes) -> Int? {
        guard let first = text.first, text.count <= 3, first != UInt8(ascii: "0") || text.count == 1 else { return nil }
        var value = 0
        for byte in text {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    func contains(_ ip: CELIPAddress) -> Bool {
        ip.bytes.count == address.bytes.count && ip.masked(prefixLength) == address.masked(prefixLength)
    }

    func contains(_ other: CELCIDR) -> Bool {
        other.prefixLength >= prefixLength && contains(other.address)
    }
}

/// `ip()`, `cidr()`, `isIP()`, `isCIDR()` and their methods, as in Kubernetes / cel-go.
enum NetworkLib {
    static func ipArg(_ v: CELValue) -> CELIPAddress? {
        if case .opaque(let o) = v { return o as? CELIPAddress }
        return nil
    }

    static func cidrArg(_ v: CELValue) -> CELCIDR? {
        if case .opaque(let o) = v { return o as? CELCIDR }
        return nil
    }

    static func register(_ t: inout FunctionTable) {
        t.addGlobal("ip", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("ip", a) }
            switch CELIPAddress.parse(s) {
            case .success(let ip): return .opaque(ip)
            case .failure(let e): return .error(e)
            }
        }
        t.addGlobal("isIP", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("isIP", a) }
            if case .success = CELIPAddress.read(s) { return .bool(true) }
            return .bool(false)
        }
        t.addGlobal("ip.isCanonical", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("ip.isCanonical", a) }
            switch CELIPAddress.parse(s) {
            case .success(let ip): return .bool(ip.celStringValue == s)
            case .failure(let e): return .error(e)
            }
        }
        t.addGlobal("cidr", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("cidr", a) }
            switch CELCIDR.parse(s) {
            case .success(let c): return .opaque(c)
            case .failure(let e): return .error(e)
            }
        }
        t.addGlobal("isCIDR", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("isCIDR", a) }
            if case .success = CELCIDR.parse(s) { return .bool(true) }
            return .bool(false)
        }
        func ipMethod(_ name: String, _ f: @escaping @Sendable (CELIPAddress) -> CELValue) {
            t.addReceiver(name, 1) { a in
                guard let ip = ipArg(a[0]) else { return noSuchOverload(name, a) }
                return f(ip)
            }
        }
        ipMethod("family") { .int($0.isV4 ? 4 : 6) }
        ipMethod("isUnspecified") { .bool($0.isUnspecified) }
        ipMethod("isLoopback") { .bool($0.isLoopback) }
        ipMethod("isGlobalUnicast") { .bool($0.isGlobalUnicast) }
        ipMethod("isLinkLocalMulticast") { .bool($0.isLinkLocalMulticast) }
        ipMethod("isLinkLocalUnicast") { .bool($0.isLinkLocalUnicast) }
        t.addReceiver("containsIP", 2) { a in
            guard let c = cidrArg(a[0]) else { return noSuchOverload("containsIP", a) }
            if let ip = ipArg(a[1]) { return .bool(c.contains(ip)) }
            guard case .string(let s) = a[1] else { return noSuchOverload("containsIP", a) }
            switch CELIPAddress.parse(s) {
            case .success(let ip): return .bool(c.contains(ip))
            case .failure(let e): return .error(e)
            }
        }
        t.addReceiver("containsCIDR", 2) { a in
            guard let c = cidrArg(a[0]) else { return noSuchOverload("containsCIDR", a) }
            if let o = cidrArg(a[1]) { return .bool(c.contains(o)) }
            guard case .string(let s) = a[1] else { return noSuchOverload("containsCIDR", a) }
            switch CELCIDR.parse(s) {
            case .success(let o): return .bool(c.contains(o))
            case .failure(let e): return .error(e)
            }
        }
        t.addReceiver("ip", 1) { a in
            guard let c = cidrArg(a[0]) else { return noSuchOverload("ip", a) }
            return .opaque(c.address)
        }
        t.addReceiver("masked", 1) { a in
            guard let c = cidrArg(a[0]) else { return noSuchOverload("masked", a) }
            return .opaque(CELCIDR(address: c.address.masked(c.prefixLength), prefixLength: c.prefixLength))
        }
        t.addReceiver("prefixLength", 1) { a in
            guard let c = cidrArg(a[0]) else { return noSuchOverload("prefixLength", a) }
            return .int(Int64(c.prefixLength))
        }
    }
}
