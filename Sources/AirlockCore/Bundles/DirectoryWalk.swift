#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a folder as if it were an archive: `lstat` only, links reported and never followed,
/// names sorted bytewise so the order is stable.
struct DirectoryWalk {
    let root: String
    let reader: ArchiveReader

    func run(plan: (ArchiveEntry) -> EntryReadPlan, visit: (ArchiveEntry) throws -> Void) throws -> ArchiveReadSummary {
        let budget = ReadBudget(limits: reader.limits, archive: reader.name)
        var read: Int64 = 0
        try walk(relative: "", budget: budget, plan: plan, visit: visit, bytesRead: &read)
        return ArchiveReadSummary(
            entryCount: budget.entries, uncompressedBytes: read, compressedBytes: read, consumedBytes: read,
            sourceSHA256: nil, formatName: nil, filterNames: [])
    }

    private func fullPath(_ relative: String) -> String {
        relative.isEmpty ? root : (root.hasSuffix("/") ? root + relative : root + "/" + relative)
    }

    private func children(of relative: String) throws -> [String] {
        guard let directory = opendir(fullPath(relative)) else {
            throw ArchiveReadError.unreadable(archive: fullPath(relative), message: "cannot list folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let bytes = withUnsafeBytes(of: item.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            // A name that is not UTF-8 could not be named in a report, nor opened again by the
            // name it would be decoded to.
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let shown = bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: true) }.joined()
                throw ArchiveReadError.unreadable(archive: fullPath(relative), message: "the file name \"\(shown)\" is not UTF-8")
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func walk(
        relative: String, budget: ReadBudget, plan: (ArchiveEntry) -> EntryReadPlan,
        visit: (ArchiveEntry) throws -> Void, bytesRead: inout Int64
    ) throws {
        for name in try children(of: relative) {
            let path = relative.isEmpty ? name : relative + "/" + name
            let full = fullPath(path)
            var info = stat()
            guard lstat(full, &info) == 0 else {
                throw ArchiveReadError.unreadable(archive: full, message: "cannot stat: \(String(cString: strerror(errno)))")
            }
            let type = ArchiveEntryType(posixMode: UInt32(info.st_mode))
            var entry = ArchiveEntry(
                path: path, rawPath: path, type: type, size: type == .file ? Int64(info.st_size) : 0,
                mode: UInt32(info.st_mode) & 0o7777)
            if type == .symlink { entry.linkTarget = try linkTarget(full) }
            try budget.countEntry(declaredSize: entry.size)
            let entryPlan = plan(entry)
            if type == .file && entryPlan.hash {
                let source = try FileByteSource(path: full, name: full, hashing: false)
                let consumer = try EntryConsumer(path: path, declaredSize: entry.size, capture: entryPlan.capture, budget: budget) { () throws(ArchiveReadError) in
                    let chunk = source.next()
                    if let failure = source.failure { throw failure }
                    return chunk
                }
                if let inner = entryPlan.inner, reader.depth < reader.limits.maxNestingDepth {
                    try reader.nested(consumer, entryPath: path, body: inner)
                }
                entry.sha256 = try consumer.finish()
                entry.content = consumer.content
                entry.contentIsTruncated = consumer.truncated
                bytesRead += consumer.bytesRead
            }
            try visit(entry)
            if type == .directory {
                try walk(relative: path, budget: budget, plan: plan, visit: visit, bytesRead: &bytesRead)
            }
        }
    }

    private func linkTarget(_ full: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress.map { readlink(full, $0, pointer.count) } ?? -1
        }
        guard count >= 0 else {
            throw ArchiveReadError.unreadable(archive: full, message: "cannot read link: \(String(cString: strerror(errno)))")
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
