import CArchive

/// libarchive's read callback: hands out the next chunk of a `ByteSource`.
private let readChunk: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t = { _, client, out in
    guard let client, let out else { return -1 }
    let source = Unmanaged<ByteSource>.fromOpaque(client).takeUnretainedValue()
    if let hook = source.beforeChunk, let error = hook() {
        source.checkFailure = error
        return -1
    }
    guard let chunk = source.next() else {
        out.pointee = nil
        return source.failure == nil ? 0 : -1
    }
    out.pointee = chunk.baseAddress
    return la_ssize_t(chunk.count)
}

/// The tar reader's read callback: hands out the next decompressed chunk, scanning it first.
private let readDecompressed: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t = { _, client, out in
    guard let client, let out else { return -1 }
    let stream = Unmanaged<DecompressedStream>.fromOpaque(client).takeUnretainedValue()
    out.pointee = nil
    if stream.ended { return 0 }
    var buffer: UnsafeRawPointer?
    var size = 0
    var offset: la_int64_t = 0
    let status = archive_read_data_block(stream.archive, &buffer, &size, &offset)
    if status == ARCHIVE_EOF {
        stream.ended = true
        return 0
    }
    guard status >= ARCHIVE_WARN else {
        stream.failed = true
        return -1
    }
    stream.scanner.scan(UnsafeRawBufferPointer(start: buffer, count: size))
    out.pointee = buffer
    return la_ssize_t(size)
}

/// The decompressed bytes of an archive, read through libarchive's raw format so that
/// `TarExtensionHeaderScanner` sees them on their way to the tar reader.
private final class DecompressedStream {
    let archive: OpaquePointer
    let scanner = TarExtensionHeaderScanner()
    var ended: Bool
    var failed = false

    init(archive: OpaquePointer, ended: Bool) {
        self.archive = archive
        self.ended = ended
    }
}

/// The compression filters whose library is linked in. A filter libarchive would run as an external
/// program is never registered: no input is ever executed.
private let linkedFilters: [String] = ["gzip", "zstd", "xz", "bzip2", "lz4"].filter { name in
    guard let probe = archive_read_new() else { return false }
    defer { archive_read_free(probe) }
    return registerFilter(name, on: probe) == ARCHIVE_OK
}

private func registerFilter(_ name: String, on archive: OpaquePointer) -> Int32 {
    switch name {
    case "gzip": return archive_read_support_filter_gzip(archive)
    case "zstd": return archive_read_support_filter_zstd(archive)
    case "xz": return archive_read_support_filter_xz(archive)
    case "bzip2": return archive_read_support_filter_bzip2(archive)
    case "lz4": return archive_read_support_filter_lz4(archive)
    default: return ARCHIVE_FATAL
    }
}

/// One libarchive read of a tar stream.
final class LibarchiveSession {
    private let source: ByteSource
    /// What libarchive reads: the source, inflated here when it is gzip (see `GzipByteSource`).
    private let feed: GzipByteSource
    private let reader: ArchiveReader
    private let budget: ReadBudget

    /// The filters that can be read here (gzip, zstd, ... as linked into libarchive).
    static var supportedFilters: [String] { linkedFilters }

    init(source: ByteSource, reader: ArchiveReader) {
        self.source = source
        self.feed = GzipByteSource(upstream: source, archive: reader.name)
        self.reader = reader
        self.budget = ReadBudget(limits: reader.limits, archive: reader.name)
    }

    /// `failure` of a file that holds no tar header at all (libarchive's "Unrecognized archive
    /// format"), said as what it is: a package, bundle or chart given as some other file.
    private static func explained(_ failure: ArchiveReadError) -> ArchiveReadError {
        guard case .unreadable(let archive, "Unrecognized archive format") = failure else { return failure }
        return .unreadable(archive: archive, message: "it is not a tar archive (plain or compressed with \(linkedFilters.joined(separator: ", ")))")
    }

    private func failure(_ archive: OpaquePointer, _ fallback: String) -> ArchiveReadError {
        if let feedFailure = feed.failure { return feedFailure }
        if let checkFailure = feed.checkFailure { return checkFailure }
        let message = archive_error_string(archive).map { String(cString: $0) } ?? fallback
        return .unreadable(archive: reader.name, message: message)
    }

    /// Reads the archive in two stages: `compressed` decompresses the source (libarchive's raw
    /// format), and `archive` reads tar from those bytes, which `TarExtensionHeaderScanner` sees
    /// on the way (libarchive itself drops PAX global headers without a trace).
    func run(plan: (ArchiveEntry) -> EntryReadPlan, visit: (ArchiveEntry) throws -> Void) throws -> ArchiveReadSummary {
        guard let compressed = archive_read_new(), let archive = archive_read_new() else {
            throw ArchiveReadError.unreadable(archive: reader.name, message: "cannot allocate an archive reader")
        }
        defer {
            archive_read_free(archive)
            archive_read_free(compressed)
        }
        // Gzip is `feed`'s alone: a gzip layer under another one (a .tar.gz compressed again)
        // would be inflated by libarchive without its trailer checked, and tar reads one layer.
        for filter in linkedFilters where filter != "gzip" { _ = registerFilter(filter, on: compressed) }
        archive_read_support_format_raw(compressed)
        archive_read_support_format_empty(compressed)
        archive_read_support_format_tar(archive)
        // Past an end-of-archive marker: what an appended archive holds (`tar -i` extracts it)
        // is read and checked like the rest, instead of hidden after the marker.
        archive_read_set_format_option(archive, "tar", "read_concatenated_archives", "1")
        archive_read_support_format_empty(archive)

        budget.ratioProbe = { [source] in (archive_filter_bytes(compressed, 0), source.delivered) }
        let budget = self.budget
        feed.beforeChunk = {
            do throws(ArchiveReadError) {
                try budget.checkRatio()
                return nil
            } catch {
                return error
            }
        }
        defer { feed.beforeChunk = nil }

        let client = Unmanaged.passUnretained(feed).toOpaque()
        guard archive_read_open(compressed, client, nil, readChunk, nil) == ARCHIVE_OK else {
            throw failure(compressed, "cannot open archive")
        }
        var rawEntry: OpaquePointer?
        let rawStatus = archive_read_next_header(compressed, &rawEntry)
        guard rawStatus >= ARCHIVE_WARN || rawStatus == ARCHIVE_EOF else { throw failure(compressed, "cannot open archive") }
        let stream = DecompressedStream(archive: compressed, ended: rawStatus == ARCHIVE_EOF)
        func readFailure(_ fallback: String) -> ArchiveReadError {
            failure(stream.failed ? compressed : archive, fallback)
        }
        guard archive_read_open(archive, Unmanaged.passUnretained(stream).toOpaque(), nil, readDecompressed, nil) == ARCHIVE_OK else {
            throw Self.explained(readFailure("cannot open archive"))
        }

        var entryPointer: OpaquePointer?
        var previousPath: String?
        while true {
            let status = archive_read_next_header(archive, &entryPointer)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entryPointer else {
                let cause = previousPath == nil ? Self.explained(readFailure("corrupt archive header")) : readFailure("corrupt archive header")
                // ARCHIVE_RETRY (above ARCHIVE_WARN) is a block that is no header (its checksum is
                // wrong), such as the data of a directory or link entry, which unpackers do not
                // expect: said where it is, since libarchive's message does not.
                guard status == ARCHIVE_RETRY, case .unreadable(let archiveName, let message) = cause else { throw cause }
                let place = previousPath.map { "after the entry \($0)" } ?? "at its first entry"
                throw ArchiveReadError.unreadable(archive: archiveName, message: "corrupt header \(place): \(message)")
            }
            var entry = Self.header(entryPointer)
            let headerBlocks = archive_read_header_position(archive)..<archive_filter_bytes(archive, 0)
            let headers = stream.scanner.take(in: headerBlocks)
            let globalHeaders = headers.filter { $0.typeflag == UInt8(ascii: "g") }
            if !globalHeaders.isEmpty { entry.globalHeaderKeys = globalHeaders.flatMap(\.keys) }
            entry.nameConflict = TarExtensionHeaderScanner.nameConflict(headers)
            try budget.countEntry(declaredSize: entry.size)
            try budget.checkRatio()
            let entryPlan = plan(entry)
            // A hardlink's own bytes (pax lets it carry some) are never what an unpacker writes:
            // it links the target. They are skipped, so no digest ever stands for a link.
            if entry.type == .file && entryPlan.hash {
                let cursor = EntryDataCursor(archive: archive, size: entry.size, budget: budget)
                let consumer = try EntryConsumer(
                    path: entry.path, declaredSize: entry.size, capture: entryPlan.capture, budget: budget
                ) { () throws(ArchiveReadError) in
                    do throws(EntryDataCursor.Failure) {
                        return try cursor.next()
                    } catch {
                        throw readFailure(error.message)
                    }
                }
                if let inner = entryPlan.inner, reader.depth < reader.limits.maxNestingDepth {
                    try reader.nested(consumer, entryPath: entry.path, body: inner)
                }
                entry.sha256 = try consumer.finish()
                entry.content = consumer.content
                entry.contentIsTruncated = consumer.truncated
            } else if archive_read_data_skip(archive) < ARCHIVE_WARN {
                throw readFailure("cannot skip the data of \(entry.path)")
            }
            previousPath = entry.path
            try visit(entry)
        }
        // Bytes after a chart's or image's gzip stream: Go's gzip reader (Helm, docker load) refuses them.
        if feed.trailingBytes && reader.depth > 0 {
            throw ArchiveReadError.unreadable(
                archive: reader.name, message: "bytes follow the end of the gzip stream, which Helm and docker load refuse (gzip: invalid header)")
        }
        var filters: [String] = feed.isGzip ? ["gzip"] : []
        let filterCount = archive_filter_count(compressed)
        for index in 0..<max(0, filterCount - 1) {
            if let name = archive_filter_name(compressed, index) { filters.append(String(cString: name)) }
        }
        // Uncompressed, what the tar reader used; else what the decompressors used.
        let consumed = feed.isGzip ? feed.consumedBytes
            : filterCount <= 1 ? archive_filter_bytes(archive, 0) : archive_filter_bytes(compressed, filterCount - 1)
        return ArchiveReadSummary(
            entryCount: budget.entries, uncompressedBytes: archive_filter_bytes(compressed, 0),
            compressedBytes: source.delivered, consumedBytes: consumed, sourceSHA256: nil,
            formatName: archive_format_name(archive).map { String(cString: $0) }, filterNames: filters)
    }

    /// The entry's metadata, before any data is read.
    private static func header(_ entry: OpaquePointer) -> ArchiveEntry {
        var notUTF8: [String] = []
        func text(_ utf8: UnsafePointer<CChar>?, _ bytes: UnsafePointer<CChar>?, _ what: String) -> String? {
            if let utf8, let text = String(validatingCString: utf8) { return text }
            guard let (text, isUTF8) = bytes.map(ArchivePath.decode) else { return nil }
            if !isUTF8 { notUTF8.append(what) }
            return text
        }
        let raw = text(archive_entry_pathname_utf8(entry), archive_entry_pathname(entry), "name") ?? ""
        let mode = UInt32(archive_entry_mode(entry))
        var type = ArchiveEntryType(posixMode: UInt32(archive_entry_filetype(entry)))
        var target: String?
        if let hardlink = text(archive_entry_hardlink_utf8(entry), archive_entry_hardlink(entry), "link target") {
            type = .hardlink
            target = hardlink
        } else if type == .symlink {
            target = text(archive_entry_symlink_utf8(entry), archive_entry_symlink(entry), "link target") ?? ""
        }
        let size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0
        var header = ArchiveEntry(
            path: ArchivePath.normalise(raw), rawPath: raw, type: type,
            size: (type == .file || type == .hardlink) ? max(0, size) : 0,
            mode: mode & 0o7777, linkTarget: target)
        header.notUTF8 = notUTF8
        return header
    }
}

/// Walks an entry's data blocks, filling sparse holes with zeros so the digest matches the file
/// an unpacker writes: the holes between blocks and the trailing hole up to the declared size
/// (a sparse file's data may end long before the file does).
final class EntryDataCursor {
    struct Failure: Error { let message: String }
    /// Zeros for sparse holes, allocated on the first hole.
    private lazy var zeros: UnsafeMutableRawBufferPointer = {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        allocatedZeros = true
        return buffer
    }()
    private var allocatedZeros = false

    private let archive: OpaquePointer
    private let declaredSize: Int64
    /// Charged with the hole zeros, which the compression ratio must count (a few KB of tar can
    /// declare terabytes of holes).
    private let budget: ReadBudget
    private var position: Int64 = 0
    private var pending: (buffer: UnsafeRawPointer?, size: Int, offset: Int64)?
    private var ended = false

    init(archive: OpaquePointer, size: Int64, budget: ReadBudget) {
        self.archive = archive
        self.declaredSize = size
        self.budget = budget
    }

    deinit {
        if allocatedZeros { zeros.deallocate() }
    }

    func next() throws(Failure) -> UnsafeRawBufferPointer? {
        while true {
            if let block = pending {
                if block.offset > position {
                    let gap = Int(min(block.offset - position, Int64(zeros.count)))
                    position += Int64(gap)
                    budget.addHoleBytes(Int64(gap))
                    return UnsafeRawBufferPointer(UnsafeMutableRawBufferPointer(rebasing: zeros[0..<gap]))
                }
                pending = nil
                position += Int64(block.size)
                if block.size > 0 { return UnsafeRawBufferPointer(start: block.buffer, count: block.size) }
            }
            if ended { return nil }
            var buffer: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(archive, &buffer, &size, &offset)
            if status == ARCHIVE_EOF {
                ended = true
                // The trailing hole: zeros up to the declared size, as extraction leaves them.
                if position < declaredSize { pending = (nil, 0, declaredSize) }
                continue
            }
            if status < ARCHIVE_WARN {
                throw Failure(message: archive_error_string(archive).map { String(cString: $0) } ?? "corrupt entry data")
            }
            pending = (buffer, size, offset)
        }
    }
}
