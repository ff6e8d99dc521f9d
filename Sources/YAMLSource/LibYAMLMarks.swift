import CYAML

/// Turns libyaml's marks into airlock's positions. libyaml (YAML 1.1) ends a line at LF, CRLF, a
/// lone CR, NEL (U+0085), LS (U+2028) and PS (U+2029); airlock ends one only at LF and CRLF, as
/// SARIF's default `newlineSequences`, git, GitHub and the reports' source excerpts do. A value
/// holding one of the others (legal in quoted, plain and block scalars, and in JSON strings)
/// would otherwise move every later finding down a line. `SimpleYAMLReader` never reads such
/// text (it gives the part to libyaml), so this is the one place where lines are corrected.
struct LibYAMLMarks {
    /// Where libyaml started reading: the start of a line of the part.
    let origin: SourceMark
    /// The line breaks libyaml counts and airlock does not, found as far as marks were asked for:
    /// libyaml reads one document of a part from `origin` on, so the text after it is never read.
    private let breaks: ExtraBreaks
    /// The text libyaml reads, to find where a node's content starts after its properties.
    private let input: UnsafeBufferPointer<UInt8>
    /// Where the last such search ended: searches go forward, so together they read the text once.
    private let cursor: CharacterCursor

    /// Marks of a parser reading `input`, which starts at `origin`.
    init(input: UnsafeBufferPointer<UInt8>, origin: SourceMark) {
        self.origin = origin
        self.input = input
        cursor = CharacterCursor(input)
        breaks = ExtraBreaks(input, from: CharacterCursor.textStart(of: input))
    }

    /// The 0-based line and column (in Unicode scalars), counted from `origin`, of a mark.
    func position(_ mark: yaml_mark_t) -> (line: Int, column: Int) {
        let (line, column) = (Int(mark.line), Int(mark.column))
        let extraBreaks = breaks.through(libYAMLLine: line)
        guard let first = extraBreaks.first, first.line <= line else { return (line, column) }
        // The last extra break at or before the mark's line.
        var low = 0
        var high = extraBreaks.count
        while low < high {
            let middle = (low + high) / 2
            if extraBreaks[middle].line <= line { low = middle + 1 } else { high = middle }
        }
        let last = extraBreaks[low - 1]
        return (line - low, last.line == line ? last.column + column : column)
    }

    /// A mark as a position in the part.
    func mark(_ mark: yaml_mark_t) -> SourceMark {
        let (line, column) = position(mark)
        return SourceMark(index: origin.index + Int(mark.index), line: origin.line + line, column: column)
    }

    /// Where the content of a node starts whose properties (`&anchor`, `!tag`) start at `start`:
    /// libyaml marks such a node at its first property, and a finding on it should point at its
    /// value, as for a node without properties. The properties, blanks, comments and line breaks
    /// after `start` are passed over; a node with no content (`key: &a` is an empty scalar) keeps
    /// `start`. `end` is the node's end mark for a scalar, and for a collection the end of its
    /// start event, which libyaml puts at or after the first token of its content.
    func contentStart(from start: yaml_mark_t, end: yaml_mark_t, isScalar: Bool) -> SourceMark {
        let marked = mark(start)
        var content = marked
        var byte = cursor.byteOffset(ofCharacter: Int(start.index))
        func advance() {
            byte += 1
            while byte < input.count && input[byte] & 0xC0 == 0x80 { byte += 1 }
            content.index += 1
            content.column += 1
        }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while byte < input.count {
            switch input[byte] {
            case UInt8(ascii: "&"), UInt8(ascii: "!"):
                let verbatim = input[byte] == UInt8(ascii: "!") && byte + 1 < input.count && input[byte + 1] == UInt8(ascii: "<")
                while byte < input.count && !isBlank(input[byte]) && (verbatim || !Self.flowIndicators.contains(input[byte])) {
                    let closesVerbatim = verbatim && input[byte] == UInt8(ascii: ">")
                    advance()
                    if closesVerbatim { break }
                }
            case 0x0A:
                byte += 1
                content.index += 1
                content.line += 1
                content.column = 0
            case 0x0D where byte + 1 < input.count && input[byte + 1] == 0x0A:
                // The CR of a CRLF line break (libyaml counts both characters).
                byte += 1
                content.index += 1
            case 0x20, 0x09, 0x0D:
                advance()
            case UInt8(ascii: "#"):
                while byte < input.count && input[byte] != 0x0A && input[byte] != 0x0D { advance() }
            default:
                let endIndex = origin.index + Int(end.index)
                return content.index < endIndex || (!isScalar && content.index == endIndex) ? content : marked
            }
        }
        return marked
    }

    private static let flowIndicators: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}")]
}

/// Every line break libyaml counts and airlock does not (a lone CR, NEL, LS, PS), in order: the
/// 0-based libyaml line it starts, and the column on airlock's line at which that line starts.
/// Found by reading the text forward only as far as the lines asked for.
private final class ExtraBreaks {
    private let input: UnsafeBufferPointer<UInt8>
    private var index: Int
    /// libyaml's line and airlock's column at `index`.
    private var line = 0
    private var column = 0
    private var found: [(line: Int, column: Int)] = []

    init(_ input: UnsafeBufferPointer<UInt8>, from start: Int) {
        self.input = input
        index = start
    }

    /// The breaks that start libyaml lines up to `target`, and perhaps some after.
    func through(libYAMLLine target: Int) -> [(line: Int, column: Int)] {
        let count = input.count
        func byte(_ offset: Int) -> UInt8 { index + offset < count ? input[index + offset] : 0 }
        while line <= target && index < count {
            let width: Int
            switch (input[index], byte(1), byte(2)) {
            case (0x0A, _, _), (0x0D, 0x0A, _):
                width = input[index] == 0x0D ? 2 : 1
                line += 1
                column = 0
                index += width
                continue
            case (0x0D, _, _): width = 1
            case (0xC2, 0x85, _): width = 2
            case (0xE2, 0x80, 0xA8), (0xE2, 0x80, 0xA9): width = 3
            case (let lead, _, _):
                if lead & 0xC0 != 0x80 { column += 1 }
                index += 1
                continue
            }
            // A break for libyaml only: one character on airlock's line.
            column += 1
            line += 1
            found.append((line, column))
            index += width
        }
        return found
    }
}
