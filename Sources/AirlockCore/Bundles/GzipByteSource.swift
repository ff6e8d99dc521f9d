import CZlib

/// Inflates a gzip source with zlib, checking each member's CRC-32 and length against its trailer;
/// any other source passes through unchanged, for libarchive's filters (zstd, xz, plain tar).
///
/// libarchive's gzip filter reads a member's trailer without checking it, so a bundle whose data
/// or trailer is corrupt was read as sound, while `tar xzf`, `gzip -t` and Helm refuse it.
/// Members follow one another (`cat a.gz b.gz`). Bytes after a member that do not start with
/// gzip's magic end the stream: they are left out of `consumedBytes` and `trailingBytes` says so
/// (trailing data); anything that does start with it is a member, and corrupt if it is not a
/// sound one.
final class GzipByteSource: ByteSource {
    private enum Mode {
        case undecided, passthrough, inflating, ended
    }

    private static let outputSize = 256 << 10

    private let upstream: ByteSource
    private let archive: String
    private var mode = Mode.undecided
    /// The first bytes, copied when the first chunk was too short to tell gzip from the rest; then
    /// the upstream chunk read while deciding. Each is handed out (or inflated) before upstream's next.
    private var head: UnsafeMutableRawBufferPointer?
    private var pending: UnsafeRawBufferPointer?
    private var headHandedOut = false
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var streamInitialized = false
    private let output = UnsafeMutablePointer<UInt8>.allocate(capacity: GzipByteSource.outputSize)
    /// Whole members inflated so far.
    private(set) var members = 0
    /// Compressed bytes of the whole members (`upstream.delivered` counts any trailing bytes too).
    private(set) var consumedBytes: Int64 = 0
    /// Whether bytes that start no member followed the last one.
    private(set) var trailingBytes = false
    /// Whether the current member's first bytes, as far as read, are gzip's magic.
    private var memberHasMagic = true
    private var upstreamEnded = false

    /// Whether the source is gzip (known after the first `next()`).
    private(set) var isGzip = false

    init(upstream: ByteSource, archive: String) {
        self.upstream = upstream
        self.archive = archive
        stream.initialize(to: z_stream())
    }

    deinit {
        if streamInitialized { inflateEnd(stream) }
        head?.deallocate()
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    override func next() -> UnsafeRawBufferPointer? {
        if mode == .undecided { decide() }
        switch mode {
        case .undecided, .ended:
            return nil
        case .passthrough:
            return pass(upstreamChunk())
        case .inflating:
            return pass(inflateChunk())
        }
    }

    /// Counts a chunk handed out, and takes over the upstream's failure at the end.
    private func pass(_ chunk: UnsafeRawBufferPointer?) -> UnsafeRawBufferPointer? {
        guard let chunk else {
            if failure == nil { failure = upstream.failure }
            return nil
        }
        delivered += Int64(chunk.count)
        return chunk
    }

    /// Reads until four bytes are known (or the source ends) and picks the mode by them.
    private func decide() {
        var first: [UInt8] = []
        while first.count < 4, let chunk = pullUpstream() {
            if first.isEmpty && chunk.count >= 4 {
                pending = chunk
                first = Array(chunk.prefix(4))
                break
            }
            first.append(contentsOf: chunk)
        }
        if pending == nil && !first.isEmpty {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: first.count, alignment: 1)
            copy.copyBytes(from: first)
            head = copy
        }
        isGzip = Self.startsMember(first)
        mode = isGzip ? .inflating : .passthrough
        startIfInflating()
    }

    /// Whether `bytes` start a gzip member as far as they go: the magic, deflate (8) as the method,
    /// no reserved flag bits (as libarchive's and GNU gzip's detection read them). A tar whose
    /// first name starts with the two magic bytes is still a tar.
    private static func startsMember(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B && (bytes.count < 3 || bytes[2] == 8) && (bytes.count < 4 || bytes[3] & 0xE0 == 0)
    }

    private func startIfInflating() {
        guard mode == .inflating else { return }
        // 15 + 16: a 32 KiB window, gzip framing only (no zlib or raw streams), trailers checked.
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            _ = fail("cannot start the gzip decoder")
            return
        }
        streamInitialized = true
    }

    /// The next upstream chunk, after the head and the chunk read while deciding.
    private func upstreamChunk() -> UnsafeRawBufferPointer? {
        if let first = head.map(UnsafeRawBufferPointer.init), !headHandedOut {
            headHandedOut = true
            return first
        }
        if let chunk = pending {
            pending = nil
            return chunk
        }
        return pullUpstream()
    }

    /// Upstream's next chunk; never asked again once it has ended.
    private func pullUpstream() -> UnsafeRawBufferPointer? {
        if upstreamEnded { return nil }
        guard let chunk = upstream.next() else {
            upstreamEnded = true
            return nil
        }
        return chunk
    }

    /// Notes whether the member being started begins with gzip's magic, from the bytes about to
    /// be inflated (the member's first two may come in two chunks).
    private func noteMemberStart() {
        let read = Int(stream.pointee.total_in)
        guard read < 2, let next = stream.pointee.next_in else { return }
        let magic: [UInt8] = [0x1F, 0x8B]
        for offset in read..<min(2, read + Int(stream.pointee.avail_in)) where next[offset - read] != magic[offset] {
            memberHasMagic = false
        }
    }

    private func inflateChunk() -> UnsafeRawBufferPointer? {
        while true {
            if stream.pointee.avail_in == 0 {
                guard let input = upstreamChunk(), let base = input.baseAddress else { return endOfInput() }
                stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
                stream.pointee.avail_in = UInt32(input.count)
            }
            noteMemberStart()
            stream.pointee.next_out = output
            stream.pointee.avail_out = UInt32(Self.outputSize)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = Self.outputSize - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                members += 1
                consumedBytes += Int64(stream.pointee.total_in)
                inflateReset(stream)
                memberHasMagic = true
            case Z_DATA_ERROR where members > 0 && !memberHasMagic:
                return endAtTrailingBytes()
            default:
                return fail(corruption(status))
            }
            if produced > 0 { return UnsafeRawBufferPointer(start: output, count: produced) }
        }
    }

    /// What zlib found wrong, in words: its messages for the trailer checks name no gzip field.
    private func corruption(_ status: Int32) -> String {
        let member = "gzip member \(members + 1)"
        switch stream.pointee.msg.map({ String(cString: $0) }) {
        case "incorrect data check": return "the CRC-32 in the trailer of \(member) does not match its data: the file is corrupt"
        case "incorrect length check": return "the length in the trailer of \(member) does not match its data: the file is corrupt"
        case let reason?: return "corrupt \(member): \(reason)"
        case nil: return "corrupt \(member): zlib error \(status)"
        }
    }

    /// The compressed input ended: the end of the stream, or a member cut short.
    private func endOfInput() -> UnsafeRawBufferPointer? {
        if members > 0 && !memberHasMagic { return endAtTrailingBytes() }
        if upstream.failure != nil || stream.pointee.total_in == 0 {
            mode = .ended
            return nil
        }
        return fail("the gzip stream ends inside member \(members + 1), before its trailer (the file is truncated)")
    }

    /// What follows the last member is not another one: trailing bytes, not data.
    private func endAtTrailingBytes() -> UnsafeRawBufferPointer? {
        mode = .ended
        trailingBytes = true
        return nil
    }

    private func fail(_ message: String) -> UnsafeRawBufferPointer? {
        mode = .ended
        failure = .unreadable(archive: archive, message: message)
        return nil
    }
}
