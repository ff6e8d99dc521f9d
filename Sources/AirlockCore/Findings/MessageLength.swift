/// The bound on a finding's or an error's message. A message quotes input values (an image, a
/// regex from params) and inputs are not trusted: a 1 MB image name made a 1 MB report line per
/// rule that quoted it. A longer message keeps its start and end, which say what and why, around
/// how much was left out: `…(1046786 bytes left out)…`.
public enum MessageLength {
    /// The most UTF-8 bytes a message keeps whole.
    public static let limit = 2048
    static let keptHead = 1536
    static let keptTail = 256

    /// `message`, or its first `keptHead` and last `keptTail` bytes (cut at whole Unicode scalars)
    /// around the count of bytes left out, when it is longer than `limit`.
    public static func bounded(_ message: String) -> String {
        guard message.utf8.count > limit else { return message }
        let bytes = Array(message.utf8)
        let head = scalarStart(atOrBefore: keptHead, in: bytes)
        let tail = scalarStart(atOrBefore: bytes.count - keptTail, in: bytes)
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
