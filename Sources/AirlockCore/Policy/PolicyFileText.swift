import CEL
import YAMLSource

/// The text of a policy file, to find where a character of an expression was written: a YAML
/// scalar's value is its source text with the style's rewriting applied (quotes, `''` and escapes
/// replaced, indentation removed, line breaks folded), so an offset in the value is not an offset
/// in the file. Only read when an expression has an error, so its lines are found then.
struct PolicyFileText: Sendable {
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The expression `node` holds, with where it was written.
    func expression(_ node: YAMLNode) -> Expression {
        Expression(source: node.text ?? "", node: node, file: self)
    }

    /// The file position of the character at scalar `offset` of `node`'s value, or nil when the
    /// value cannot be aligned with the file's text (then callers estimate). The offset just past
    /// the value (where "unexpected end of input" is) is the position after its last character
    /// that is not whitespace.
    func position(ofOffset offset: Int, inValueOf node: YAMLNode) -> (line: Int, column: Int)? {
        let text = CELSource(String(decoding: bytes, as: UTF8.self))
        guard let start = text.offset(line: node.line, column: node.column), let value = node.text else { return nil }
        let valueScalars = Array(value.unicodeScalars)
        let alignment = ScalarAlignment(file: text.scalars, value: valueScalars, style: node.style, start: start)
        if offset >= valueScalars.count, let last = valueScalars.lastIndex(where: { !$0.properties.isWhitespace }) {
            return alignment.fileSpan(of: last).map { text.location(of: $0.end) }
        }
        guard offset >= 0, offset < valueScalars.count, let found = alignment.fileSpan(of: offset) else { return nil }
        return text.location(of: found.start)
    }
}

/// Walks a scalar's value and its source text together, from the scalar's first character in the
/// file. A value character is found in the file as itself, as an escape (double-quoted), as `''`
/// (single-quoted), or, for a space or line break, as any whitespace (a folded line break); file
/// whitespace that matches nothing (indentation, the rest of a folded break) is stepped over.
/// Anything else is a misalignment, and no position is given.
private struct ScalarAlignment {
    let file: [Unicode.Scalar]
    let value: [Unicode.Scalar]
    let style: YAMLScalarStyle
    let start: Int

    /// Where the value's character `target` is written in the file: its first offset, and the
    /// offset after it (an escape is longer than one).
    func fileSpan(of target: Int) -> (start: Int, end: Int)? {
        var cursor = contentStart()
        for index in 0...target {
            guard let (found, next) = match(value[index], from: cursor) else { return nil }
            if index == target { return (found, next) }
            cursor = next
        }
        return nil
    }

    /// Where the value's text begins: after the opening quote, after a block scalar's header line.
    private func contentStart() -> Int {
        switch style {
        case .plain: return start
        case .singleQuoted, .doubleQuoted: return start + 1
        case .literal, .folded:
            var offset = start
            while offset < file.count, file[offset] != "\n" { offset += 1 }
            return offset + 1
        }
    }

    /// Where `character` is written at or after `cursor`, and the offset after it.
    private func match(_ character: Unicode.Scalar, from cursor: Int) -> (Int, Int)? {
        var offset = cursor
        while offset < file.count {
            let written = file[offset]
            if style == .doubleQuoted, written == "\\" {
                guard let (produced, length) = escape(at: offset) else { return nil }
                guard let produced else {
                    offset += length  // an escaped line break produces nothing
                    continue
                }
                return produced == character ? (offset, offset + length) : nil
            }
            if style == .singleQuoted, written == "'", character == "'" {
                return offset + 1 < file.count && file[offset + 1] == "'" ? (offset, offset + 2) : nil
            }
            if written == character { return (offset, offset + 1) }
            let isWhitespace = Self.isWhitespace(written)
            if isWhitespace, character == " " || character == "\n" { return (offset, offset + 1) }
            guard isWhitespace else { return nil }
            offset += 1
        }
        return nil
    }

    /// What the escape at `offset` produces (nil for an escaped line break) and its length.
    private func escape(at offset: Int) -> (Unicode.Scalar?, Int)? {
        guard offset + 1 < file.count else { return nil }
        let code = file[offset + 1]
        let hexDigits: Int
        switch code {
        case "x": hexDigits = 2
        case "u": hexDigits = 4
        case "U": hexDigits = 8
        case "\n", "\r":
            var end = offset + 1
            while end < file.count, Self.isWhitespace(file[end]) { end += 1 }
            return (nil, end - offset)
        default:
            let simple: [Unicode.Scalar: Unicode.Scalar] = [
                "0": "\0", "a": "\u{07}", "b": "\u{08}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{0B}", "f": "\u{0C}",
                "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\", "N": "\u{85}", "_": "\u{A0}",
                "L": "\u{2028}", "P": "\u{2029}",
            ]
            return simple[code].map { ($0, 2) }
        }
        guard let number = hexNumber(at: offset + 2, digits: hexDigits) else { return nil }
        if let scalar = Unicode.Scalar(number) { return (scalar, 2 + hexDigits) }
        // A surrogate pair written as two escapes (`\ud83d\ude80`, as JSON encoders write it) is
        // one character of the value.
        let low = offset + 2 + hexDigits
        guard code == "u", (0xD800...0xDBFF).contains(number), low + 6 <= file.count, file[low] == "\\", file[low + 1] == "u",
              let second = hexNumber(at: low + 2, digits: 4), (0xDC00...0xDFFF).contains(second),
              let scalar = Unicode.Scalar(0x10000 + ((number - 0xD800) << 10) + (second - 0xDC00))
        else { return nil }
        return (scalar, 12)
    }

    /// The number written in `digits` hex digits at `offset`, or nil.
    private func hexNumber(at offset: Int, digits: Int) -> UInt32? {
        guard offset + digits <= file.count else { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: file[offset..<(offset + digits)])
        return UInt32(text, radix: 16)
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }
}
