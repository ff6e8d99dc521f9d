/// An IP address value (`net.IP`), IPv4 (4 bytes) or IPv6 (16 bytes).
public struct CELIPAddress: CELOpaqueValue, CELStringConvertible, Hashable {
    /// Address bytes: 4 for IPv4, 16 for IPv6 (IPv4-mapped IPv6 is stored as IPv4).
    public let bytes: [UInt8]

    public var celTypeName: String { "net.IP" }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? CELIPAddress) == self }
    public func compare(to other: any CELOpaqueValue) -> Int? {
        guard let o = other as? CELIPAddress, o.bytes.count == bytes.count else { return nil }
        return bytes.lexicographicallyPrecedes(o.bytes) ? -1 : (bytes == o.bytes ? 0 : 1)
    }

    var isV4: Bool { bytes.count == 4 }

    /// Parses an IP address the way the Kubernetes / cel-go network library does.
    public static func parse(_ s: String) -> Result<CELIPAddress, CELEvalError> {
        if let bytes = bytes(of: s) { return .success(CELIPAddress(bytes: bytes)) }
        if s.utf8.contains(UInt8(ascii: "%")) { return .failure(CELEvalError("IP Address with zone value is not allowed")) }
        if s.utf8.contains(UInt8(ascii: ":")) && s.utf8.contains(UInt8(ascii: ".")) {
            return .failure(CELEvalError("IPv4-mapped IPv6 address is not allowed"))
        }
        return .failure(CELEvalError("IP Address '\(s)' parse error during conversion from string"))
    }

    /// The bytes of the address `s`, or nil when `parse` refuses it (`isIP` asks this, without
    /// making the error). Searches bytes: `String.contains` of a string goes through Foundation.
    static func bytes(of s: String) -> [UInt8]? {
        let utf8 = s.utf8
        if utf8.contains(UInt8(ascii: "%")) { return nil }
        guard utf8.contains(UInt8(ascii: ":")) else { return parseV4(s) }
        guard !utf8.contains(UInt8(ascii: ".")), let bytes = parseV6(s) else { return nil }
        let isMappedIPv4 = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        return isMappedIPv4 ? Array(bytes[12...]) : bytes
    }

    /// Four decimal numbers up to 255 without leading zeros, separated by dots.
    static func parseV4(_ s: String) -> [UInt8]? {
        // Most strings asked about are host names: a byte that cannot be there ends it at once.
        guard s.utf8.count <= 15, s.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        var out: [UInt8] = []
        for part in s.utf8.split(separator: UInt8(ascii: "."), maxSplits: 4, omittingEmptySubsequences: false) {
            guard out.count < 4, (1...3).contains(part.count), part.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                part.count == 1 || part.first != UInt8(ascii: "0")
            else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            out.append(UInt8(value))
        }
        return out.count == 4 ? out : nil
    }

    static func parseV6(_ s: String) -> [UInt8]? {
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for g in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        let halves = s.components(separatedBy: "::")
        var words: [UInt16]
        if halves.count == 1 {
            guard let w = groups(Substring(s)), w.count == 8 else { return nil }
            words = w
        } else if halves.count == 2 {
            guard let a = groups(Substring(halves[0])), let b = groups(Substring(halves[1])), a.count + b.count <= 7 else {
                return nil
            }
            words = a + Array(repeating: 0, count: 8 - a.count - b.count) + b
        } else {
            return nil
        }
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

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

    /// Parses `addr/len`.
    public static func parse(_ s: String) -> Result<CELCIDR, CELEvalError> {
        if s.utf8.contains(UInt8(ascii: "%")) { return .failure(CELEvalError("CIDR with zone value is not allowed")) }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        let err = CELEvalError("network address parse error during conversion from string: '\(s)'")
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let len = Int(parts[1])
        else { return .failure(err) }
        switch CELIPAddress.parse(String(parts[0])) {
        case .failure(let e):
            if e.message.contains("IPv4-mapped") { return .failure(e) }
            return .failure(err)
        case .success(let ip):
            guard len <= ip.bytes.count * 8 else { return .failure(err) }
            return .success(CELCIDR(address: ip, prefixLength: len))
        }
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
            return .bool(CELIPAddress.bytes(of: s) != nil)
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
