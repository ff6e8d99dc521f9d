import Crypto

/// A SHA-256 digest computed earlier (while streaming) and kept as hex, usable wherever
/// swift-crypto takes a `Digest`, so a multi-GiB blob is never hashed twice.
struct HexSHA256Digest: Digest {
    static var byteCount: Int { 32 }

    private let bytes: [UInt8]

    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.value(digits[index]), let low = Self.value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: return digit - 48
        case 97...102: return digit - 87
        case 65...70: return digit - 55
        default: return nil
        }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    var description: String { "SHA256 digest: " + Hex.string(bytes) }
}
