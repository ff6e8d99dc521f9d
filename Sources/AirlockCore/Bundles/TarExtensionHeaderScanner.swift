/// Finds the tar extension headers that readers disagree on, in a decompressed tar stream as it
/// passes by: a PAX global header (typeflag `g`), which libarchive reads and ignores while GNU tar
/// and Python tarfile apply its `path=`, `linkpath=` or `size=` to every entry after it; and an
/// entry named twice, by a GNU long name (`L`, or `K` for a link target) and a pax `path`
/// (`linkpath`) record, or by two of one kind, or by a `GNU.sparse.name` record: libarchive
/// (airlock) and GNU tar take the pax name, Go's archive/tar (Helm, `docker load`) the GNU one,
/// so the archive unpacks other files than were checked; and a Solaris pax header (`X`), which
/// libarchive, GNU tar and Python read as `x` and Go as a file of its own. Every 512-byte block of such a typeflag with a valid header checksum is a
/// candidate; `LibarchiveSession` keeps only those inside an entry's header blocks (so a tar
/// stored as a file's data is no false alarm), as libarchive reads headers at block boundaries.
final class TarExtensionHeaderScanner {
    struct Found {
        /// Offset of the header block in the decompressed stream.
        var offset: Int64
        /// `g` (pax global), `x` (pax), `X` (Solaris pax), `L` (GNU long name) or `K` (GNU long link name).
        var typeflag: UInt8
        /// The keys its records set (`path`, `size`, ...), as far as they were read; none for `L`, `K`.
        var keys: [String]
    }

    /// Why an entry whose header blocks hold `headers` is named ambiguously, or nil. A pax
    /// `GNU.sparse.name` names the entry for libarchive and GNU tar, and for Go only when the
    /// entry is sparse (it also has `GNU.sparse.major`, or `GNU.sparse.map` of the old format).
    static func nameConflict(_ headers: [Found]) -> String? {
        func count(_ typeflag: Character, key: String? = nil) -> Int {
            headers.filter { $0.typeflag == UInt8(ascii: typeflag.unicodeScalars.first!) && key.map($0.keys.contains) != false }.count
        }
        if let solaris = headers.first(where: { $0.typeflag == UInt8(ascii: "X") }) {
            let keys = solaris.keys.isEmpty ? "" : " (setting \(solaris.keys.joined(separator: ", ")))"
            return "a Solaris pax header (typeflag X)\(keys) precedes it: libarchive (airlock), GNU tar and Python apply it, Go's archive/tar (Helm, docker load) reads it as a file of its own and the entry by its ustar name"
        }
        let paxKeys = headers.filter { $0.typeflag == UInt8(ascii: "x") }.flatMap(\.keys)
        if paxKeys.contains("GNU.sparse.name"), !paxKeys.contains("GNU.sparse.major"), !paxKeys.contains("GNU.sparse.map") {
            return "its name is given by a pax GNU.sparse.name record of an entry that is not sparse: libarchive (airlock) and GNU tar use it, Go's archive/tar (Helm, docker load) does not"
        }
        for (gnu, paxKey, what) in [("L" as Character, "path", "name"), ("K", "linkpath", "link target")] {
            let (long, pax) = (count(gnu), count("x", key: paxKey))
            if long > 0 && pax > 0 {
                return "its \(what) is given twice, by a GNU \(gnu) header and a pax \(paxKey) record: libarchive (airlock) and GNU tar use the pax one, Go's archive/tar (Helm, docker load) the GNU one"
            }
            if long > 1 || pax > 1 {
                return "its \(what) is given by \(max(long, pax)) \(long > 1 ? "GNU \(gnu) headers" : "pax \(paxKey) records"): tar readers disagree on which one counts"
            }
        }
        return nil
    }

    private static let blockSize = 512
    private static let scannedTypeflags: Set<UInt8> = [UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "L"), UInt8(ascii: "K")]
    /// Bytes of a global header's records kept to name its keys.
    private static let maxRecordBytes = 8192

    private(set) var offset: Int64 = 0
    private var partial: [UInt8] = []
    private var found: [Found] = []
    /// The records of the last candidate, while its data blocks pass.
    private var records: (index: Int, remaining: Int, bytes: [UInt8])?

    /// Scans the next bytes of the stream.
    func scan(_ chunk: UnsafeRawBufferPointer) {
        var start = 0
        if !partial.isEmpty {
            let take = min(Self.blockSize - partial.count, chunk.count)
            partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<take]))
            start = take
            if partial.count == Self.blockSize {
                partial.withUnsafeBytes { block($0) }
                partial.removeAll(keepingCapacity: true)
            }
        }
        while chunk.count - start >= Self.blockSize {
            block(UnsafeRawBufferPointer(rebasing: chunk[start..<(start + Self.blockSize)]))
            start += Self.blockSize
        }
        if start < chunk.count { partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...])) }
    }

    /// The global headers at offsets in `range` (one entry's header blocks); forgets every
    /// candidate before its end.
    func take(in range: Range<Int64>) -> [Found] {
        let taken = found.filter { range.contains($0.offset) }
        found.removeAll { $0.offset < range.upperBound }
        if let index = records?.index, index >= found.count { records = nil }
        return taken
    }

    private func block(_ bytes: UnsafeRawBufferPointer) {
        defer { offset += Int64(Self.blockSize) }
        if var pending = records {
            let take = min(pending.remaining, Self.blockSize, Self.maxRecordBytes - pending.bytes.count)
            pending.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<max(0, take)]))
            pending.remaining -= Self.blockSize
            if pending.remaining <= 0 || pending.bytes.count >= Self.maxRecordBytes {
                if pending.index < found.count { found[pending.index].keys = Self.keys(pending.bytes) }
                records = nil
            } else {
                records = pending
            }
        }
        let typeflag = bytes[156]
        guard Self.scannedTypeflags.contains(typeflag), Self.checksumIsValid(bytes) else { return }
        found.append(Found(offset: offset, typeflag: typeflag, keys: []))
        let size = Self.octal(bytes[124..<136])
        let hasRecords = typeflag == UInt8(ascii: "g") || typeflag == UInt8(ascii: "x") || typeflag == UInt8(ascii: "X")
        records = hasRecords && size > 0 ? (found.count - 1, size, []) : nil
    }

    /// The header checksum as tar readers check it: the sum of all bytes, the checksum field
    /// read as spaces, taken as unsigned or as signed bytes (libarchive, GNU tar, Python and Go
    /// accept either, for old writers that summed signed chars).
    private static func checksumIsValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var unsigned = 0
        var signed = 0
        for (index, byte) in bytes.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : Int(byte)
            unsigned += value
            signed += value < 0x80 ? value : value - 0x100
        }
        let stated = octal(bytes[148..<156])
        return stated == unsigned || stated == signed
    }

    /// A numeric field: octal digits, or GNU's base-256 (the first byte's high bit set), which
    /// libarchive, GNU tar and Go read in any header's size field.
    private static func octal(_ field: Slice<UnsafeRawBufferPointer>) -> Int {
        if let first = field.first, first & 0x80 != 0 {
            // Negative values (0xFF first) are no size; a value too large for Int is none either.
            guard first == 0x80 else { return 0 }
            var value = 0
            for byte in field.dropFirst() {
                guard value <= Int.max >> 8 else { return 0 }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var value = 0
        for byte in field {
            if byte == 0x20 && value == 0 { continue }
            guard byte >= 0x30 && byte <= 0x37, value < Int.max >> 4 else { break }
            value = value * 8 + Int(byte - 0x30)
        }
        return value
    }

    /// The keys of pax records (`LEN key=value\n`).
    private static func keys(_ records: [UInt8]) -> [String] {
        var keys: [String] = []
        var rest = records[...]
        while let space = rest.firstIndex(of: 0x20), let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)),
              length > 0, rest.startIndex + length <= rest.endIndex {
            let record = rest[(space + 1)..<(rest.startIndex + length)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) { keys.append(String(decoding: record[record.startIndex..<equals], as: UTF8.self)) }
            rest = rest[(rest.startIndex + length)...]
        }
        return keys
    }
}
