import CYAML

/// Reads one stream (or one part of a split stream) into documents: with `SimpleYAMLReader`,
/// which hands libyaml's event loop each document it does not read (or the whole part, when its
/// characters are not plain text). Both report document boundaries here and nodes to the one
/// `DocumentBuilder` whose arena the documents share, so both give the same documents, positions
/// and errors.
struct StreamPart {
    let buffer: UnsafeBufferPointer<UInt8>
    let file: String
    let limits: YAMLLimits
    let lineOffset: Int
    var builder: DocumentBuilder
    /// The documents kept, made into `YAMLDocument`s once the arena is complete.
    private var kept: [(index: Int, helmSource: String?, rootID: UInt32, nodeCount: Int, duplicateKeys: [YAMLDocument.DuplicateKey])] = []
    private var errors: [YAMLError] = []
    private var inDocument = false
    private var documentIndex = 0
    /// The 1-based line where the previous document ended (a `# Source:` comment after it belongs
    /// to the next one).
    private var previousDocumentEndLine = 0
    private lazy var helmSources: [(line: Int, path: String)] = HelmSourceComments.scan(buffer)
    /// The part's surrogate pair escapes, found once for every document libyaml reads.
    private lazy var surrogatePairs: SurrogatePairEscapes? = SurrogatePairEscapes(buffer)

    init(buffer: UnsafeBufferPointer<UInt8>, file: String, limits: YAMLLimits, lineOffset: Int, keepsDuplicateKeys: Bool = false) {
        self.buffer = buffer
        self.file = file
        self.limits = limits
        self.lineOffset = lineOffset
        builder = DocumentBuilder(file: file, lineOffset: lineOffset, limits: limits)
        builder.keepsDuplicateKeys = keepsDuplicateKeys
    }

    /// Reads the part: its documents and errors. After a syntax error, which libyaml cannot
    /// recover from, reading goes on at the next `---` line after the broken document, so one bad
    /// document does not hide the rest of the stream.
    mutating func run() -> YAMLLoader.Result {
        if let read = SimpleYAMLReader.read(self) {
            self = read.part
        } else {
            readWithLibYAMLAlone()
        }
        return result()
    }

    /// Reads the whole part with libyaml, going on after each broken document.
    mutating func readWithLibYAMLAlone() {
        let characters = CharacterCursor(buffer)
        var next = readWithLibYAML()
        while let resume = next {
            next = readWithLibYAML(from: (resume.offset, characters.characterOffset(ofByte: resume.offset), resume.line))
        }
    }

    // MARK: Document boundaries

    /// A document starts at character offset `index`.
    mutating func startDocument(at index: Int) {
        builder.start(at: index)
        inDocument = true
    }

    /// Takes out the nodes of a document begun and not ended (the simple reader gave it up).
    mutating func abandonDocument() {
        if inDocument { builder.discardDocument() }
        inDocument = false
    }

    /// The current document ended on 0-based line `line`.
    mutating func endDocument(line: Int) {
        if inDocument { finishDocument() }
        inDocument = false
        documentIndex += 1
        previousDocumentEndLine = line + 1
    }

    private mutating func finishDocument() {
        if let error = builder.error {
            errors.append(error)
            builder.discardDocument()
            return
        }
        guard let rootID = builder.rootID else {
            builder.discardDocument()
            return
        }
        let root = builder.records[Int(rootID)]
        if root.kind == .scalar, root.scalarType == .null, root.style == .plain {
            builder.discardDocument()
            return
        }
        let rootLine = builder.position(of: rootID).line
        let afterLine = previousDocumentEndLine
        let source = helmSources.last { $0.line > afterLine && $0.line < rootLine }?.path
        let duplicateKeys = builder.duplicateKeys.map { key in
            var key = key
            key.error.line += lineOffset
            return key
        }
        kept.append((documentIndex, source, rootID, builder.documentNodeCount, duplicateKeys))
    }

    /// The documents read; the builder's storage is theirs afterwards.
    mutating func result() -> YAMLLoader.Result {
        let storage = builder.takeStorage(lineOffset: lineOffset)
        let documents = kept.map {
            YAMLDocument(
                index: $0.index, helmSource: $0.helmSource, storage: storage, rootID: $0.rootID, nodeCount: $0.nodeCount,
                duplicateKeys: $0.duplicateKeys)
        }
        return .init(documents: documents, errors: errors, documentCount: documentIndex)
    }

    // MARK: libyaml

    /// Reads the part with libyaml's event loop from `origin`, the start of a line where a document
    /// starts (`index` is its character offset, `line` its 0-based line), and returns where reading
    /// goes on (a `---` line's byte offset and number), or nil at the end of the part: after a
    /// syntax error, at the next `---` line after the broken document (nil when there is none);
    /// with `untilMarker`, also after the first document when the next one starts with a `---`
    /// line. Otherwise it reads on to the end.
    mutating func readWithLibYAML(from origin: (offset: Int, index: Int, line: Int) = (0, 0, 0), untilMarker: Bool = false) -> (offset: Int, line: Int)? {
        // libyaml refuses surrogate pairs escaped as JSON writes them: it reads a copy in which
        // they are rewritten at the same length, and their scalars are mended.
        guard let pairs = surrogatePairs else {
            return readWithLibYAML(from: origin, untilMarker: untilMarker, reading: UnsafeBufferPointer(rebasing: buffer[origin.offset...]), pairs: nil)
        }
        return pairs.rewritten.withUnsafeBufferPointer { rewritten in
            readWithLibYAML(from: origin, untilMarker: untilMarker, reading: UnsafeBufferPointer(rebasing: rewritten[origin.offset...]), pairs: pairs)
        }
    }

    /// `readWithLibYAML(from:untilMarker:)` with libyaml reading `parsed`: the part from `origin`,
    /// or its copy with the surrogate pairs `pairs` rewritten.
    private mutating func readWithLibYAML(
        from origin: (offset: Int, index: Int, line: Int), untilMarker: Bool, reading parsed: UnsafeBufferPointer<UInt8>,
        pairs: SurrogatePairEscapes?
    ) -> (offset: Int, line: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            errors.append(YAMLError(file: file, line: 1, column: 1, message: "cannot initialise the YAML parser"))
            return nil
        }
        defer { yaml_parser_delete(&parser) }
        let input = UnsafeBufferPointer(rebasing: buffer[origin.offset...])
        yaml_parser_set_input_string(&parser, parsed.baseAddress, parsed.count)
        let marks = LibYAMLMarks(input: input, origin: SourceMark(index: origin.index, line: origin.line, column: 0))

        var documentStartLine = 0
        /// The next `---` line after a document broken or given up at `mark`: reading goes on
        /// there, in this part (a new part for each broken document would read the rest of the
        /// part again each time).
        func nextMarker(after mark: yaml_mark_t) -> (offset: Int, line: Int)? {
            // A later line than the broken document's first, and than line 1: progress.
            SourceText(input).documentMarker(fromLine: max(marks.position(mark).line + 1, documentStartLine + 1, 2))
                .map { (offset: $0.offset + origin.offset, line: $0.linesBefore + origin.line) }
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                var error = parserError(parser, input: input, marks: marks)
                error.line += origin.line
                errors.append(error)
                if inDocument { builder.discardDocument() }
                if parser.error == YAML_SCANNER_ERROR || parser.error == YAML_PARSER_ERROR, let next = nextMarker(after: parser.problem_mark) {
                    inDocument = false
                    endDocument(line: next.line - 1)
                    return next
                }
                return nil
            }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_DOCUMENT_START_EVENT:
                documentStartLine = marks.position(event.start_mark).line + 1
                startDocument(at: marks.mark(event.start_mark).index)
            case YAML_DOCUMENT_END_EVENT:
                let end = marks.mark(event.end_mark)
                endDocument(line: end.line)
                // An implicit end is marked where the next token, here `---`, starts.
                if untilMarker && end.column == 0 {
                    let lineStart = SourceText(input).lineRange(end.line - origin.line + 1).map { $0.lowerBound + origin.offset }
                    if let lineStart, YAMLStreamSplitter.isDocumentMarker(buffer, at: lineStart) { return (lineStart, end.line) }
                }
            default:
                guard inDocument else { break }
                switch event.type == YAML_SCALAR_EVENT ? pairs?.value(of: event, in: buffer, characterBase: origin.index) ?? .unchanged : .unchanged {
                case .unchanged: builder.consume(event, marks: marks)
                case .mended(let value): value.withUnsafeBufferPointer { builder.consume(event, marks: marks, value: $0) }
                case .ambiguous where builder.error == nil:
                    builder.fail(at: marks.mark(event.start_mark), SurrogatePairEscapes.ambiguityMessage)
                case .ambiguous: break
                }
                // The builder gave the document up (a limit, a duplicate key): the rest of it is
                // not read, since libyaml's cost per token grows with the depth of the flow
                // collections it is in (100,000 `[` in a 200 KB file took two minutes).
                if builder.error != nil {
                    let next = nextMarker(after: event.start_mark)
                    endDocument(line: next.map { $0.line - 1 } ?? marks.position(event.start_mark).line + origin.line)
                    return next
                }
            }
        }
    }

    /// How an error about text libyaml cannot read (not UTF-8, a control character) starts.
    static let unreadableTextPrefix = "invalid encoding: "

    /// The error libyaml stopped at, positioned in `input`.
    private func parserError(_ parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>, marks: LibYAMLMarks) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let text = SourceText(input)
        if parser.error == YAML_READER_ERROR {
            let position = text.position(ofByte: Int(parser.problem_offset))
            return YAMLError(file: file, line: position.line, column: position.column,
                             message: Self.unreadableTextPrefix + "\(problem) (airlock reads UTF-8 text)")
        }
        /// A mark's 1-based line and column in `input`. At the end of a text without a final line
        /// break, libyaml marks the line after it: that is the text's end.
        func position(_ libYAMLMark: yaml_mark_t) -> (line: Int, column: Int) {
            let mark = marks.position(libYAMLMark)
            return text.lineRange(mark.line + 1) == nil ? text.position(ofByte: input.count) : (mark.line + 1, mark.column + 1)
        }
        let (line, column) = position(parser.problem_mark)
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            // Where what libyaml was reading starts, when that is on another line: an unclosed
            // quote is reported where the text ends, far from the quote.
            let start = position(parser.context_mark)
            let from = start.line == line ? "" : " that starts at \(lineOffset + start.line + marks.origin.line):\(start.column)"
            message = "\(context)\(from), \(problem)"
        }
        if text.character(line: line, column: column) == "\t" || text.lineHasTabIndentation(line) {
            message += " (a tab is used for indentation; YAML allows only spaces)"
        }
        if text.lineStartsWithByteOrderMark(line) {
            message += " (the line starts with a byte order mark, which YAML allows only where a document starts: two files joined without a --- line between them?)"
        }
        // JSON is read as the YAML it is part of; a `.json` file's error says JSON.
        let language = file.lowercased().hasSuffix(".json") ? "JSON" : "YAML"
        return YAMLError(file: file, line: line, column: column, message: "malformed \(language): \(message)")
    }
}
