#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// A sequence of byte chunks libarchive reads an archive from. A chunk stays valid until the next
/// call. Failures are kept in `failure` because they cross a C callback.
class ByteSource {
    /// Bytes handed out so far (the compressed side of the ratio).
    var delivered: Int64 = 0
    /// Why the last `next()` returned `nil` early, if it did.
    var failure: ArchiveReadError?
    /// Run before each chunk is handed to libarchive (the ratio check of the archive being read
    /// from this source); an error stops the read and is kept in `checkFailure`.
    var beforeChunk: (() -> ArchiveReadError?)?
    /// The error `beforeChunk` reported: a limit of the reading archive, not of the source.
    var checkFailure: ArchiveReadError?

    /// The next chunk, or `nil` at the end (or on failure, with `failure` set).
    func next() -> UnsafeRawBufferPointer? { nil }
}

/// Reads a file in 1 MiB chunks, optionally hashing every byte so the whole-file SHA-256 comes for
/// free with the read.
final class FileByteSource: ByteSource {
    static let chunkSize = 1 << 20

    let path: String
    private let descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    private var hasher: SHA256?
    private var reachedEnd = false

    /// Opens `path` without following a final symlink. With `regularFileOnly`, anything but a
    /// regular file is refused without waiting: opening a FIFO blocks until a writer comes.
    init(path: String, name: String, hashing: Bool, regularFileOnly: Bool = false) throws(ArchiveReadError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (regularFileOnly ? O_NONBLOCK : 0))
        guard fd >= 0 else {
            // O_NOFOLLOW fails with ELOOP on a link (a process substitution `<(...)` is one).
            let reason = errno == ELOOP ? "it is a symbolic link, which is not followed: give the archive file itself" : String(cString: strerror(errno))
            throw .unreadable(archive: name, message: "cannot open: \(reason)")
        }
        var status = stat()
        if regularFileOnly, fstat(fd, &status) != 0 || status.st_mode & S_IFMT != S_IFREG {
            close(fd)
            throw .unreadable(archive: name, message: "it is not a regular file")
        }
        descriptor = fd
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        hasher = hashing ? SHA256() : nil
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    override func next() -> UnsafeRawBufferPointer? {
        if reachedEnd { return nil }
        while true {
            let count = read(descriptor, buffer, Self.chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                failure = .unreadable(archive: path, message: "read error: \(String(cString: strerror(errno)))")
                reachedEnd = true
                return nil
            }
            if count == 0 {
                reachedEnd = true
                return nil
            }
            let chunk = UnsafeRawBufferPointer(start: buffer, count: count)
            hasher?.update(bufferPointer: chunk)
            delivered += Int64(count)
            return chunk
        }
    }

    /// Reads whatever the archive reader left unread, then returns the file's hex SHA-256.
    func finishDigest() -> String? {
        while next() != nil {}
        guard failure == nil, let hasher else { return nil }
        return Hex.string(hasher.finalize())
    }
}

/// Serves bytes already in memory.
final class MemoryByteSource: ByteSource {
    private let storage: UnsafeMutableRawBufferPointer
    private let count: Int
    private var offset = 0

    init(_ bytes: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0) }
        self.storage = storage
        self.count = bytes.count
    }

    deinit { storage.deallocate() }

    override func next() -> UnsafeRawBufferPointer? {
        guard offset < count else { return nil }
        let length = min(FileByteSource.chunkSize, count - offset)
        let chunk = UnsafeRawBufferPointer(rebasing: storage[offset..<(offset + length)])
        offset += length
        delivered += Int64(length)
        return chunk
    }
}

/// Pulls the data of an entry of an enclosing archive, so an inner archive is read as a stream.
final class PullByteSource: ByteSource {
    private let pull: () throws(ArchiveReadError) -> UnsafeRawBufferPointer?

    init(_ pull: @escaping () throws(ArchiveReadError) -> UnsafeRawBufferPointer?) {
        self.pull = pull
    }

    override func next() -> UnsafeRawBufferPointer? {
        do {
            guard let chunk = try pull() else { return nil }
            delivered += Int64(chunk.count)
            return chunk
        } catch {
            failure = error
            return nil
        }
    }
}
