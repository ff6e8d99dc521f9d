/// Character offsets (libyaml's mark index, which leaves out a byte order mark at the start) and
/// the byte offsets they start at, in a text read forward: asked for in increasing order, the
/// offsets cost one reading of the text together.
final class CharacterCursor {
    private let text: UnsafeBufferPointer<UInt8>
    private let textStart: Int
    private var byte: Int
    private var character = 0

    init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        textStart = Self.textStart(of: text)
        byte = textStart
    }

    /// Where character offset 0 is: after a byte order mark, which libyaml skips without counting.
    static func textStart(of text: UnsafeBufferPointer<UInt8>) -> Int {
        text.count >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF ? 3 : 0
    }

    /// The byte offset at which character offset `wanted` starts.
    func byteOffset(ofCharacter wanted: Int) -> Int {
        if wanted < character { (character, byte) = (0, textStart) }
        while character < wanted && byte < text.count { step() }
        return byte
    }

    /// The character offset of byte offset `wanted` (the start of a character).
    func characterOffset(ofByte wanted: Int) -> Int {
        if wanted < byte { (character, byte) = (0, textStart) }
        while byte < wanted && byte < text.count { step() }
        return character
    }

    private func step() {
        byte += 1
        while byte < text.count && text[byte] & 0xC0 == 0x80 { byte += 1 }
        character += 1
    }
}
