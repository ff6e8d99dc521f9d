/// Copies the node storage of segments of a part, each read on its own, into one storage, as if
/// the part had been read whole: the documents of a JSON Lines file, read an object at a time
/// (see `YAMLLoader.load(_:file:segments:)`), then share a storage as those of a YAML part do,
/// where a storage of their own cost each object about a kilobyte. Short texts are stored once
/// for the whole part, as `DocumentBuilder` stores them.
struct ArenaJoiner {
    private var records = ArenaBuffer<NodeRecord>()
    private var children = ArenaBuffer<UInt32>()
    private var detachedValues = ArenaBuffer<DetachedValue>()
    private var text = ArenaBuffer<UInt8>()
    private var lineStarts = ArenaBuffer<UInt32>()
    private var interner = TextInterner()

    /// Appends the nodes of `arena`, read from a segment that starts `index` bytes and `line`
    /// lines after the part's start, and returns how much higher their ids are now.
    ///
    /// A node's start stays its character offset in its segment, with the segment's byte offset
    /// added: offsets grow from segment to segment (a segment holds no more characters than
    /// bytes), and a column is counted from its line's start in the same segment.
    mutating func append(_ arena: YAMLArena, at index: Int, line: Int) -> UInt32 {
        let idOffset = UInt32(records.count)
        let childOffset = UInt32(children.count)
        // Texts longer than the interner keeps, by their offset in `arena`: an alias's copy of
        // its anchor's node shares its text, and keeps sharing it.
        var longTexts: [UInt32: UInt32] = [:]
        for var record in arena.records {
            record.index += UInt32(index)
            if record.kind == .scalar {
                let start = Int(record.payload)
                let bytes = UnsafeBufferPointer(rebasing: arena.text[start..<start + record.count])
                if bytes.count <= TextInterner.maxLength {
                    record.payload = interner.offset(of: bytes, appendingTo: &text)
                } else if let offset = longTexts[record.payload] {
                    record.payload = offset
                } else {
                    let offset = interner.offset(of: bytes, appendingTo: &text)
                    longTexts[record.payload] = offset
                    record.payload = offset
                }
            } else {
                record.payload += childOffset
            }
            records.append(record)
        }
        for child in arena.children {
            let flag = child & YAMLArena.detachedValueFlag
            children.append((child & ~YAMLArena.detachedValueFlag) + idOffset | flag)
        }
        for detached in arena.detachedValues {
            detachedValues.append(DetachedValue(position: detached.position + childOffset, value: detached.value + idOffset))
        }
        // The lines between the segments hold no node: they repeat the start of the next line.
        let segmentLineStarts = arena.lineStarts.lazy.map { $0 + UInt32(index) }
        while lineStarts.count < line, let first = segmentLineStarts.first { lineStarts.append(first) }
        for start in segmentLineStarts { lineStarts.append(start) }
        return idOffset
    }

    /// The storage of every segment appended, `lineOffset` lines into its file; the joiner is
    /// empty afterwards.
    mutating func takeStorage(file: String, lineOffset: Int) -> ArenaStorage {
        ArenaStorage(
            file: file, lineOffset: lineOffset, records: &records, children: &children,
            detachedValues: &detachedValues, text: &text, lineStarts: &lineStarts)
    }
}
