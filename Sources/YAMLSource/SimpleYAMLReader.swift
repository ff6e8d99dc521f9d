/// Reads the plain subset of YAML that Kubernetes tools and most people write, and JSON, several
/// times faster than libyaml: block mappings and sequences, plain and quoted scalars (also over
/// several lines), literal and folded block scalars, flow collections, comments and `---` markers.
///
/// A document with anything else (anchors, aliases, tags, merge keys, scalars over several lines
/// inside flow collections, rare escapes, `...`, directives) or with anything libyaml would reject is given to
/// libyaml, from its first line; reading goes on without libyaml at the next `---` line. A part
/// with characters libyaml reads differently from text (tabs, carriage returns, control
/// characters, invalid UTF-8) is read by libyaml alone. The reader never decides that input is
/// malformed, and it reports the nodes and marks (character offsets, as libyaml counts them)
/// libyaml's events would, to the same `DocumentBuilder`: both give the same documents,
/// positions and errors (`SimpleYAMLReaderTests` compares them over the YAML test suite and
/// real-world manifests).
struct SimpleYAMLReader {
    /// Thrown to give the part up to libyaml.
    private struct GiveUp: Error {}

    private var part: StreamPart
    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private var position = 0
    /// The 0-based line of `position`, and where that line starts.
    private var line = 0
    private var lineStart = 0
    private var depth = 0
    private var ownDocuments = 0
    /// Whether the part is ASCII, so that a byte offset is a character offset, which libyaml's
    /// marks count. Otherwise `characters` counts them.
    private let isASCII: Bool
    private var characters = CharacterCount()
    /// The text of the last scalar that is not a run of the input: with escapes, folded lines,
    /// or a block scalar.
    private var unescaped: [UInt8] = []

    /// Deeper nesting is left to libyaml (which reads it with the builder's depth limit): the
    /// reader recurses once per level.
    private static let maxDepth = 100
    /// libyaml's limit on the length of an implicit key is 1,024 characters; keys near it are
    /// left to libyaml.
    private static let maxKeyLength = 1_000

    /// `part` with its documents read, and how many of them the reader read without libyaml; nil
    /// when the part holds characters libyaml reads differently from text (control characters,
    /// tabs, carriage returns, byte order marks, Unicode line breaks, invalid UTF-8) or is larger
    /// than the limits.
    static func read(_ part: StreamPart) -> (part: StreamPart, ownDocuments: Int)? {
        let buffer = part.buffer
        // Parts within the limits hold no document over the size limit, and fit in an arena.
        guard let base = buffer.baseAddress, buffer.count <= min(part.limits.maxDocumentBytes, DocumentBuilder.nodeLimit) else { return nil }
        let isASCII = isPrintableASCII(buffer)
        guard isASCII || isPrintableUTF8(buffer) else { return nil }
        var reader = SimpleYAMLReader(part: part, bytes: base, count: buffer.count, isASCII: isASCII)
        reader.readStream()
        return (reader.part, reader.ownDocuments)
    }

    private init(part: StreamPart, bytes: UnsafePointer<UInt8>, count: Int, isASCII: Bool) {
        self.part = part
        self.bytes = bytes
        self.count = count
        self.isASCII = isASCII
    }

    /// Whether every byte is a line feed or printable ASCII.
    private static func isPrintableASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        // Branch-free: every byte is looked at anyway.
        var outside: UInt8 = 0
        for byte in buffer {
            let allowed = (byte &- 0x20 <= 0x5E) || byte == 0x0A
            outside |= allowed ? 0 : 1
        }
        return outside == 0
    }

    /// Whether the bytes are valid UTF-8 of line feeds and characters libyaml reads as printable
    /// and not as a line break or a byte order mark.
    private static func isPrintableUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < buffer.count {
            let lead = buffer[index]
            if lead < 0x80 {
                guard lead == 0x0A || (lead >= 0x20 && lead != 0x7F) else { return false }
                index += 1
                continue
            }
            let length: Int
            var value: UInt32
            switch lead {
            case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
            case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
            case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
            default: return false
            }
            guard index + length <= buffer.count else { return false }
            for offset in 1..<length {
                let byte = buffer[index + offset]
                guard byte & 0xC0 == 0x80 else { return false }
                value = value << 6 | UInt32(byte & 0x3F)
            }
            let shortest: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
            let printable = (0xA0...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
            guard value >= shortest, printable, value != 0xFEFF, value != 0x2028, value != 0x2029 else { return false }
            index += length
        }
        return true
    }

    // MARK: Documents

    /// Reads the part's documents; one it gives up goes to libyaml, and reading goes on at the
    /// `---` line where libyaml stops.
    private mutating func readStream() {
        var isFirst = true
        while true {
            // Where libyaml would start reading this document: the part's start, or a `---` line.
            let documentStart = (offset: position, index: mark.index, line: line)
            do {
                guard try readDocument(isFirst: isFirst) else { return }
                ownDocuments += 1
            } catch {
                part.abandonDocument()
                guard let next = part.readWithLibYAML(from: documentStart, untilMarker: true) else { return }
                (position, line, lineStart) = (next.offset, next.line, next.offset)
            }
            isFirst = false
        }
    }

    /// Reads the document at `position`: the part's first (which may lack its `---` line), or one
    /// at a `---` line. False at the end of the part.
    private mutating func readDocument(isFirst: Bool) throws(GiveUp) -> Bool {
        if isFirst, try nextContentLine() >= 0 {
            part.startDocument(at: mark.index)
            try readRoot()
            part.endDocument(line: nextTokenMark.line)
            return true
        }
        guard position < count else { return false }
        guard position == lineStart && isDocumentMarker(UInt8(ascii: "-"), at: position) else { throw GiveUp() }
        part.startDocument(at: mark.index)
        position += 3
        try finishLine()
        if try nextContentLine() >= 0 {
            try readRoot()
        } else {
            emptyScalar(at: nextTokenMark)
        }
        part.endDocument(line: nextTokenMark.line)
        return true
    }

    /// A document's root node, which must be followed by the end of the stream or a `---` line.
    private mutating func readRoot() throws(GiveUp) {
        try blockNode(parentIndent: -1)
        guard try nextContentLine() < 0 else { throw GiveUp() }
    }

    // MARK: Block structure

    /// A node starting at `position`, in a column greater than `parentIndent`.
    private mutating func blockNode(parentIndent: Int) throws(GiveUp) {
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maxDepth else { throw GiveUp() }
        if isSequenceEntry { return try blockSequence() }
        if startsBlockScalar { return try blockScalar(parentIndent: parentIndent) }
        let byte = bytes[position]
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            try flowCollection()
            return try finishLine()
        }
        guard startsScalar(inFlow: false) else { throw GiveUp() }
        let start = mark
        let scalar = try scanScalar(inFlow: false)
        if try isFollowedByValueIndicator(scalar, from: start) {
            return try blockMapping(firstKey: scalar, at: start)
        }
        try emit(try continuedPlain(scalar, parentIndent: parentIndent), at: start)
        try finishLine()
    }

    /// A block mapping whose first key, already scanned, starts at `firstKeyMark`; `position`
    /// is after that key.
    private mutating func blockMapping(firstKey: ScannedScalar, at firstKeyMark: SourceMark) throws(GiveUp) {
        let indent = firstKeyMark.column
        part.builder.open(isMapping: true, at: firstKeyMark)
        var (key, keyMark) = (firstKey, firstKeyMark)
        var entries = 0
        while true {
            try count(&entries)
            try emitKey(key, at: keyMark)
            position += 1  // the `:`, found by `isFollowedByValueIndicator`
            let valueMark = mark
            skipSpaces()
            if atLineEnd {
                try finishLine()
                let next = try nextContentLine()
                if next > indent {
                    try blockNode(parentIndent: indent)
                } else if next == indent && isSequenceEntry {
                    try blockSequence()  // written at the key's indentation, as kubectl does
                } else {
                    emptyScalar(at: valueMark)
                }
            } else {
                try inlineValue(parentIndent: indent)
            }
            let next = try nextContentLine()
            if next < indent { break }
            guard next == indent, !isSequenceEntry, startsScalar(inFlow: false) else { throw GiveUp() }
            keyMark = mark
            key = try scanScalar(inFlow: false)
            guard try isFollowedByValueIndicator(key, from: keyMark) else { throw GiveUp() }
        }
        part.builder.close(at: nextTokenMark)
    }

    /// A block sequence whose first `-` is at `position`.
    private mutating func blockSequence() throws(GiveUp) {
        let indent = position - lineStart
        part.builder.open(isMapping: false, at: mark)
        var entries = 0
        while true {
            try count(&entries)
            position += 1  // the `-`
            let entryMark = mark
            skipSpaces()
            if atLineEnd {
                try finishLine()
                if try nextContentLine() > indent {
                    try blockNode(parentIndent: indent)
                } else {
                    emptyScalar(at: entryMark)
                }
            } else {
                try blockNode(parentIndent: indent)
            }
            let next = try nextContentLine()
            if next == indent && isSequenceEntry { continue }
            if next <= indent { break }
            throw GiveUp()
        }
        part.builder.close(at: nextTokenMark)
    }

    /// Counts an entry of a collection; one with more than the builder allows is left to libyaml,
    /// which reports it.
    private func count(_ entries: inout Int) throws(GiveUp) {
        entries += 1
        if entries > NodeRecord.maxCount { throw GiveUp() }
    }

    /// A mapping value on its key's line: a scalar or a flow collection, then nothing but a
    /// comment; or a block scalar.
    private mutating func inlineValue(parentIndent: Int) throws(GiveUp) {
        if startsBlockScalar { return try blockScalar(parentIndent: parentIndent) }
        let byte = bytes[position]
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            try flowCollection()
        } else if startsScalar(inFlow: false) {
            let start = mark
            try emit(try continuedPlain(try scanScalar(inFlow: false), parentIndent: parentIndent), at: start)
        } else {
            throw GiveUp()
        }
        try finishLine()
    }

    // MARK: Block scalars

    private var startsBlockScalar: Bool {
        bytes[position] == UInt8(ascii: "|") || bytes[position] == UInt8(ascii: ">")
    }

    /// A literal (`|`) or folded (`>`) block scalar with an optional chomping indicator, a node of a
    /// collection indented by `parentIndent`; `position` ends at the start of the first line
    /// after it. Its text is made as libyaml makes it: the indentation is that of the first line
    /// with text (or of a longer blank line before it), and at least one more than the parent's.
    private mutating func blockScalar(parentIndent: Int) throws(GiveUp) {
        let start = mark
        let isLiteral = bytes[position] == UInt8(ascii: "|")
        position += 1
        var chomping = 0  // -1 strips the final line breaks, 1 keeps them all, 0 keeps one
        if position < count && (bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+")) {
            chomping = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
        }
        // An explicit indentation indicator is left to libyaml.
        if position < count && bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9") { throw GiveUp() }
        try finishLine()
        unescaped.removeAll(keepingCapacity: true)
        var trailingBreaks = 0
        let (first, widest) = skipBlankLines(upTo: .max, counting: &trailingBreaks)
        let indent = max(widest, parentIndent + 1, 1)
        var column = first
        var leadingBreak = false
        var leadingBlank = false
        while column == indent && position + column < count {
            let text = position + column
            let trailingBlank = bytes[text] == UInt8(ascii: " ")
            if !isLiteral && leadingBreak && !leadingBlank && !trailingBlank {
                if trailingBreaks == 0 { unescaped.append(UInt8(ascii: " ")) }
            } else if leadingBreak {
                unescaped.append(UInt8(ascii: "\n"))
            }
            leadingBreak = false
            append(UInt8(ascii: "\n"), times: trailingBreaks)
            trailingBreaks = 0
            leadingBlank = trailingBlank
            let end = ByteScan.lineEnd(in: UnsafeBufferPointer(start: bytes, count: count), from: text)
            unescaped.append(contentsOf: UnsafeBufferPointer(start: bytes + text, count: end - text))
            guard end < count else {
                position = end
                break
            }
            leadingBreak = true
            (position, line, lineStart) = (end + 1, line + 1, end + 1)
            column = skipBlankLines(upTo: indent, counting: &trailingBreaks).column
        }
        if chomping != -1 && leadingBreak { unescaped.append(UInt8(ascii: "\n")) }
        if chomping == 1 { append(UInt8(ascii: "\n"), times: trailingBreaks) }
        try emit(ScannedScalar(start: position, end: position, style: isLiteral ? .literal : .folded, isUnescaped: true), at: start)
    }

    /// Passes the lines, from the start of the current one, that hold at most `limit` spaces before
    /// their line break, counting them. Returns the spaces (up to `limit`) before the text of the
    /// line it stops at, whose start it leaves `position` at, and the most spaces of any line seen.
    private mutating func skipBlankLines(upTo limit: Int, counting breaks: inout Int) -> (column: Int, widest: Int) {
        var widest = 0
        while true {
            var index = position
            while index < count && index - position < limit && bytes[index] == UInt8(ascii: " ") { index += 1 }
            widest = max(widest, index - position)
            guard index < count, bytes[index] == UInt8(ascii: "\n") else { return (index - position, widest) }
            breaks += 1
            (position, line, lineStart) = (index + 1, line + 1, index + 1)
        }
    }

    // MARK: Flow collections

    /// A flow sequence or mapping (JSON's arrays and objects).
    private mutating func flowCollection() throws(GiveUp) {
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maxDepth else { throw GiveUp() }
        let isMapping = bytes[position] == UInt8(ascii: "{")
        let closing = isMapping ? UInt8(ascii: "}") : UInt8(ascii: "]")
        part.builder.open(isMapping: isMapping, at: mark)
        position += 1
        try skipFlowSpaces()
        if bytes[position] != closing {
            var entries = 0
            while true {
                try count(&entries)
                if isMapping { try flowEntry() } else { try flowNode() }
                try skipFlowSpaces()
                guard bytes[position] == UInt8(ascii: ",") else { break }
                position += 1
                try skipFlowSpaces()
                // A comma may end the entries; an empty entry is an error for libyaml.
                if bytes[position] == closing { break }
                if bytes[position] == UInt8(ascii: ",") { throw GiveUp() }
            }
            guard bytes[position] == closing else { throw GiveUp() }
        }
        part.builder.close(at: mark)
        position += 1
    }

    /// `key: value` in a flow mapping.
    private mutating func flowEntry() throws(GiveUp) {
        guard startsScalar(inFlow: true) else { throw GiveUp() }
        let keyMark = mark
        let key = try scanScalar(inFlow: true)
        try skipFlowSpaces()
        // A plain key ends before `: `; a quoted one may be followed by `:` directly (JSON). The
        // `:` must be on the key's line.
        guard bytes[position] == UInt8(ascii: ":"), line == keyMark.line, position - key.start <= Self.maxKeyLength else { throw GiveUp() }
        try emitKey(key, at: keyMark)
        position += 1
        try skipFlowSpaces()
        try flowNode()
    }

    /// A scalar or a nested flow collection.
    private mutating func flowNode() throws(GiveUp) {
        let byte = bytes[position]
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { return try flowCollection() }
        guard startsScalar(inFlow: true) else { throw GiveUp() }
        let start = mark
        try emit(try scanScalar(inFlow: true), at: start)
    }

    // MARK: Scalars

    private struct ScannedScalar {
        var start: Int
        var end: Int
        var style: YAMLScalarStyle
        /// The text is in `unescaped`, not at `start..<end`.
        var isUnescaped = false
    }

    /// Whether a scalar starts at `position`: a quote, or a plain scalar's first character (not an
    /// indicator; `-`, `?` and `:` only when followed by a character that makes them text).
    private func startsScalar(inFlow: Bool) -> Bool {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            guard position + 1 < count else { return false }
            let next = bytes[position + 1]
            if next == UInt8(ascii: " ") || next == UInt8(ascii: "\n") { return false }
            return !inFlow || (byte == UInt8(ascii: "-") && !Self.isFlowIndicator(next))
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
             UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            return false
        default:
            return true
        }
    }

    private static func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
            || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
    }

    /// Scans the scalar that `startsScalar` found; `position` ends after a quoted scalar's closing
    /// quote, or after a plain scalar's last character that is not a space.
    private mutating func scanScalar(inFlow: Bool) throws(GiveUp) -> ScannedScalar {
        let byte = bytes[position]
        return byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") ? try scanQuoted(multiLine: !inFlow) : try scanPlain(inFlow: inFlow)
    }

    /// A plain scalar ends at a line break, at `: ` (or `:` at the end of the line), at ` #`,
    /// and in flow collections at `,[]{}`.
    private mutating func scanPlain(inFlow: Bool) throws(GiveUp) -> ScannedScalar {
        let start = position
        var end = position
        var index = position
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: ":") {
                let next = index + 1 < count ? bytes[index + 1] : UInt8(ascii: "\n")
                if next == UInt8(ascii: " ") || next == UInt8(ascii: "\n") { break }
                // libyaml versions differ on `:` before a flow indicator.
                if inFlow && (Self.isFlowIndicator(next) || next == UInt8(ascii: "?")) { throw GiveUp() }
            } else if byte == UInt8(ascii: "#") {
                if bytes[index - 1] == UInt8(ascii: " ") { break }
            } else if inFlow && Self.isFlowIndicator(byte) {
                break
            }
            if byte != UInt8(ascii: " ") { end = index + 1 }
            index += 1
        }
        position = end
        return ScannedScalar(start: start, end: end, style: .plain)
    }

    /// A plain scalar of a block collection indented by `parentIndent`, with its further lines
    /// (indented more than the collection) folded as libyaml folds them: one line break becomes a
    /// space, more become one line break fewer. `position` is after the text of its first line.
    private mutating func continuedPlain(_ first: ScannedScalar, parentIndent: Int) throws(GiveUp) -> ScannedScalar {
        guard first.style == .plain, var next = continuationLine(parentIndent: parentIndent) else { return first }
        unescaped.removeAll(keepingCapacity: true)
        unescaped.append(contentsOf: UnsafeBufferPointer(start: bytes + first.start, count: first.end - first.start))
        while true {
            appendFolded(lineBreaks: next.breaks)
            (position, line, lineStart) = (next.text, next.line, next.lineStart)
            let text = try scanPlain(inFlow: false)
            // `: ` after a further line: a key or value where libyaml reports an error.
            var after = position
            while after < count && bytes[after] == UInt8(ascii: " ") { after += 1 }
            if after < count && bytes[after] == UInt8(ascii: ":") { throw GiveUp() }
            unescaped.append(contentsOf: UnsafeBufferPointer(start: bytes + text.start, count: text.end - text.start))
            guard let following = continuationLine(parentIndent: parentIndent) else { break }
            next = following
        }
        return ScannedScalar(start: first.start, end: position, style: .plain, isUnescaped: true)
    }

    /// Where the next line of a plain scalar starts after the current one (its text, line and
    /// line start, and the line breaks passed): nil when the scalar ends on the current line, at a
    /// comment, or before a line indented no more than `parentIndent`, a comment line or a
    /// document marker.
    private func continuationLine(parentIndent: Int) -> (text: Int, line: Int, lineStart: Int, breaks: Int)? {
        var index = position
        var (line, lineStart, breaks) = (self.line, self.lineStart, 0)
        while index < count && bytes[index] == UInt8(ascii: " ") { index += 1 }
        while index < count && bytes[index] == UInt8(ascii: "\n") {
            (breaks, line, lineStart) = (breaks + 1, line + 1, index + 1)
            index += 1
            while index < count && bytes[index] == UInt8(ascii: " ") { index += 1 }
        }
        guard breaks > 0, index < count, index - lineStart > parentIndent, bytes[index] != UInt8(ascii: "#") else { return nil }
        if index == lineStart && (isDocumentMarker(UInt8(ascii: "-"), at: index) || isDocumentMarker(UInt8(ascii: "."), at: index)) {
            return nil
        }
        return (index, line, lineStart, breaks)
    }

    /// A quoted scalar: `''` stands for a quote in single quotes, and double quotes take the
    /// escapes that stand for one ASCII character. Over several lines only if `multiLine`.
    private mutating func scanQuoted(multiLine: Bool) throws(GiveUp) -> ScannedScalar {
        let quote = bytes[position]
        let isDouble = quote == UInt8(ascii: "\"")
        let start = position + 1
        var index = start
        var hasEscape = false
        while true {
            guard index < count else { throw GiveUp() }
            if bytes[index] == UInt8(ascii: "\n") {
                guard multiLine else { throw GiveUp() }
                return try scanQuotedOverLines(from: start, quote: quote)
            }
            let byte = bytes[index]
            if byte == quote {
                guard !isDouble, index + 1 < count, bytes[index + 1] == quote else { break }
                hasEscape = true
                index += 1
            } else if isDouble && byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += 1
            }
            index += 1
        }
        position = index + 1
        let scalar = ScannedScalar(start: start, end: index, style: isDouble ? .doubleQuoted : .singleQuoted, isUnescaped: hasEscape)
        guard hasEscape else { return scalar }
        unescaped.removeAll(keepingCapacity: true)
        var source = start
        while source < index {
            var byte = bytes[source]
            if byte == quote {
                source += 1  // the first of two single quotes
            } else if isDouble && byte == UInt8(ascii: "\\") {
                source += 1
                guard let escaped = Self.escapedCharacter(bytes[source]) else { throw GiveUp() }
                byte = escaped
            }
            unescaped.append(byte)
            source += 1
        }
        return scalar
    }

    /// A quoted scalar over several lines, from its first character at `start`, read as libyaml
    /// reads it: spaces before a line break are dropped and those after it skipped, one line
    /// break becomes a space and more become one fewer line breaks, and in double quotes `\` at the
    /// end of a line joins the lines.
    private mutating func scanQuotedOverLines(from start: Int, quote: UInt8) throws(GiveUp) -> ScannedScalar {
        let isDouble = quote == UInt8(ascii: "\"")
        unescaped.removeAll(keepingCapacity: true)
        var index = start
        var spaces = 0  // spaces after the last text, kept only if more text follows on the line
        while true {
            guard index < count else { throw GiveUp() }
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") {
                spaces += 1
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\n") || (isDouble && byte == UInt8(ascii: "\\") && index + 1 < count && bytes[index + 1] == UInt8(ascii: "\n")) {
                let escaped = byte != UInt8(ascii: "\n")
                if escaped {
                    append(UInt8(ascii: " "), times: spaces)
                    index += 1
                }
                spaces = 0
                var breaks = 0
                while index < count && bytes[index] == UInt8(ascii: "\n") {
                    breaks += 1
                    index += 1
                    (line, lineStart) = (line + 1, index)
                    while index < count && bytes[index] == UInt8(ascii: " ") { index += 1 }
                }
                // A document marker at the start of a line ends the document: an error for libyaml.
                if index == lineStart && (isDocumentMarker(UInt8(ascii: "-"), at: index) || isDocumentMarker(UInt8(ascii: "."), at: index)) {
                    throw GiveUp()
                }
                if escaped {
                    append(UInt8(ascii: "\n"), times: breaks - 1)
                } else {
                    appendFolded(lineBreaks: breaks)
                }
                continue
            }
            append(UInt8(ascii: " "), times: spaces)
            spaces = 0
            if byte == quote {
                guard !isDouble, index + 1 < count, bytes[index + 1] == quote else { break }
                unescaped.append(quote)
                index += 2
            } else if isDouble && byte == UInt8(ascii: "\\") {
                guard index + 1 < count, let escaped = Self.escapedCharacter(bytes[index + 1]) else { throw GiveUp() }
                unescaped.append(escaped)
                index += 2
            } else {
                unescaped.append(byte)
                index += 1
            }
        }
        position = index + 1
        return ScannedScalar(start: start, end: index, style: isDouble ? .doubleQuoted : .singleQuoted, isUnescaped: true)
    }

    /// Folds the line breaks between two lines of a plain or quoted scalar: one becomes a space,
    /// more become one fewer line breaks.
    private mutating func appendFolded(lineBreaks: Int) {
        if lineBreaks == 1 {
            unescaped.append(UInt8(ascii: " "))
        } else {
            append(UInt8(ascii: "\n"), times: lineBreaks - 1)
        }
    }

    private mutating func append(_ byte: UInt8, times: Int) {
        unescaped.append(contentsOf: repeatElement(byte, count: times))
    }

    /// The character a one-character escape after `\` stands for; the others (`\x`, `\u`, `\U`,
    /// `\N`, `\_`, `\L`, `\P`, an escaped line break) are left to libyaml.
    private static func escapedCharacter(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: " "): return byte
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "0"): return 0x00
        case UInt8(ascii: "a"): return 0x07
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "e"): return 0x1B
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "v"): return 0x0B
        default: return nil
        }
    }

    /// Whether `key`, just scanned from `keyStart`, is a block mapping key: spaces, then `:`
    /// followed by a space or the end of the line (left at `position`).
    private mutating func isFollowedByValueIndicator(_ key: ScannedScalar, from keyStart: SourceMark) throws(GiveUp) -> Bool {
        skipSpaces()
        guard position < count, bytes[position] == UInt8(ascii: ":") else { return false }
        // libyaml's implicit keys are on one line and at most 1,024 characters long.
        guard position + 1 == count || bytes[position + 1] == UInt8(ascii: " ") || bytes[position + 1] == UInt8(ascii: "\n"),
              line == keyStart.line, position - key.start <= Self.maxKeyLength else { throw GiveUp() }
        return true
    }

    /// A scalar of the current document; one longer than the builder allows is left to libyaml,
    /// which reports it.
    private mutating func emit(_ scalar: ScannedScalar, at mark: SourceMark) throws(GiveUp) {
        guard (scalar.isUnescaped ? unescaped.count : scalar.end - scalar.start) <= NodeRecord.maxCount else { throw GiveUp() }
        if scalar.isUnescaped {
            unescaped.withUnsafeBufferPointer { part.builder.scalar($0, style: scalar.style, at: mark) }
        } else {
            part.builder.scalar(UnsafeBufferPointer(start: bytes + scalar.start, count: scalar.end - scalar.start), style: scalar.style, at: mark)
        }
    }

    /// A mapping key; the merge key `<<` is left to libyaml.
    private mutating func emitKey(_ key: ScannedScalar, at mark: SourceMark) throws(GiveUp) {
        if key.style == .plain, key.end - key.start == 2, bytes[key.start] == UInt8(ascii: "<"), bytes[key.start + 1] == UInt8(ascii: "<") {
            throw GiveUp()
        }
        try emit(key, at: mark)
    }

    /// The empty plain scalar (null) libyaml reports for a missing value.
    private mutating func emptyScalar(at mark: SourceMark) {
        part.builder.scalar(UnsafeBufferPointer(start: nil, count: 0), style: .plain, at: mark)
    }

    // MARK: Lines

    private var mark: SourceMark {
        mutating get {
            guard !isASCII else { return SourceMark(index: position, line: line, column: position - lineStart) }
            let lineStartIndex = characters.index(ofLineStart: lineStart, in: bytes)
            let index = characters.index(of: position, in: bytes)
            return SourceMark(index: index, line: line, column: index - lineStartIndex)
        }
    }

    /// Where the next token starts once `nextContentLine` has found none: a `---` line, or the end
    /// of the stream (on the line after the last, as libyaml marks it).
    private var nextTokenMark: SourceMark {
        mutating get {
            guard position == count, lineStart < count else { return mark }
            return SourceMark(index: isASCII ? count : characters.index(of: count, in: bytes), line: line + 1, column: 0)
        }
    }

    private var isSequenceEntry: Bool {
        bytes[position] == UInt8(ascii: "-")
            && (position + 1 == count || bytes[position + 1] == UInt8(ascii: " ") || bytes[position + 1] == UInt8(ascii: "\n"))
    }

    /// Whether only a comment or nothing is left on the line (after spaces).
    private var atLineEnd: Bool {
        position == count || bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "#")
    }

    private mutating func skipSpaces() {
        while position < count && bytes[position] == UInt8(ascii: " ") { position += 1 }
    }

    /// Spaces, line breaks and comments inside a flow collection.
    private mutating func skipFlowSpaces() throws(GiveUp) {
        while true {
            skipSpaces()
            guard position < count else { throw GiveUp() }
            switch bytes[position] {
            case UInt8(ascii: "\n"):
                position += 1
                (line, lineStart) = (line + 1, position)
            case UInt8(ascii: "#"):
                try finishLine()
            default:
                // A document marker at the start of a line ends the document: an error for libyaml.
                if position == lineStart && (isDocumentMarker(UInt8(ascii: "-"), at: position) || isDocumentMarker(UInt8(ascii: "."), at: position)) {
                    throw GiveUp()
                }
                return
            }
        }
    }

    /// Passes spaces and a comment to the start of the next line. A comment must follow a space
    /// (libyaml also reads `"a"#b` as a comment; the YAML specification does not).
    private mutating func finishLine() throws(GiveUp) {
        skipSpaces()
        guard position < count else { return }
        if bytes[position] == UInt8(ascii: "#") {
            guard position == lineStart || bytes[position - 1] == UInt8(ascii: " ") else { throw GiveUp() }
            position = ByteScan.lineEnd(in: UnsafeBufferPointer(start: bytes, count: count), from: position)
            guard position < count else { return }
        }
        guard bytes[position] == UInt8(ascii: "\n") else { throw GiveUp() }
        position += 1
        line += 1
        lineStart = position
    }

    /// Moves to the first character of the next line that holds a node, past blank and comment
    /// lines, and returns its column; -1 at the end of the stream or at a `---` line (left at
    /// the start of that line). Called again at the same place, it returns the same.
    private mutating func nextContentLine() throws(GiveUp) -> Int {
        while true {
            skipSpaces()
            guard position < count else { return -1 }
            switch bytes[position] {
            case UInt8(ascii: "\n"):
                position += 1
                line += 1
                lineStart = position
            case UInt8(ascii: "#"):
                try finishLine()
            case UInt8(ascii: "-") where position == lineStart && isDocumentMarker(UInt8(ascii: "-"), at: position):
                return -1
            case UInt8(ascii: ".") where position == lineStart && isDocumentMarker(UInt8(ascii: "."), at: position):
                throw GiveUp()
            default:
                return position - lineStart
            }
        }
    }

    /// Whether the line at `index` starts with three `marker` characters and then a space or its
    /// end (`---` or `...`).
    private func isDocumentMarker(_ marker: UInt8, at index: Int) -> Bool {
        guard index + 3 <= count, bytes[index] == marker, bytes[index + 1] == marker, bytes[index + 2] == marker else { return false }
        return index + 3 == count || bytes[index + 3] == UInt8(ascii: " ") || bytes[index + 3] == UInt8(ascii: "\n")
    }
}

/// Character offsets of byte offsets in UTF-8 text, counted forward from the last one asked for
/// (the reader asks in order), and kept for the start of the current line.
private struct CharacterCount {
    private var byte = 0
    private var characters = 0
    private var lineStart = (byte: 0, characters: 0)

    mutating func index(of offset: Int, in bytes: UnsafePointer<UInt8>) -> Int {
        if offset < byte { (byte, characters) = (0, 0) }
        while byte < offset {
            if bytes[byte] & 0xC0 != 0x80 { characters += 1 }
            byte += 1
        }
        return characters
    }

    mutating func index(ofLineStart offset: Int, in bytes: UnsafePointer<UInt8>) -> Int {
        if lineStart.byte != offset { lineStart = (offset, index(of: offset, in: bytes)) }
        return lineStart.characters
    }
}
