import CYAML

/// Turns the events of a stream's documents into one `YAMLArena`, enforcing the limits. One
/// builder serves every document of a stream (`start(at:)`): each document's nodes are appended to
/// the same buffers, so a document costs no allocation of its own. After the first error it ignores
/// the rest of the document, and `discardDocument()` takes the document's nodes out again.
struct DocumentBuilder {
    let file: String
    /// Lines before the part in its file: added to the lines that messages name (the lines of
    /// positions are the part's, see `YAMLLoader.load(_:file:lineOffset:)`).
    let lineOffset: Int
    let limits: YAMLLimits
    private(set) var startIndex = 0

    private(set) var records = ArenaBuffer<NodeRecord>()
    private(set) var children = ArenaBuffer<UInt32>()
    /// The values of mapping entries that do not follow their key (see `YAMLArena.detachedValues`).
    private(set) var detachedValues = ArenaBuffer<DetachedValue>()
    /// Scalar text, one run per scalar.
    private(set) var text = ArenaBuffer<UInt8>()
    /// The character offset at which each line starts (see `YAMLArena.lineStarts`).
    private(set) var lineStarts = ArenaBuffer<UInt32>()
    private(set) var rootID: UInt32?
    private(set) var error: YAMLError?
    /// Whether a duplicate key is noted in `duplicateKeys` instead of ending the document (see
    /// `YAMLLoader.keepsDocumentsWithDuplicateKeys`).
    var keepsDuplicateKeys = false
    /// The current document's mappings with a duplicate key, when they are kept.
    private(set) var duplicateKeys: [YAMLDocument.DuplicateKey] = []
    /// The position in `duplicateKeys` of each mapping with a duplicate key, by node id (aliases too).
    private var duplicateKeyOfMapping: [UInt32: Int] = [:]
    /// Entries that merge keys have copied into the current document's mappings.
    private var mergedEntryCount: UInt64 = 0
    /// Bytes of scalar text the aliases of the documents kept so far and of the current one
    /// repeat, counted per alias: rules read every copy, so the budget bounds their work too.
    private var aliasedTextBytes: UInt64 = 0
    /// `aliasedTextBytes` before the current document, restored when it is discarded.
    private var aliasedTextBytesBeforeDocument: UInt64 = 0

    /// Where the current document starts in `records`, `children` and `text`.
    private var base = (records: 0, children: 0, text: 0)
    /// What each node of the current document stands for once aliases are expanded, from `base.records` on.
    private var expansions: [Expansion] = []
    private var anchors: [String: UInt32] = [:]
    private var interner = TextInterner()
    private var frames: [Frame] = []
    /// Children of the open collections, innermost last; moved to `children` when a collection ends.
    private var pending: [UInt32] = []

    /// A node with its aliases expanded: how many nodes, and how many bytes of scalar text.
    private struct Expansion {
        var nodes: UInt64
        var textBytes: UInt64
    }

    private struct Frame {
        var id: UInt32
        var isMapping: Bool
        var pendingStart: Int
        var anchor: String?
        var expectingKey = true
        var nextValueIsMerge = false
        var mergeSources: [UInt32] = []
        /// Where this mapping's `<<` key is, once seen (a second one is a duplicate key).
        var mergeKeyPosition: (line: Int, column: Int)?
        /// How many of the mapping's own keys come before its `<<` key.
        var keysBeforeMerge = 0
    }

    /// The most records, child entries, text bytes or characters of one arena, leaving room for
    /// one event.
    private static let arenaLimit = Int(UInt32.max) - NodeRecord.maxCount - 1
    /// The most records: a node id leaves the top bit of a mapping entry free.
    static let nodeLimit = Int(YAMLArena.detachedValueFlag) - NodeRecord.maxCount - 1

    init(file: String, lineOffset: Int, limits: YAMLLimits) {
        self.file = file
        self.lineOffset = lineOffset
        self.limits = limits
    }

    /// Nodes of the current document.
    var documentNodeCount: Int { records.count - base.records }

    /// Starts a new document at byte `startIndex`, after the nodes of the documents before it.
    mutating func start(at startIndex: Int) {
        self.startIndex = startIndex
        base = (records.count, children.count, text.count)
        interner.markDocumentStart()
        expansions.removeAll(keepingCapacity: true)
        anchors.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        rootID = nil
        error = nil
        duplicateKeys.removeAll()
        duplicateKeyOfMapping.removeAll()
        mergedEntryCount = 0
        aliasedTextBytesBeforeDocument = aliasedTextBytes
    }

    /// Takes the current document's nodes out of the arena (a document with an error, or empty).
    mutating func discardDocument() {
        aliasedTextBytes = aliasedTextBytesBeforeDocument
        records.removeSuffix(from: base.records)
        children.removeSuffix(from: base.children)
        while let last = detachedValues.last, last.position >= base.children { detachedValues.removeSuffix(from: detachedValues.count - 1) }
        text.removeSuffix(from: base.text)
        interner.discardDocument(keepingText: base.text)
    }

    /// The storage of every document kept, `lineOffset` lines into its file; the builder is empty
    /// afterwards.
    mutating func takeStorage(lineOffset: Int) -> ArenaStorage {
        ArenaStorage(
            file: file, lineOffset: lineOffset, records: &records, children: &children,
            detachedValues: &detachedValues, text: &text, lineStarts: &lineStarts)
    }

    /// Adds one libyaml event of the current document, positioned by `marks`. `value` replaces a
    /// scalar event's value (see `SurrogatePairEscapes`).
    mutating func consume(_ event: yaml_event_t, marks: LibYAMLMarks, value: UnsafeBufferPointer<UInt8>? = nil) {
        guard error == nil else { return }
        let start = marks.mark(event.start_mark)
        let end = marks.mark(event.end_mark)
        if end.index - startIndex > limits.maxDocumentBytes {
            fail(at: start, "document is larger than the limit of \(limits.maxDocumentBytes) bytes (raise it with --max-document-bytes)")
            return
        }
        // Offsets in the arena are 32-bit; one event adds at most one record, one scalar or one
        // collection's children, each at most `NodeRecord.maxCount`.
        if max(children.count, text.count, end.index) > Self.arenaLimit || records.count > Self.nodeLimit {
            fail(at: start, "the stream holds more nodes or text than airlock can index in one part (4 GiB); split it into several files")
            return
        }
        /// Where the node's value starts: after its properties, if it has any.
        func content(tag: UnsafeMutablePointer<yaml_char_t>?, anchor: UnsafeMutablePointer<yaml_char_t>?) -> SourceMark {
            tag == nil && anchor == nil
                ? start : marks.contentStart(from: event.start_mark, end: event.end_mark, isScalar: event.type == YAML_SCALAR_EVENT)
        }
        switch event.type {
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let bytes = value ?? UnsafeBufferPointer(start: data.value, count: data.value == nil ? 0 : data.length)
            scalar(
                bytes, style: Self.style(data.style), tag: string(data.tag), anchor: string(data.anchor),
                at: content(tag: data.tag, anchor: data.anchor), propertiesAt: start)
        case YAML_ALIAS_EVENT: alias(string(event.data.alias.anchor) ?? "", at: start)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            open(isMapping: true, tag: string(data.tag), anchor: string(data.anchor), at: content(tag: data.tag, anchor: data.anchor), propertiesAt: start)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            open(isMapping: false, tag: string(data.tag), anchor: string(data.anchor), at: content(tag: data.tag, anchor: data.anchor), propertiesAt: start)
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT: close(at: start)
        default: break
        }
        if let rootID, error == nil, frames.isEmpty { checkExpansion(rootID, at: end) }
    }

    // MARK: Events
    //
    // `SimpleYAMLReader` calls these directly for the documents it reads; it reads no aliases and
    // no text larger than the limits, so the checks `consume` makes first cannot fail for them.

    /// A scalar of the current document (`bytes` after unescaping), whose value starts at `mark`
    /// and its properties (tag and anchor), if any, at `propertiesAt`.
    mutating func scalar(
        _ bytes: UnsafeBufferPointer<UInt8>, style: YAMLScalarStyle, tag: String? = nil, anchor: String? = nil,
        at mark: SourceMark, propertiesAt: SourceMark? = nil
    ) {
        guard error == nil else { return }
        guard bytes.count <= NodeRecord.maxCount else {
            fail(at: mark, "scalar is longer than the limit of \(NodeRecord.maxCount) bytes")
            return
        }
        let quoted = style != .plain
        guard let type = resolveScalar(bytes, tag: tag, quoted: quoted, at: propertiesAt ?? mark) else { return }
        let id = append(NodeRecord(
            kind: .scalar, scalarType: type, style: style, index: noteStart(mark),
            payload: interner.offset(of: bytes, appendingTo: &text), count: bytes.count),
            expansion: Expansion(nodes: 1, textBytes: UInt64(bytes.count)))
        if let anchor { anchors[anchor] = id }
        let isMergeKey = !quoted && tag == nil && bytes.count == 2 && bytes[0] == UInt8(ascii: "<") && bytes[1] == UInt8(ascii: "<")
        attach(id, isMergeKey: isMergeKey, at: mark)
    }

    /// An alias is a node of its own, positioned where `*name` is written, with its anchor's
    /// content: its record is a copy of the anchored node's (a scalar's text, or a collection's run
    /// of children, shared, not copied). A finding on it then points at the alias, and the nodes
    /// inside an aliased collection at the anchored text they are read from.
    private mutating func alias(_ name: String, at mark: SourceMark) {
        guard let target = anchors[name] else {
            fail(at: mark, "alias *\(name) refers to no anchor defined before it")
            return
        }
        let expansion = expansions[Int(target) - base.records]
        // Each alias's text is at most what was read before it plus what earlier aliases
        // repeated, both bounded: the sum cannot overflow.
        aliasedTextBytes += expansion.textBytes
        let textBudget = aliasTextBudget(before: mark)
        guard aliasedTextBytes <= textBudget else {
            fail(at: mark, "aliases repeat more than \(textBudget) bytes of scalar text (\(limits.aliasExpansionFactor)x the text before this alias, at least \(limits.aliasTextFloor)): refusing a possible alias bomb")
            return
        }
        var record = records[Int(target)]
        record.index = noteStart(mark)
        let id = append(record, expansion: expansion)
        if let duplicate = duplicateKeyOfMapping[target] {
            duplicateKeys[duplicate].nodes.append(id)
            duplicateKeyOfMapping[id] = duplicate
        }
        attach(id, isMergeKey: false, at: mark)
    }

    /// The start of a mapping or sequence of the current document, whose content starts at `mark`
    /// and its properties (tag and anchor), if any, at `propertiesAt`.
    mutating func open(isMapping: Bool, tag: String? = nil, anchor: String? = nil, at mark: SourceMark, propertiesAt: SourceMark? = nil) {
        guard error == nil else { return }
        if let tag, tag != (isMapping ? YAMLTag.map : YAMLTag.seq) {
            fail(at: propertiesAt ?? mark, "tag \(YAMLTag.display(tag)) is not allowed on a \(isMapping ? "mapping" : "sequence"); airlock reads only standard YAML")
            return
        }
        guard frames.count < limits.maxDepth else {
            fail(at: mark, "nesting is deeper than the limit of \(limits.maxDepth) (raise it with --max-depth)")
            return
        }
        let id = append(NodeRecord(
            kind: isMapping ? .mapping : .sequence, scalarType: .null, style: .plain, index: noteStart(mark),
            payload: 0, count: 0), expansion: Expansion(nodes: 1, textBytes: 0))
        frames.append(Frame(id: id, isMapping: isMapping, pendingStart: pending.count, anchor: anchor))
    }

    /// The end of the innermost open collection; `mark` is where its end token starts.
    mutating func close(at mark: SourceMark) {
        guard error == nil, let frame = frames.popLast() else { return }
        if frame.isMapping, let (first, duplicate) = firstDuplicateKey(in: frame.pendingStart..<pending.count) {
            let duplicateError = duplicateKeyError(first, duplicate)
            guard keepsDuplicateKeys else {
                error = duplicateError
                return
            }
            noteDuplicateKey(in: frame.id, keys: [first, duplicate], error: duplicateError)
        }
        // Only a mapping with merge keys needs a new list of entries.
        if frame.isMapping && !frame.mergeSources.isEmpty {
            let entries = frame.pendingStart..<pending.count
            // A key written before `<<` that the merge sets too: the YAML spec keeps the key, go-yaml
            // v2 (kubectl, Helm) applies the merge where it stands and so overrides it.
            let before = frame.pendingStart..<(frame.pendingStart + 2 * frame.keysBeforeMerge)
            if let key = keyMergedOver(before, sources: frame.mergeSources), let merge = frame.mergeKeyPosition {
                let keyPosition = position(of: key)
                let conflict = YAMLError(
                    file: file, line: keyPosition.line, column: keyPosition.column,
                    message: "key \"\(withBuilt { $0.text(of: key) })\" is set again by the merge key << after it (line \(merge.line + lineOffset), column \(merge.column)); readers disagree on which one wins (go-yaml, which kubectl and Helm use, takes the merged value): write the key after <<")
                guard keepsDuplicateKeys else {
                    error = conflict
                    return
                }
                noteDuplicateKey(in: frame.id, keys: [key], error: conflict)
            }
            let merged = mergedEntries(entries, sources: frame.mergeSources)
            // Merged entries are copied, unlike aliases: a chain of mappings each merging the one
            // before copies quadratically many, so they count against the budget as they are made.
            mergedEntryCount += UInt64(merged.count - entries.count) / 2
            guard mergedEntryCount <= expansionBudget else {
                fail(at: mark, "merge keys (<<) copy more than \(expansionBudget) entries (\(limits.aliasExpansionFactor)x the document's \(documentNodeCount) nodes so far): refusing a possible alias bomb")
                return
            }
            pending.replaceSubrange(entries, with: merged)
            // A mapping that merges one with a duplicate key reads it, whichever keys it overrides.
            for source in frame.mergeSources {
                guard let duplicate = duplicateKeyOfMapping[source] else { continue }
                duplicateKeys[duplicate].nodes.append(frame.id)
                duplicateKeyOfMapping[frame.id] = duplicate
            }
        }
        // The collection's children move from the end of `pending` to `children`, read by index:
        // a slice of `pending` held across its shrinking would make it copy its buffer.
        let entries = frame.pendingStart..<pending.count
        let count = frame.isMapping ? entries.count / 2 : entries.count
        guard count <= NodeRecord.maxCount else {
            fail(at: mark, "a collection has more than \(NodeRecord.maxCount) entries")
            return
        }
        var expansion = Expansion(nodes: 1, textBytes: 0)
        for position in entries {
            let child = expansions[Int(pending[position]) - base.records]
            let (nodes, overflow) = expansion.nodes.addingReportingOverflow(child.nodes)
            expansion.nodes = overflow ? .max : nodes
            expansion.textBytes += child.textBytes
        }
        let start = children.count
        if frame.isMapping {
            appendEntries(entries)
        } else {
            pending.withUnsafeBufferPointer { children.append(contentsOf: UnsafeBufferPointer(rebasing: $0[entries])) }
        }
        pending.removeLast(entries.count)
        expansions[Int(frame.id) - base.records] = expansion
        records[Int(frame.id)].payload = UInt32(start)
        records[Int(frame.id)].count = count
        if let anchor = frame.anchor { anchors[anchor] = frame.id }
        attach(frame.id, isMergeKey: false, at: mark)
    }

    /// Appends a mapping's (key, value) pairs, at `entries` of `pending`, to `children` as their
    /// keys alone: a value is nearly always the node made right after its key, and only the others
    /// (aliases) are noted in `detachedValues`.
    private mutating func appendEntries(_ entries: Range<Int>) {
        for index in stride(from: entries.lowerBound, to: entries.upperBound, by: 2) {
            let (key, value) = (pending[index], pending[index + 1])
            if value == key + 1 {
                children.append(key)
            } else {
                detachedValues.append(DetachedValue(position: UInt32(children.count), value: value))
                children.append(key | YAMLArena.detachedValueFlag)
            }
        }
    }

    // MARK: Tree building

    /// The character offset of a node starting at `mark`, after recording where its line starts
    /// (and, for the lines before it that hold no node, the same start).
    private mutating func noteStart(_ mark: SourceMark) -> UInt32 {
        let lineStart = UInt32(mark.index - mark.column)
        while lineStarts.count <= mark.line { lineStarts.append(lineStart) }
        return UInt32(mark.index)
    }

    private mutating func append(_ record: NodeRecord, expansion: Expansion) -> UInt32 {
        records.append(record)
        expansions.append(expansion)
        return UInt32(records.count - 1)
    }

    /// Adds a finished node to the innermost open collection, or makes it the root.
    private mutating func attach(_ id: UInt32, isMergeKey: Bool, at mark: SourceMark) {
        guard !frames.isEmpty else {
            rootID = id
            return
        }
        let top = frames.count - 1
        guard frames[top].isMapping else {
            pending.append(id)
            return
        }
        if frames[top].expectingKey {
            frames[top].expectingKey = false
            if isMergeKey {
                // Readers differ on repeated merge keys (go-yaml v2 applies each in turn, later
                // ones overriding earlier keys; the spec allows one), like any duplicate key.
                if let first = frames[top].mergeKeyPosition {
                    let duplicateError = yamlError(
                        at: mark, "duplicate key \"<<\" (first at line \(first.line + lineOffset), column \(first.column)); readers disagree on which one wins")
                    guard keepsDuplicateKeys else {
                        error = duplicateError
                        return
                    }
                    noteDuplicateKey(in: frames[top].id, keys: [], error: duplicateError)
                }
                frames[top].mergeKeyPosition = (mark.line + 1, mark.column + 1)
                frames[top].keysBeforeMerge = (pending.count - frames[top].pendingStart) / 2
                frames[top].nextValueIsMerge = true
            } else {
                if records[Int(id)].kind != .scalar {
                    fail(at: mark, "a mapping key must be a scalar (Kubernetes objects are JSON)")
                    return
                }
                pending.append(id)
            }
            return
        }
        frames[top].expectingKey = true
        if frames[top].nextValueIsMerge {
            frames[top].nextValueIsMerge = false
            addMergeSources(id, to: top, at: mark)
        } else {
            pending.append(id)
        }
    }

    /// `<<: *anchor` or `<<: [*a, *b]`: the value must be a mapping or a sequence of mappings.
    private mutating func addMergeSources(_ id: UInt32, to frame: Int, at mark: SourceMark) {
        let record = records[Int(id)]
        switch record.kind {
        case .mapping:
            frames[frame].mergeSources.append(id)
        case .sequence:
            for position in Int(record.payload)..<Int(record.payload) + record.count {
                let item = children[position]
                guard records[Int(item)].kind == .mapping else {
                    fail(at: mark, "merge key << takes a mapping or a sequence of mappings")
                    return
                }
                frames[frame].mergeSources.append(item)
            }
        case .scalar:
            fail(at: mark, "merge key << takes a mapping or a sequence of mappings, not a scalar")
        }
    }

    /// Notes the mapping `id` as one with a duplicate key (see `duplicateKeys`).
    private mutating func noteDuplicateKey(in id: UInt32, keys: [UInt32], error: YAMLError) {
        duplicateKeyOfMapping[id] = duplicateKeys.count
        duplicateKeys.append(YAMLDocument.DuplicateKey(nodes: [id] + keys, error: error))
    }

    private func duplicateKeyError(_ first: UInt32, _ duplicate: UInt32) -> YAMLError {
        let (position, firstPosition) = (position(of: duplicate), position(of: first))
        let text = withBuilt { $0.text(of: duplicate) }
        return YAMLError(
            file: file, line: position.line, column: position.column,
            message: "duplicate key \"\(text)\" (first at line \(firstPosition.line + lineOffset), column \(firstPosition.column)); readers disagree on which one wins")
    }

    // Called from mutating methods, a closure reading `pending` would capture `self`, and
    // `withBuilt` would then run on a copy of the whole builder; these take `self` borrowed.

    private func firstDuplicateKey(in entries: Range<Int>) -> (first: UInt32, duplicate: UInt32)? {
        pending.withUnsafeBufferPointer { pending in withBuilt { $0.firstDuplicateKey(in: pending[entries]) } }
    }

    private func keyMergedOver(_ entries: Range<Int>, sources: [UInt32]) -> UInt32? {
        pending.withUnsafeBufferPointer { pending in withBuilt { $0.firstKey(of: pending[entries], setBy: sources) } }
    }

    private func mergedEntries(_ entries: Range<Int>, sources: [UInt32]) -> [UInt32] {
        pending.withUnsafeBufferPointer { pending in withBuilt { $0.mergedEntries(pending[entries], sources: sources) } }
    }

    /// The 1-based line and column of a node of the current document.
    func position(of id: UInt32) -> (line: Int, column: Int) {
        withBuilt { $0.position(of: $0.records[Int(id)]) }
    }

    /// Runs `body` on the nodes built so far, seen as an arena (not copied).
    private func withBuilt<Result>(_ body: (YAMLArena) -> Result) -> Result {
        records.withUnsafeBufferPointer { records in
            children.withUnsafeBufferPointer { children in
                text.withUnsafeBufferPointer { text in
                    lineStarts.withUnsafeBufferPointer { lineStarts in
                        detachedValues.withUnsafeBufferPointer { detachedValues in
                            body(YAMLArena(records: records, children: children, detachedValues: detachedValues, text: text, lineStarts: lineStarts))
                        }
                    }
                }
            }
        }
    }

    // MARK: Checks

    private mutating func resolveScalar(_ bytes: UnsafeBufferPointer<UInt8>, tag: String?, quoted: Bool, at mark: SourceMark) -> YAMLScalarType? {
        guard let tag, tag != "!" else { return quoted || tag == "!" ? .string : YAMLScalarType.resolvePlain(bytes) }
        let text = String(decoding: bytes, as: UTF8.self)
        switch tag {
        case YAMLTag.str, YAMLTag.timestamp: return .string
        case YAMLTag.null: return .null
        case YAMLTag.bool where YAMLScalarType.parseBool(text) != nil: return .bool
        case YAMLTag.int where YAMLScalarType.parseInt(text) != nil: return .int
        case YAMLTag.float where YAMLScalarType.parseFloat(text) != nil || YAMLScalarType.parseInt(text) != nil: return .float
        case YAMLTag.bool, YAMLTag.int, YAMLTag.float:
            fail(at: mark, "\"\(text)\" cannot be read as \(YAMLTag.display(tag))")
            return nil
        default:
            fail(at: mark, "tag \(YAMLTag.display(tag)) is not allowed; airlock reads only the standard YAML tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)")
            return nil
        }
    }

    /// The most nodes the document's aliases may expand to (and entries its merge keys may copy).
    private var expansionBudget: UInt64 {
        max(UInt64(limits.aliasExpansionFloor), UInt64(limits.aliasExpansionFactor) * UInt64(documentNodeCount))
    }

    private mutating func checkExpansion(_ rootID: UInt32, at mark: SourceMark) {
        let budget = expansionBudget
        if expansions[Int(rootID) - base.records].nodes > budget {
            fail(at: mark, "aliases expand to more than \(budget) nodes (\(limits.aliasExpansionFactor)x the document's \(documentNodeCount) nodes): refusing a possible alias bomb")
        }
    }

    /// The most bytes of scalar text the stream's aliases may repeat, up to the alias at `mark`:
    /// counted over the whole stream, so that many small documents cannot each repeat the floor.
    private func aliasTextBudget(before mark: SourceMark) -> UInt64 {
        max(UInt64(limits.aliasTextFloor), UInt64(limits.aliasExpansionFactor) * UInt64(mark.index))
    }

    mutating func fail(at mark: SourceMark, _ message: String) {
        error = yamlError(at: mark, message)
    }

    private func yamlError(at mark: SourceMark, _ message: String) -> YAMLError {
        YAMLError(file: file, line: mark.line + 1, column: mark.column + 1, message: message)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// A position as libyaml marks it: character offset in the stream part, 0-based line and column
/// (in characters).
struct SourceMark {
    var index: Int
    var line: Int
    var column: Int

    init(index: Int, line: Int, column: Int) {
        self.index = index
        self.line = line
        self.column = column
    }
}

/// Mapping keys of a document being built: duplicates and merges, compared byte for byte.
private extension YAMLArena {
    func text(of key: UInt32) -> String { text(of: records[Int(key)]) }

    /// The first key written twice in `entries` (key, value, key, value, ...), with the key it
    /// repeats. Small mappings, the usual case, are compared pairwise without hashing.
    func firstDuplicateKey(in entries: Slice<UnsafeBufferPointer<UInt32>>) -> (first: UInt32, duplicate: UInt32)? {
        let keys = stride(from: entries.startIndex, to: entries.endIndex, by: 2)
        if entries.count <= 24 {
            for index in keys {
                let key = entries[index]
                for earlier in stride(from: entries.startIndex, to: index, by: 2)
                where sameText(records[Int(entries[earlier])], records[Int(key)]) {
                    return (entries[earlier], key)
                }
            }
            return nil
        }
        var seen: [String: UInt32] = [:]
        seen.reserveCapacity(entries.count / 2)
        for index in keys {
            let key = entries[index]
            let text = text(of: key)
            if let earlier = seen[text] { return (earlier, key) }
            seen[text] = key
        }
        return nil
    }

    /// The first key of `entries` that one of the merge `sources` sets too.
    func firstKey(of entries: Slice<UnsafeBufferPointer<UInt32>>, setBy sources: [UInt32]) -> UInt32? {
        guard !entries.isEmpty else { return nil }
        var merged: Set<String> = []
        for source in sources {
            let record = records[Int(source)]
            for position in Int(record.payload)..<Int(record.payload) + record.count { merged.insert(text(of: entry(at: position).key)) }
        }
        return stride(from: entries.startIndex, to: entries.endIndex, by: 2).lazy.map { entries[$0] }.first { merged.contains(text(of: $0)) }
    }

    /// The mapping's own entries, then the merged entries whose keys it does not set itself
    /// (earlier merge sources win over later ones).
    func mergedEntries(_ entries: Slice<UnsafeBufferPointer<UInt32>>, sources: [UInt32]) -> [UInt32] {
        var seen = Set(stride(from: entries.startIndex, to: entries.endIndex, by: 2).map { text(of: entries[$0]) })
        var result = Array(entries)
        for source in sources {
            let record = records[Int(source)]
            let start = Int(record.payload)
            for position in start..<start + record.count {
                let (key, value) = entry(at: position)
                if seen.insert(text(of: key)).inserted {
                    result.append(key)
                    result.append(value)
                }
            }
        }
        return result
    }
}
