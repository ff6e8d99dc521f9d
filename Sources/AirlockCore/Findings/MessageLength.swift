/// The bound on a finding's or an error's message. A message quotes input values (an image, a
/// regex from params) and inputs are not trusted: a 1 MB image name made a 1 MB report line per
/// rule that quoted it. A longer message keeps its start and end, which say what and why, around
/// how much was left out: `…(1046786 bytes left out)…`.
public enum MessageLength {
    /// The most UTF-8 bytes a message keeps whole.
    public static let limit = 2048

    /// `message`, or, when it is longer than `limit` bytes, its first three quarters and last
    /// eighth of `limit` (1,536 and 256 bytes by default; cut at whole Unicode scalars) around
    /// the count of bytes left out.
    public static func bounded(_ message: String, limit: Int = limit) -> String {
        guard message.utf8.count > limit else { return message }
        let bytes = Array(message.utf8)
        let head = scalarStart(atOrBefore: limit * 3 / 4, in: bytes)
        let tail = scalarStart(atOrBefore: bytes.count - limit / 8, in: bytes)
        return String(decoding: bytes[..<head], as: UTF8.self) + "…(\(tail - head) bytes left out)…"
            + String(decoding: bytes[tail...], as: UTF8.self)
    }

    /// The offset of the UTF-8 sequence that holds the byte at `offset`.
    private static func scalarStart(atOrBefore offset: Int, in bytes: [UInt8]) -> Int {
        var start = offset
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return start
    }
}
