import CYAML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a YAML (or JSON) stream through libyaml's event API into `YAMLDocument`s.
///
/// Strict where Kubernetes tooling is lenient, because a gate that reads a file differently from
/// the cluster can be bypassed: duplicate keys, non-standard tags, tab indentation, alias bombs,
/// nesting and size beyond `limits` are all errors with a position. A document with an error is
/// dropped; the documents before and after it in the same stream are still returned.
public struct YAMLLoader: Sendable {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = YAMLLimits()) {
        self.limits = limits
    }

    /// The documents of a stream (empty documents left out) and every error found in it.
    public struct Result: Sendable {
        public var documents: [YAMLDocument]
        public var errors: [YAMLError]
        /// Documents in the stream, empty ones included (document indexes run up to this).
        public var documentCount = 0
    }

    /// Loads every document of `bytes`; `file` names the input in positions and errors.
    /// `lineOffset` is the number of lines before `bytes` when they are one part of a larger file
    /// (see `YAMLStreamSplitter`), so that positions stay those of the whole file.
    public func load(_ bytes: [UInt8], file: String, lineOffset: Int = 0) -> Result {
        load(bytes[...], file: file, lineOffset: lineOffset)
    }

    /// Loads every document of a part of a file's bytes (see `load(_:file:lineOffset:)`). After a
    /// syntax error, which libyaml cannot recover from, reading goes on at the next `---` line
    /// after the broken document, so one bad document does not hide the rest of the stream.
    public func load(_ bytes: ArraySlice<UInt8>, file: String, lineOffset: Int = 0) -> Result {
        guard !bytes.isEmpty else { return Result(documents: [], errors: []) }
        return bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) {
                let nul = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                let position = SourceText(buffer).position(ofByte: nul)
                return Result(documents: [], errors: [YAMLError(
                    file: file, line: position.line, column: position.column,
                    message: "binary file: NUL byte at offset \(nul); airlock reads only YAML and JSON text")])
            }
            var result = Result(documents: [], errors: [])
            var start = 0
            var linesBefore = lineOffset
            while true {
                let rest = UnsafeBufferPointer(rebasing: buffer[start...])
                var stream = EventStream(buffer: rest, file: file, limits: limits, lineOffset: linesBefore)
                let part = stream.run()
                let documentsBefore = result.documentCount
                result.documents += part.documents.map { documentsBefore == 0 ? $0 : $0.renumbered(by: documentsBefore) }
                result.errors += part.errors.map { var error = $0; error.line += linesBefore; return error }
                result.documentCount += part.documentCount
                guard let resume = stream.resumption else { return result }
                result.documentCount += 1  // the broken document
                start += resume.offset
                linesBefore += resume.linesBefore
            }
        }
    }
}

/// The event loop over one stream; one `DocumentBuilder` builds the arena its documents share.
private struct EventStream {
    let buffer: UnsafeBufferPointer<UInt8>
    let file: String
    let limits: YAMLLimits
    let lineOffset: Int
    /// The documents kept, made into `YAMLDocument`s once the arena is complete.
    var kept: [(index: Int, helmSource: String?, rootID: UInt32, nodeCount: Int)] = []
    var errors: [YAMLError] = []
    /// Where reading can go on after a syntax error: the next document marker after the broken
    /// document (byte offset and lines before it, in this stream's bytes).
    var resumption: (offset: Int, linesBefore: Int)?
    lazy var helmSources: [(line: Int, path: String)] = HelmSourceComments.scan(buffer)

    init(buffer: UnsafeBufferPointer<UInt8>, file: String, limits: YAMLLimits, lineOffset: Int) {
        self.buffer = buffer
        self.file = file
        self.limits = limits
        self.lineOffset = lineOffset
    }

    mutating func run() -> YAMLLoader.Result {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .init(documents: [], errors: [YAMLError(file: file, line: 1, column: 1, message: "cannot initialise the YAML parser")])
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

        var builder = DocumentBuilder(file: file, limits: limits)
        var inDocument = false
        var documentIndex = 0
        var previousDocumentEndLine = 0
        var documentStartLine = 0
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                errors.append(parserError(parser))
                if inDocument { builder.discardDocument() }
                if parser.error == YAML_SCANNER_ERROR || parser.error == YAML_PARSER_ERROR {
                    // A later line than the broken document's first, and than line 1: progress.
                    let line = max(Int(parser.problem_mark.line) + 1, documentStartLine + 1, 2)
                    resumption = SourceText(buffer).documentMarker(fromLine: line)
                }
                break
            }
            defer { yaml_event_delete(&event) }
            let type = event.type
            if type == YAML_STREAM_END_EVENT { break }
            switch type {
            case YAML_DOCUMENT_START_EVENT:
                documentStartLine = Int(event.start_mark.line) + 1
                builder.start(at: Int(event.start_mark.index))
                inDocument = true
            case YAML_DOCUMENT_END_EVENT:
                let endLine = Int(event.end_mark.line) + 1
                if inDocument { finish(&builder, index: documentIndex, afterLine: previousDocumentEndLine) }
                inDocument = false
                documentIndex += 1
                previousDocumentEndLine = endLine
            default:
                if inDocument { builder.consume(event) }
            }
        }
        let storage = builder.storage(lineOffset: lineOffset)
        let documents = kept.map {
            YAMLDocument(index: $0.index, helmSource: $0.helmSource, storage: storage, rootID: $0.rootID, nodeCount: $0.nodeCount)
        }
        return .init(documents: documents, errors: errors, documentCount: documentIndex)
    }

    private mutating func finish(_ builder: inout DocumentBuilder, index: Int, afterLine: Int) {
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
        let source = helmSources.last { $0.line > afterLine && $0.line < rootLine }?.path
        kept.append((index, source, rootID, builder.documentNodeCount))
    }

    private func parserError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let text = SourceText(buffer)
        if parser.error == YAML_READER_ERROR {
            let position = text.position(ofByte: Int(parser.problem_offset))
            return YAMLError(file: file, line: position.line, column: position.column,
                             message: "invalid encoding: \(problem) (airlock reads UTF-8 text)")
        }
        // At the end of a text without a final line break, libyaml reports the line after it.
        let (line, column) = text.lineRange(Int(parser.problem_mark.line) + 1) == nil
            ? text.position(ofByte: buffer.count)
            : (Int(parser.problem_mark.line) + 1, Int(parser.problem_mark.column) + 1)
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) { message = "\(context), \(problem)" }
        if text.character(line: line, column: column) == "\t" || text.lineHasTabIndentation(line) {
            message += " (a tab is used for indentation; YAML allows only spaces)"
        }
        return YAMLError(file: file, line: line, column: column, message: "malformed YAML: \(message)")
    }
}
