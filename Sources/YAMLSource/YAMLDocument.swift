#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read access to the nodes of every document of one stream (or of one part of a stream): nodes
/// are 12-byte records, collection children are contiguous runs of one buffer, the text of every
/// scalar is a run of one byte buffer (no string object per scalar), and a node's line and column
/// are found from its character offset in a table of line starts (one entry per line, not two
/// numbers per node: positions are read only for findings and errors). Plain pointers into
/// storage kept alive by its owner (`ArenaStorage`, or the builder's buffers while it runs), so
/// that reading a node retains nothing: the documents of a stream share this storage, and
/// reference counting on it from two cores evaluating neighbouring objects made them wait on
/// each other.
struct YAMLArena: @unchecked Sendable {
    let records: UnsafeBufferPointer<NodeRecord>
    /// Sequence items, and mapping entries as their keys' ids (see `entry(at:)`).
    let children: UnsafeBufferPointer<UInt32>
    /// The values of the mapping entries whose value is not the node right after the key (an
    /// alias, or a key that is an alias), by their position in `children`, in order.
    let detachedValues: UnsafeBufferPointer<DetachedValue>
    /// The UTF-8 text of every scalar, one after the other (a record holds its offset and length).
    let text: UnsafeBufferPointer<UInt8>
    /// The character offset (libyaml's mark index) at which each line of the stream part starts
    /// (in a part joined from segments, plus its segment's byte offset: see `ArenaJoiner`); a line
    /// without a node repeats the start of the next line that has one.
    let lineStarts: UnsafeBufferPointer<UInt32>

    /// The 1-based line and column (in Unicode scalars, as libyaml counts) of `record` in its
    /// stream part.
    func position(of record: NodeRecord) -> (line: Int, column: Int) {
        // The last line starting at or before the node: equal starts (lines without nodes) are
        // passed over to the line that has one.
        var low = 0
        var high = lineStarts.count
        while low < high {
            let middle = (low + high) / 2
            if lineStarts[middle] <= record.index { low = middle + 1 } else { high = middle }
        }
        let line = max(low - 1, 0)
        return (line + 1, Int(record.index - lineStarts[line]) + 1)
    }

    /// Set on a mapping entry in `children` whose value is in `detachedValues`.
    static let detachedValueFlag: UInt32 = 1 << 31

    /// The key and value ids of the mapping entry at `position` of `children`. Nearly every value
    /// is the node made right after its key, so an entry stores only its key; the others are
    /// flagged and found in `detachedValues` (4 bytes less per entry).
    @inline(__always)
    func entry(at position: Int) -> (key: UInt32, value: UInt32) {
        let entry = children[position]
        guard entry & Self.detachedValueFlag != 0 else { return (entry, entry + 1) }
        return detachedEntry(entry, at: position)
    }

    /// `entry(at:)` for a value that does not follow its key (kept out of line: it is rare).
    @inline(never)
    private func detachedEntry(_ entry: UInt32, at position: Int) -> (key: UInt32, value: UInt32) {
        var low = 0
        var high = detachedValues.count
        while low < high {
            let middle = (low + high) / 2
            if Int(detachedValues[middle].position) < position { low = middle + 1 } else { high = middle }
        }
        return (entry & ~Self.detachedValueFlag, detachedValues[low].value)
    }

    /// The key id of the mapping entry at `position` of `children`.
    func key(at position: Int) -> UInt32 { children[position] & ~Self.detachedValueFlag }

    /// The text of the scalar `record`.
    func text(of record: NodeRecord) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[textRange(of: record)]), as: UTF8.self)
    }

    /// Whether the text of the scalar `record` is `bytes`.
    func hasBytes(_ bytes: UnsafeBufferPointer<UInt8>, at record: NodeRecord) -> Bool {
        guard record.count == bytes.count else { return false }
        guard let wanted = bytes.baseAddress, bytes.count > 0 else { return true }
        let stored = UnsafeRawPointer(text.baseAddress! + Int(record.payload))
        let other = UnsafeRawPointer(wanted)
        let count = bytes.count
        // Mapping keys are short: compared as two overlapping words here (the first and the last
        // eight or four bytes), which costs less than a call of memcmp.
        func sameWords<Word: FixedWidthInteger>(_: Word.Type) -> Bool {
            let last = count - MemoryLayout<Word>.size
            return stored.loadUnaligned(as: Word.self) == other.loadUnaligned(as: Word.self)
                && stored.loadUnaligned(fromByteOffset: last, as: Word.self) == other.loadUnaligned(fromByteOffset: last, as: Word.self)
        }
        switch count {
        case 8...16: return sameWords(UInt64.self)
        case 4..<8: return sameWords(UInt32.self)
        case 1..<4: return (0..<count).allSatisfy { stored.load(fromByteOffset: $0, as: UInt8.self) == other.load(fromByteOffset: $0, as: UInt8.self) }
        default: return memcmp(stored, other, count) == 0
        }
    }

    /// Whether two scalars have the same text.
    func sameText(_ first: NodeRecord, _ second: NodeRecord) -> Bool {
        hasBytes(UnsafeBufferPointer(rebasing: text[textRange(of: second)]), at: first)
    }

    private func textRange(of record: NodeRecord) -> Range<Int> { Int(record.payload)..<Int(record.payload) + record.count }
}

/// Owns the node storage of one stream part, immutable once made, and what its documents share:
/// the file they come from and where the part starts in it. Every document of the part holds it.
final class ArenaStorage: Sendable {
    let arena: YAMLArena
    /// The path of the input, as given by the user.
    let file: String
    /// Lines before the part of the file these documents were parsed from (see `YAMLLoader.load`).
    let lineOffset: Int

    /// Takes the builder's buffers at their exact size.
    init(
        file: String, lineOffset: Int, records: inout ArenaBuffer<NodeRecord>, children: inout ArenaBuffer<UInt32>,
        detachedValues: inout ArenaBuffer<DetachedValue>, text: inout ArenaBuffer<UInt8>, lineStarts: inout ArenaBuffer<UInt32>
    ) {
        self.file = file
        self.lineOffset = lineOffset
        arena = YAMLArena(
            records: records.take(), children: children.take(), detachedValues: detachedValues.take(),
            text: text.take(), lineStarts: lineStarts.take())
    }

    deinit {
        free(UnsafeMutableRawPointer(mutating: arena.records.baseAddress))
        free(UnsafeMutableRawPointer(mutating: arena.children.baseAddress))
        free(UnsafeMutableRawPointer(mutating: arena.detachedValues.baseAddress))
        free(UnsafeMutableRawPointer(mutating: arena.text.baseAddress))
        free(UnsafeMutableRawPointer(mutating: arena.lineStarts.baseAddress))
    }
}

/// One YAML document: its root in the arena of its stream part, and where it came from. Small
/// (64 bytes on the heap): an inventory holds one per object, so what the documents of a part
/// share is kept in their storage.
public final class YAMLDocument: Sendable {
    /// The `# Source: chart/templates/x.yaml` comment `helm template` writes before the document.
    public let helmSource: String?

    /// A mapping with a duplicate key, in a document kept though it has one (see
    /// `YAMLLoader.keepsDocumentsWithDuplicateKeys`).
    public struct DuplicateKey: Sendable {
        /// The `id`s of the mapping's node, of its two keys, of the aliases to it and of the
        /// mappings that merge it (`<<: *anchor`): whatever holds one of them reads the mapping.
        public internal(set) var nodes: [UInt32]
        public var error: YAMLError
    }

    /// The mappings with a duplicate key: empty unless the loader was asked to keep such documents.
    /// The reader must reject every part of the document that holds one of them.
    public let duplicateKeys: [DuplicateKey]

    private let storage: ArenaStorage
    private let position: UInt32
    let rootID: UInt32
    private let distinctNodes: UInt32

    init(index: Int, helmSource: String?, storage: ArenaStorage, rootID: UInt32, nodeCount: Int, duplicateKeys: [DuplicateKey] = []) {
        self.helmSource = helmSource
        self.storage = storage
        position = UInt32(index)
        self.rootID = rootID
        distinctNodes = UInt32(nodeCount)
        self.duplicateKeys = duplicateKeys
    }

    /// This document numbered `offset` places later in its stream (for documents read after a
    /// syntax error cut the stream, see `YAMLLoader`).
    func renumbered(by offset: Int) -> YAMLDocument {
        YAMLDocument(index: index + offset, helmSource: helmSource, storage: storage, rootID: rootID, nodeCount: nodeCount, duplicateKeys: duplicateKeys)
    }

    /// A document whose nodes are copied into another storage, their ids `idOffset` higher (see
    /// `ArenaJoiner`), until that storage is made; it holds nothing of the storage they left.
    struct Moved {
        fileprivate let index: Int
        fileprivate let helmSource: String?
        fileprivate let rootID: UInt32
        fileprivate let nodeCount: Int
        fileprivate let duplicateKeys: [DuplicateKey]

        /// The document in `storage`, which holds its nodes.
        func document(in storage: ArenaStorage) -> YAMLDocument {
            YAMLDocument(index: index, helmSource: helmSource, storage: storage, rootID: rootID, nodeCount: nodeCount, duplicateKeys: duplicateKeys)
        }
    }

    func moved(idOffset: UInt32) -> Moved {
        let duplicateKeys = duplicateKeys.map { key in
            var key = key
            key.nodes = key.nodes.map { $0 + idOffset }
            return key
        }
        return Moved(index: index, helmSource: helmSource, rootID: rootID + idOffset, nodeCount: nodeCount, duplicateKeys: duplicateKeys)
    }

    /// The path of the input, as given by the user.
    public var file: String { storage.file }
    /// 0-based position of the document in its stream (part).
    public var index: Int { Int(position) }
    /// Number of nodes (an alias is a node of its own, sharing its anchor's content).
    public var nodeCount: Int { Int(distinctNodes) }
    /// The top-level node.
    public var root: YAMLNode { YAMLNode(document: self, id: rootID) }
    /// The node numbered `id`, which must be the `id` of a node of this document.
    public func node(_ id: UInt32) -> YAMLNode { YAMLNode(document: self, id: id) }

    /// Lines before the part of the file this document was parsed from.
    var lineOffset: Int { storage.lineOffset }
    /// The nodes of this document's stream part (reached through the storage rather than kept
    /// here: a document costs one reference to them, not five buffer pointers).
    var arena: YAMLArena { storage.arena }
}

/// Nodes read by id, for hosts that name nodes by id (a CEL view of a document): no `YAMLNode`
/// handle is made, so nothing is retained. `id` must be the `id` of a node of this document.
extension YAMLDocument {
    public func kind(ofNode id: UInt32) -> YAMLNodeKind { arena.records[Int(id)].kind }

    /// Entries of a mapping or items of a sequence; 0 for a scalar.
    public func count(ofNode id: UInt32) -> Int {
        let record = arena.records[Int(id)]
        return record.kind == .scalar ? 0 : record.count
    }

    /// The id of the item at `position` of sequence `id`.
    public func item(at position: Int, ofNode id: UInt32) -> UInt32 {
        arena.children[Int(arena.records[Int(id)].payload) + position]
    }

    /// The id of the value under a scalar key of mapping `id` (nil for other nodes), as a
    /// string key compares in JSON.
    public func value(forKey key: String, ofNode id: UInt32) -> UInt32? {
        var hint = 0
        return value(forKey: key, ofNode: id, hint: &hint)
    }

    /// `value(forKey:ofNode:)`, looking first at the entry at `hint` (where the key was found in
    /// another mapping: objects of one kind write their fields in one order), and setting it to
    /// where the key is found.
    public func value(forKey key: String, ofNode id: UInt32, hint: inout Int) -> UInt32? {
        key.utf8.withContiguousStorageIfAvailable { value(forKey: $0, ofNode: id, hint: &hint) }
            ?? Array(key.utf8).withUnsafeBufferPointer { value(forKey: $0, ofNode: id, hint: &hint) }
    }

    /// `value(forKey:ofNode:hint:)` of a key given as its UTF-8 bytes.
    public func value(forKey wanted: UnsafeBufferPointer<UInt8>, ofNode id: UInt32, hint: inout Int) -> UInt32? {
        let record = arena.records[Int(id)]
        guard record.kind == .mapping else { return nil }
        let start = Int(record.payload)
        let end = start + record.count
        let arena = arena
        let hinted = start + hint
        func isKey(at position: Int) -> Bool {
            let keyRecord = arena.records[Int(arena.key(at: position))]
            // Lengths first: most keys differ in length, which spares the comparison.
            return keyRecord.count == wanted.count && keyRecord.kind == .scalar && arena.hasBytes(wanted, at: keyRecord)
        }
        if hinted < end, isKey(at: hinted) { return arena.entry(at: hinted).value }
        for position in start..<end where position != hinted && isKey(at: position) {
            hint = position - start
            return arena.entry(at: position).value
        }
        return nil
    }
}

/// The value of a mapping entry that does not follow its key, by the entry's position in `children`.
struct DetachedValue: Sendable {
    let position: UInt32
    let value: UInt32
}

/// The fixed-size part of a node, 12 bytes. For a scalar, `payload` is the offset of its text in
/// the document's text buffer and `count` its length in bytes; for a collection, `payload` is the
/// start of its run in `children` and `count` the run's length (one entry per mapping pair).
/// `index` is where the node starts, in characters from the start of its stream part (see
/// `YAMLArena.position(of:)`; `ArenaJoiner` adds a segment's byte offset). `count` shares a word
/// with the kind, type and style, so it is limited to `NodeRecord.maxCount`.
struct NodeRecord: Sendable {
    var index: UInt32
    var payload: UInt32
    private var countAndFlags: UInt32

    /// The largest scalar length in bytes, and the most entries of one collection.
    static let maxCount = (1 << 24) - 1

    init(kind: YAMLNodeKind, scalarType: YAMLScalarType, style: YAMLScalarStyle, index: UInt32, payload: UInt32, count: Int) {
        self.index = index
        self.payload = payload
        let flags = UInt32(kind.rawValue) | UInt32(scalarType.rawValue) << 2 | UInt32(style.rawValue) << 5
        countAndFlags = UInt32(count) | flags << 24
    }

    var kind: YAMLNodeKind { YAMLNodeKind(rawValue: UInt8(countAndFlags >> 24 & 0x3))! }
    var scalarType: YAMLScalarType { YAMLScalarType(rawValue: UInt8(countAndFlags >> 26 & 0x7))! }
    var style: YAMLScalarStyle { YAMLScalarStyle(rawValue: UInt8(countAndFlags >> 29 & 0x7))! }
    var count: Int {
        get { Int(countAndFlags & 0xFF_FFFF) }
        set { countAndFlags = countAndFlags & 0xFF00_0000 | UInt32(newValue) }
    }
}
