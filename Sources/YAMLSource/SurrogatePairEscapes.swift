import CYAML

/// Surrogate pairs written as two `\u` escapes (`"\ud83d\ude80"`, as JSON writers such as
/// Python's `json.dumps` write characters beyond U+FFFF), which libyaml refuses one escape at a
/// time. libyaml is given a copy of the text in which each pair is replaced, at the same length,
/// by two private-use escapes that stand for its halves (`\uE03D\uE680`), so that every position
/// stays as it was; the values of the scalars that hold a pair are then mended. A lone surrogate
/// is not a pair and stays libyaml's error.
///
/// Where the pair is text rather than an escape (a plain, single-quoted or block scalar), the
/// copy's text in the value is put back as written. A double-quoted scalar that also holds
/// characters of that private-use range cannot be told apart: that is an error, never a guess.
struct SurrogatePairEscapes {
    /// Where each pair's `\` is: byte offset and character offset (libyaml's mark index) in the
    /// text, in order.
    private var offsets: [(byte: Int, character: Int)] = []
    /// The text with every pair replaced.
    let rewritten: [UInt8]

    /// The bytes of one pair's escapes, `\uXXXX\uXXXX`.
    private static let length = 12

    /// The pairs of `text` (a whole stream part, read once however many of its documents libyaml
    /// reads), or nil when it holds none.
    init?(_ text: UnsafeBufferPointer<UInt8>) {
        var copy: [UInt8]?
        var characters = 0
        var backslashes = 0  // run of `\` just before `index`: an escape starts only after an even run
        var index = CharacterCursor.textStart(of: text)
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "\\"), backslashes % 2 == 0, let (high, low) = Self.pair(in: text, at: index) {
                offsets.append((index, characters))
                if copy == nil { copy = Array(text) }
                copy?.replaceSubrange(index..<index + Self.length, with: Self.escape(0xE000 + high - 0xD800) + Self.escape(0xE400 + low - 0xDC00))
                index += Self.length
                characters += Self.length
                backslashes = 0
                continue
            }
            backslashes = byte == UInt8(ascii: "\\") ? backslashes + 1 : 0
            if byte & 0xC0 != 0x80 { characters += 1 }
            index += 1
        }
        guard let copy else { return nil }
        rewritten = copy
    }

    /// What a scalar event of the copy stands for in the original text.
    enum ScalarValue {
        /// It holds no pair: libyaml's value is right.
        case unchanged
        /// The value with its pairs mended.
        case mended([UInt8])
        /// It also holds text of the form the copy gives pairs: the value cannot be told.
        case ambiguous
    }

    /// The message of `ScalarValue.ambiguous`.
    static let ambiguityMessage = "a double-quoted scalar with a surrogate pair escape and private-use characters U+E000 to U+E7FF (or their escapes), which airlock cannot tell apart"

    /// The value of a scalar event of the copy as the original `text` gives it, for a parser that
    /// started reading `characterBase` characters into the text.
    func value(of event: yaml_event_t, in text: UnsafeBufferPointer<UInt8>, characterBase: Int) -> ScalarValue {
        let start = characterBase + Int(event.start_mark.index)
        let end = characterBase + Int(event.end_mark.index)
        let inside = offsets[firstPair(atOrAfter: start)...].prefix { $0.character < end }
        guard !inside.isEmpty else { return .unchanged }
        let data = event.data.scalar
        let value = Array(UnsafeBufferPointer(start: data.value, count: data.value == nil ? 0 : data.length))
        if data.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE {
            guard let joined = Self.joiningHalves(value), joined.pairs == inside.count else { return .ambiguous }
            return .mended(joined.value)
        }
        // The value is the copy's text (folded): its copies of pairs, in order, are those of the
        // scalar's text, where each is a pair rewritten or text written so.
        let range = byteOffset(ofCharacter: start, in: text)..<byteOffset(ofCharacter: end, in: text)
        let pairs = Set(inside.map(\.byte))
        var written: [[UInt8]?] = []  // the original of each copy in the text, nil when it is the text's own
        var index = range.lowerBound
        while index + Self.length <= range.upperBound {
            if Self.halves(in: rewritten, at: index) != nil {
                written.append(pairs.contains(index) ? Array(text[index..<index + Self.length]) : nil)
                index += Self.length
            } else {
                index += 1
            }
        }
        guard let restored = Self.puttingBack(value, originals: written) else { return .ambiguous }
        return .mended(restored)
    }

    /// The index of the first pair at or after character offset `character`.
    private func firstPair(atOrAfter character: Int) -> Int {
        var (low, high) = (0, offsets.count)
        while low < high {
            let middle = (low + high) / 2
            if offsets[middle].character < character { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The byte offset of character offset `character` of `text`, counted from the pair before it.
    private func byteOffset(ofCharacter character: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        let before = firstPair(atOrAfter: character + 1) - 1
        var (byte, count) = before >= 0 ? offsets[before] : (0, 0)
        while count < character && byte < text.count {
            byte += 1
            while byte < text.count && text[byte] & 0xC0 == 0x80 { byte += 1 }
            count += 1
        }
        return byte
    }

    /// A decoded double-quoted value with each pair's private-use halves joined into the
    /// character they stand for; nil when other characters of that private-use range remain.
    private static func joiningHalves(_ value: [UInt8]) -> (value: [UInt8], pairs: Int)? {
        let scalars = Array(String(decoding: value, as: UTF8.self).unicodeScalars)
        var pairs = 0
        var index = 0
        var joined = String.UnicodeScalarView()
        while index < scalars.count {
            let high = scalars[index].value
            if (0xE000..<0xE400).contains(high), index + 1 < scalars.count, case let low = scalars[index + 1].value, (0xE400..<0xE800).contains(low),
               let scalar = Unicode.Scalar(0x10000 + ((high - 0xE000) << 10) + (low - 0xE400)) {
                joined.append(scalar)
                pairs += 1
                index += 2
                continue
            }
            guard !(0xE000..<0xE800).contains(high) else { return nil }
            joined.append(scalars[index])
            index += 1
        }
        return (Array(String(joined).utf8), pairs)
    }

    /// A value where the pairs are text (not escapes), with each copy of a pair in it replaced by
    /// the original in `originals` (nil: the text's own, kept); nil when their counts differ.
    private static func puttingBack(_ value: [UInt8], originals: [[UInt8]?]) -> [UInt8]? {
        var result: [UInt8] = []
        var found = 0
        var index = 0
        while index < value.count {
            if halves(in: value, at: index) != nil {
                guard found < originals.count else { return nil }
                result += originals[found] ?? Array(value[index..<index + length])
                found += 1
                index += length
                continue
            }
            result.append(value[index])
            index += 1
        }
        return found == originals.count ? result : nil
    }

    /// The high and low surrogates of `\uD8xx\uDCxx` at `index`.
    private static func pair<Text: RandomAccessCollection>(in text: Text, at index: Int) -> (high: UInt32, low: UInt32)? where Text.Element == UInt8, Text.Index == Int {
        guard let high = unicodeEscape(in: text, at: index), (0xD800..<0xDC00).contains(high),
              let low = unicodeEscape(in: text, at: index + 6), (0xDC00..<0xE000).contains(low) else { return nil }
        return (high, low)
    }

    /// The private-use halves of `\uE0xx\uE4xx` at `index`, as the copy writes a pair.
    private static func halves<Text: RandomAccessCollection>(in text: Text, at index: Int) -> (high: UInt32, low: UInt32)? where Text.Element == UInt8, Text.Index == Int {
        guard let high = unicodeEscape(in: text, at: index), (0xE000..<0xE400).contains(high),
              let low = unicodeEscape(in: text, at: index + 6), (0xE400..<0xE800).contains(low) else { return nil }
        return (high, low)
    }

    /// The code unit of `\uXXXX` at `index`.
    private static func unicodeEscape<Text: RandomAccessCollection>(in text: Text, at index: Int) -> UInt32? where Text.Element == UInt8, Text.Index == Int {
        guard index >= text.startIndex, index + 6 <= text.endIndex, text[index] == UInt8(ascii: "\\"), text[index + 1] == UInt8(ascii: "u") else { return nil }
        var value: UInt32 = 0
        for byte in text[(index + 2)..<(index + 6)] {
            guard let digit = hexDigit(byte) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// `\uXXXX` for a code unit, in upper-case hex.
    private static func escape(_ unit: UInt32) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "\\"), UInt8(ascii: "u")] + (0..<4).reversed().map { digits[Int(unit >> (4 * UInt32($0)) & 0xF)] }
    }
}
