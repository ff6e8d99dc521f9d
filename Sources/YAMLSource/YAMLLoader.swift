#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a YAML (or JSON) stream into `YAMLDocument`s, with `SimpleYAMLReader` for the plain
/// subset of YAML and libyaml's event API for the rest (see `StreamPart`).
///
/// Strict where Kubernetes tooling is lenient, because a gate that reads a file differently from
/// the cluster can be bypassed: duplicate keys, non-standard tags, tab indentation, alias bombs,
/// nesting and size beyond `limits` are all errors with a position. A document with an error is
/// dropped; the documents before and after it in the same stream are still returned.
public struct YAMLLoader: Sendable {
    public var limits: YAMLLimits
    /// Keeps a document in which a mapping has a duplicate key, naming the mapping and the error in
    /// `YAMLDocument.duplicateKeys`, instead of dropping it: for a reader that rejects only the part
    /// that holds the mapping (an item of a `kind: List`) and reads the rest.
    public var keepsDocumentsWithDuplicateKeys = false

    public init(limits: YAMLLimits = YAMLLimits(), keepsDocumentsWithDuplicateKeys: Bool = false) {
        self.limits = limits
        self.keepsDocumentsWithDuplicateKeys = keepsDocumentsWithDuplicateKeys
    }

    /// The documents of a stream (empty documents left out) and every error found in it.
    public struct Result: Sendable {
        public var documents: [YAMLDocument]
        public var errors: [YAMLError]
        /// Documents in the stream, empty ones included (document indexes run up to this).
        public var documentCount = 0
    }

    /// Loads every document of a whole stream, in UTF-8, or UTF-16 or UTF-32 with a byte order
    /// mark (see `UnicodeText`); `file` names the input in positions and errors.
    public func load(_ bytes: [UInt8], file: String) -> Result {
        switch UnicodeText.utf8(bytes, file: file) {
        case .success(let text): load(text[...], file: file)
        case .failure(let error): Result(documents: [], errors: [error])
        }
    }

    /// Reads `buffer`, a whole stream or one part of it.
    private func read(_ buffer: UnsafeBufferPointer<UInt8>, file: String, lineOffset: Int) -> Result {
        var stream = StreamPart(buffer: buffer, file: file, limits: limits, lineOffset: lineOffset, keepsDuplicateKeys: keepsDocumentsWithDuplicateKeys)
        return stream.run()
    }

    /// Loads every document of a part of a file's bytes, in UTF-8 (`UnicodeText` converts a whole
    /// file first). `lineOffset` is the number of lines before `bytes` when they are one part of a
    /// larger file (see `YAMLStreamSplitter`), so that positions stay those of the whole file. After a
    /// syntax error reading goes on at the next `---` line (see `StreamPart.run()`).
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
            let marks = DocumentByteOrderMarks(buffer)
            guard !marks.offsets.isEmpty else { return readText(buffer, file: file, lineOffset: lineOffset) }
            var part = marks.removed(from: buffer).withUnsafeBufferPointer { readText($0, file: file, lineOffset: lineOffset) }
            let text = SourceText(buffer)
            part.errors += marks.beforeMarkers.map { offset in
                YAMLError(
                    file: file, line: text.position(ofByte: offset).line + lineOffset, column: 1,
                    message: "a byte order mark before ---: kubectl and Helm split documents only at lines that start with ---, so they read this line into the document before it and cannot read that one; remove the byte order mark")
            }
            part.errors.sort { ($0.line, $0.column) < ($1.line, $1.column) }
            return part
        }
    }

    /// Loads each of `segments` (ranges of `bytes`, each from the start of a line, in order) as
    /// `load(_:file:lineOffset:)` loads a part: the same documents, positions and errors for each.
    /// Their nodes are then copied into one storage (see `ArenaJoiner`), which their documents
    /// share: a file of many small documents that YAML would not read as one stream, such as
    /// JSON Lines, costs no more memory than a YAML stream of the same documents.
    public func load(_ bytes: ArraySlice<UInt8>, file: String, segments: [YAMLStreamSplitter.Part]) -> [Result] {
        guard let first = segments.first else { return [] }
        // One segment (a part of a YAML stream) keeps its own storage: a copy would cost a fifth
        // of the reading again, for nothing.
        guard segments.count > 1 else { return [load(bytes[first.range], file: file, lineOffset: first.lineOffset)] }
        var joiner = ArenaJoiner()
        var loaded: [(result: Result, documents: [YAMLDocument.Moved])] = []
        for segment in segments {
            var result = load(bytes[segment.range], file: file, lineOffset: segment.lineOffset)
            let idOffset = result.documents.first.map {
                joiner.append($0.arena, at: segment.range.lowerBound - first.range.lowerBound, line: segment.lineOffset - first.lineOffset)
            }
            let documents = result.documents.map { $0.moved(idOffset: idOffset ?? 0) }
            // The segment's own storage is freed here, once its nodes are copied.
            result.documents = []
            loaded.append((result, documents))
        }
        let storage = joiner.takeStorage(file: file, lineOffset: first.lineOffset)
        return loaded.map { segment in
            var result = segment.result
            result.documents = segment.documents.map { $0.document(in: storage) }
            return result
        }
    }

    /// Loads the documents of `buffer`, a text without NUL bytes or byte order marks after its
    /// start (see `DocumentByteOrderMarks`).
    private func readText(_ buffer: UnsafeBufferPointer<UInt8>, file: String, lineOffset: Int) -> Result {
        var part = read(buffer, file: file, lineOffset: lineOffset)
        // libyaml stops at text it cannot read, and loses the documents around it: read again
        // without the documents that hold such text, each an error of its own.
        if part.errors.contains(where: { $0.message.hasPrefix(StreamPart.unreadableTextPrefix) }) {
            let unreadable = UnreadableDocuments(buffer)
            if !unreadable.blanked.isEmpty {
                part = unreadable.blanking(buffer).withUnsafeBufferPointer { read($0, file: file, lineOffset: lineOffset) }
                let text = SourceText(buffer)
                part.errors += unreadable.blanked.map { document in
                    let position = text.position(ofByte: document.offset)
                    return YAMLError(
                        file: file, line: position.line, column: position.column,
                        message: document.problem + "; this document is not read, the others are")
                }
                part.errors.sort { ($0.line, $0.column) < ($1.line, $1.column) }
            }
        }
        return Result(
            documents: part.documents, errors: part.errors.map { var error = $0; error.line += lineOffset; return error },
            documentCount: part.documentCount)
    }
}
