/// Writes tar blocks by hand, for archives libarchive's writer refuses to make: PAX global
/// headers, hardlinks carrying data, GNU sparse entries with a chosen map.
enum RawTarWriter {
    /// One ustar header block (512 bytes) with a valid checksum.
    static func header(_ name: String, type: Character, size: Int, linkName: String = "", mode: Int = 0o644) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(1_700_000_000, at: 136, width: 12)
        block[156] = type.asciiValue ?? 0x30
        put(linkName, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for index in 148..<156 { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        octal(sum, at: 148, width: 7)
        return block
    }

    /// `bytes` (a header and its data) with the header's checksum written again: summed as
    /// signed bytes when `signed` (as old writers did; readers accept either sum), after `edit`.
    static func rewritingHeader(_ bytes: [UInt8], signed: Bool = false, _ edit: (inout [UInt8]) -> Void = { _ in }) -> [UInt8] {
        var block = Array(bytes[0..<512])
        edit(&block)
        for index in 148..<156 { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + (signed && $1 >= 0x80 ? Int($1) - 0x100 : Int($1)) }
        let digits = String(sum, radix: 8)
        for (index, byte) in (String(repeating: "0", count: 6 - digits.count) + digits).utf8.enumerated() { block[148 + index] = byte }
        block[154] = 0
        return block + bytes[512...]
    }

    /// `bytes` padded with zeros to a whole number of blocks.
    static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
    }

    /// A header and its data.
    static func entry(_ name: String, type: Character = "0", data: [UInt8] = [], linkName: String = "") -> [UInt8] {
        header(name, type: type, size: data.count, linkName: linkName) + padded(data)
    }

    static func file(_ name: String, _ text: String) -> [UInt8] {
        entry(name, data: Array(text.utf8))
    }

    /// A pax extended header: `x` for the next entry, `g` (global) for all that follow.
    static func pax(_ records: [(String, String)], global: Bool = false) -> [UInt8] {
        var body: [UInt8] = []
        for (key, value) in records {
            let tail = " \(key)=\(value)\n".utf8.count
            var length = tail + 1
            while String(length).count + tail != length { length += 1 }
            body += Array("\(length) \(key)=\(value)\n".utf8)
        }
        return entry(global ? "pax_global_header" : "PaxHeader/x", type: global ? "g" : "x", data: body)
    }

    /// A GNU sparse 1.0 entry (as `tar --sparse --format=pax` writes it) of `size` bytes whose
    /// only data are `blocks`, everything else a hole.
    static func sparse(_ name: String, size: Int64, blocks: [(offset: Int64, bytes: [UInt8])]) -> [UInt8] {
        let map = padded(Array((["\(blocks.count)"] + blocks.flatMap { ["\($0.offset)", "\($0.bytes.count)"] }).map { $0 + "\n" }.joined().utf8))
        let data = map + blocks.flatMap(\.bytes)
        return pax([("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", name), ("GNU.sparse.realsize", "\(size)")])
            + entry("GNUSparseFile.0/" + name, data: data)
    }

    /// The end-of-archive marker.
    static let end = [UInt8](repeating: 0, count: 1024)
}
