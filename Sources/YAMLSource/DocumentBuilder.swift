import CYAML

/// Turns the events of one document into the arena of a `YAMLDocument`, enforcing the limits.
/// After the first error it ignores the rest of the document. One builder serves every document
/// of a stream (`start(at:)`), so its buffers grow once, not once per document.
struct DocumentBuilder {
    let file: String
    let limits: YAMLLimits
    private(set) var startIndex = 0

    private(set) var records: [NodeRecord] = []
    private(set) var children: [UInt32] = []
    private(set) var scalars: [String] = []
    private(set) var rootID: UInt32?
    private(set) var error: YAMLError?

    /// Nodes each node stands for once aliases are expanded, parallel to `records`.
    private var expandedSizes: [UInt64] = []
    private var anchors: [String: UInt32] = [:]
    private var frames: [Frame] = []
    /// Children of the open collections, innermost last; moved to `children` when a collection ends.
    private var pending: [UInt32] = []

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
    }

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    /// Starts a new document at byte `startIndex`, keeping the buffers' capacity.
    mutating func start(at startIndex: Int) {
        self.startIndex = startIndex
        records.removeAll(keepingCapacity: true)
        children.removeAll(keepingCapacity: true)
        scalars.removeAll(keepingCapacity: true)
        expandedSizes.removeAll(keepingCapacity: true)
        anchors.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        rootID = nil
        error = nil
    }

    /// The finished document, its arrays copied at their exact size (the builder's buffers keep
    /// the slack of their growth).
    func document(file: String, index: Int, lineOffset: Int, helmSource: String?, rootID: UInt32) -> YAMLDocument {
        YAMLDocument(
            file: file, index: index, lineOffset: lineOffset, helmSource: helmSource,
            records: records.withUnsafeBufferPointer(Array.init), children: children.withUnsafeBufferPointer(Array.init),
            scalars: scalars.withUnsafeBufferPointer(Array.init), rootID: rootID)
    }

    mutating func consume(_ event: yaml_event_t) {
        guard error == nil else { return }
        if Int(event.end_mark.index) - startIndex > limits.maxDocumentBytes {
            fail(at: event.start_mark, "document is larger than the limit of \(limits.maxDocumentBytes) bytes (raise it with --max-document-bytes)")
            return
        }
        switch event.type {
        case YAML_SCALAR_EVENT: scalar(event)
        case YAML_ALIAS_EVENT: alias(event)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            open(event, isMapping: true, tag: string(data.tag), anchor: string(data.anchor))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            open(event, isMapping: false, tag: string(data.tag), anchor: string(data.anchor))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT: close(event)
        default: break
        }
        if let rootID, error == nil, frames.isEmpty { checkExpansion(rootID, at: event.end_mark) }
    }

    // MARK: Events

    private mutating func scalar(_ event: yaml_event_t) {
        let data = event.data.scalar
        let text = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
        let style = Self.style(data.style)
        let quoted = style != .plain
        guard let type = resolveScalar(text, tag: string(data.tag), quoted: quoted, at: event.start_mark) else { return }
        let id = append(NodeRecord(
            kind: .scalar, scalarType: type, style: style,
            line: UInt32(event.start_mark.line + 1), column: UInt32(event.start_mark.column + 1),
            payload: UInt32(scalars.count), count: 0), expandedSize: 1)
        scalars.append(text)
        if let anchor = string(data.anchor) { anchors[anchor] = id }
        attach(id, isMergeKey: !quoted && text == "<<" && data.tag == nil, at: event.start_mark)
    }

    private mutating func alias(_ event: yaml_event_t) {
        let name = string(event.data.alias.anchor) ?? ""
        guard let target = anchors[name] else {
            fail(at: event.start_mark, "alias *\(name) refers to no anchor defined before it")
            return
        }
        attach(target, isMergeKey: false, at: event.start_mark)
    }

    private mutating func open(_ event: yaml_event_t, isMapping: Bool, tag: String?, anchor: String?) {
        if let tag, tag != (isMapping ? YAMLTag.map : YAMLTag.seq) {
            fail(at: event.start_mark, "tag \(YAMLTag.display(tag)) is not allowed on a \(isMapping ? "mapping" : "sequence"); airlock reads only standard YAML")
            return
        }
        guard frames.count < limits.maxDepth else {
            fail(at: event.start_mark, "nesting is deeper than the limit of \(limits.maxDepth) (raise it with --max-depth)")
            return
        }
        let id = append(NodeRecord(
            kind: isMapping ? .mapping : .sequence, scalarType: .null, style: .plain,
            line: UInt32(event.start_mark.line + 1), column: UInt32(event.start_mark.column + 1),
            payload: 0, count: 0), expandedSize: 1)
        frames.append(Frame(id: id, isMapping: isMapping, pendingStart: pending.count, anchor: anchor))
    }

    private mutating func close(_ event: yaml_event_t) {
        guard let frame = frames.popLast() else { return }
        var entries = Array(pending[frame.pendingStart...])
        pending.removeSubrange(frame.pendingStart...)
        if frame.isMapping {
            guard let merged = mergedEntries(entries, sources: frame.mergeSources, at: event.start_mark) else { return }
            entries = merged
        }
        var size: UInt64 = 1
        for child in entries {
            let (sum, overflow) = size.addingReportingOverflow(expandedSizes[Int(child)])
            size = overflow ? .max : sum
        }
        expandedSizes[Int(frame.id)] = size
        records[Int(frame.id)].payload = UInt32(children.count)
        records[Int(frame.id)].count = UInt32(entries.count)
        children.append(contentsOf: entries)
        if let anchor = frame.anchor { anchors[anchor] = frame.id }
        attach(frame.id, isMergeKey: false, at: event.start_mark)
    }

    // MARK: Tree building

    private mutating func append(_ record: NodeRecord, expandedSize: UInt64) -> UInt32 {
        records.append(record)
        expandedSizes.append(expandedSize)
        return UInt32(records.count - 1)
    }

    /// Adds a finished node to the innermost open collection, or makes it the root.
    private mutating func attach(_ id: UInt32, isMergeKey: Bool, at mark: yaml_mark_t) {
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
                    fail(at: mark, "duplicate key \"<<\" (first at line \(first.line), column \(first.column)); readers disagree on which one wins")
                    return
                }
                frames[top].mergeKeyPosition = (Int(mark.line) + 1, Int(mark.column) + 1)
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
    private mutating func addMergeSources(_ id: UInt32, to frame: Int, at mark: yaml_mark_t) {
        let record = records[Int(id)]
        switch record.kind {
        case .mapping:
            frames[frame].mergeSources.append(id)
        case .sequence:
            let items = children[Int(record.payload)..<Int(record.payload + record.count)]
            for item in items {
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

    /// The mapping's own entries, checked for duplicate keys, then the merged entries whose keys
    /// it does not set itself (earlier merge sources win over later ones).
    private mutating func mergedEntries(_ entries: [UInt32], sources: [UInt32], at mark: yaml_mark_t) -> [UInt32]? {
        if let (first, duplicate) = firstDuplicateKey(entries) {
            let firstRecord = records[Int(first)]
            let record = records[Int(duplicate)]
            error = YAMLError(
                file: file, line: Int(record.line), column: Int(record.column),
                message: "duplicate key \"\(keyText(duplicate))\" (first at line \(firstRecord.line), column \(firstRecord.column)); readers disagree on which one wins")
            return nil
        }
        guard !sources.isEmpty else { return entries }
        var seen = Set((0..<entries.count / 2).map { keyText(entries[2 * $0]) })
        var result = entries
        for source in sources {
            let record = records[Int(source)]
            var position = Int(record.payload)
            let end = position + Int(record.count)
            while position < end {
                let key = children[position]
                if seen.insert(keyText(key)).inserted {
                    result.append(key)
                    result.append(children[position + 1])
                }
                position += 2
            }
        }
        return result
    }

    private func keyText(_ key: UInt32) -> String { scalars[Int(records[Int(key)].payload)] }

    /// The first key written twice in `entries` (key, value, key, value, ...), with the key it
    /// repeats. Small mappings, the usual case, are compared pairwise without hashing.
    private func firstDuplicateKey(_ entries: [UInt32]) -> (first: UInt32, duplicate: UInt32)? {
        let keys = stride(from: 0, to: entries.count, by: 2).map { entries[$0] }
        if keys.count <= 12 {
            for index in keys.indices {
                let text = keyText(keys[index])
                if let earlier = keys[..<index].first(where: { keyText($0) == text }) { return (earlier, keys[index]) }
            }
            return nil
        }
        var seen: [String: UInt32] = [:]
        seen.reserveCapacity(keys.count)
        for key in keys {
            let text = keyText(key)
            if let earlier = seen[text] { return (earlier, key) }
            seen[text] = key
        }
        return nil
    }

    // MARK: Checks

    private mutating func resolveScalar(_ text: String, tag: String?, quoted: Bool, at mark: yaml_mark_t) -> YAMLScalarType? {
        guard let tag, tag != "!" else { return quoted || tag == "!" ? .string : YAMLScalarType.resolvePlain(text) }
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

    private mutating func checkExpansion(_ rootID: UInt32, at mark: yaml_mark_t) {
        let budget = max(UInt64(limits.aliasExpansionFloor), UInt64(limits.aliasExpansionFactor) * UInt64(records.count))
        if expandedSizes[Int(rootID)] > budget {
            fail(at: mark, "aliases expand to more than \(budget) nodes (\(limits.aliasExpansionFactor)x the document's \(records.count) nodes): refusing a possible alias bomb")
        }
    }

    private mutating func fail(at mark: yaml_mark_t, _ message: String) {
        error = YAMLError(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
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
