import Foundation

/// Buffered writes to a file descriptor, for reports and listings. The first failed write is kept
/// in `failure` and ends the writing (`finish(path:)` throws it): `FileHandle.write` traps on an
/// error such as a full disk, which crashed the run, and `print` keeps it to itself.
struct DescriptorSink: TextOutputStream {
    let descriptor: Int32
    /// The `errno` of the first write that failed.
    private(set) var failure: Int32?
    private var buffer: [UInt8] = []
    /// Text is gathered up to this many bytes; a larger piece is written as it is.
    private static let bufferSize = 1 << 16

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.bufferSize)
    }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            if buffer.count + bytes.count > Self.bufferSize { flush() }
            if bytes.count < Self.bufferSize {
                buffer.append(contentsOf: bytes)
            } else if failure == nil {
                failure = Self.write(bytes, to: descriptor)
            }
        }
    }

    mutating func flush() {
        if failure == nil { failure = buffer.withUnsafeBufferPointer { Self.write($0, to: descriptor) } }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, then throws the error of a write that failed, naming the output `path`.
    mutating func finish(path: String) throws {
        flush()
        if let failure { throw AtomicFile.WriteError(path: path, errno: failure) }
    }

    /// Writes all of `bytes`: nil, or the `errno` of the write that failed.
    private static func write(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Int32? {
        var written = 0
        while written < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if count > 0 {
                written += count
            } else if count == 0 {
                return EIO  // no progress: the device takes nothing more
            } else if errno != EINTR {
                return errno
            }
        }
        return nil
    }
}

extension DescriptorSink {
    /// What standard output is called in errors.
    static let standardOutputName = "<stdout>"

    static func standardOutput() -> DescriptorSink { DescriptorSink(descriptor: STDOUT_FILENO) }
}

/// Writes a report to a temporary file beside the target and renames it into place, so a killed
/// run never leaves a truncated report that CI would read as "no findings".
/// A temp file left by SIGINT/SIGTERM is removed by `SignalCleanup`.
///
/// A target that is a device, a FIFO or a socket (`/dev/stdout`, a pipe) is written in place:
/// renaming over it would replace the device with a file. A symbolic link is followed, so the
/// report replaces the file it points to, not the link.
enum AtomicFile {
    /// Why a report file could not be written, in words (Foundation's errors print as
    /// `Error Domain=NSCocoaErrorDomain Code=512 "(null)"`).
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write the report \(path): \(reason)" }

        /// The reason `errno` (by default the last failed call's) gives.
        init(path: String, errno code: Int32 = errno) {
            self.path = path
            reason = String(cString: strerror(code))
        }

        init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    static func write(to path: String, _ body: (inout DescriptorSink) throws -> Void) throws {
        try open(path).write(body)
    }

    /// A report file opened and not yet written: a new temporary file beside the target, renamed
    /// over it once written, or a device, FIFO or socket opened to be written in place. Opening
    /// every report before writing any makes a report that cannot be written an error before the
    /// others are written, so that none of them shows an exit code the run does not end with.
    struct Pending: Sendable {
        /// The path the report was asked for (for errors).
        let path: String
        fileprivate let descriptor: Int32
        /// The temporary file and the path it is renamed to; nil when written in place.
        fileprivate let rename: (temporary: String, target: String)?
        fileprivate let slot: Int?

        /// Writes the report with `body` and puts it in place; the file is closed either way.
        func write(_ body: (inout DescriptorSink) throws -> Void) throws {
            var isOpen = true
            defer {
                if isOpen { close(descriptor) }
                if let slot { SignalCleanup.untrack(slot) }
            }
            do {
                var sink = DescriptorSink(descriptor: descriptor)
                try body(&sink)
                try sink.finish(path: path)
                guard let rename else { return }
                guard fsync(descriptor) == 0 else { throw WriteError(path: path) }
                isOpen = false
                guard close(descriptor) == 0 else { throw WriteError(path: path) }
                guard Glibc.rename(rename.temporary, rename.target) == 0 else { throw WriteError(path: path) }
            } catch {
                if let rename { unlink(rename.temporary) }
                throw error
            }
        }

        /// Closes the file without writing it; a temporary file is removed, the target left as it was.
        func discard() {
            close(descriptor)
            if let rename { unlink(rename.temporary) }
            if let slot { SignalCleanup.untrack(slot) }
        }
    }

    /// Opens the report file `path` for `Pending.write`.
    static func open(_ path: String) throws -> Pending {
        // The system reads `name/` as a folder; `URL` would drop the slash and write (or replace)
        // a file `name`.
        guard !path.hasSuffix("/") else { throw WriteError(path: path, reason: "it names a folder (it ends with /): give a file name") }
        var status = stat()
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFDIR: throw WriteError(path: path, reason: "it is a folder")
            case S_IFREG: break
            default:
                let descriptor = Glibc.open(path, O_WRONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw WriteError(path: path) }
                return Pending(path: path, descriptor: descriptor, rename: nil, slot: nil)
            }
        }
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "cannot create the folder \(folder.path)")
        }
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        // Tracked before it exists, so SIGINT/SIGTERM while writing removes it (SignalCleanup).
        guard let slot = SignalCleanup.track(temporary) else {
            throw WriteError(path: path, reason: "the path is too long")
        }
        do {
            let descriptor = try createNew(temporary, reportPath: path)
            return Pending(path: path, descriptor: descriptor, rename: (temporary, target.path), slot: slot)
        } catch {
            SignalCleanup.untrack(slot)
            throw error
        }
    }

    /// Creates `temporary`, which must not exist: a link planted at that predictable name (in a
    /// shared folder such as /tmp) is never followed. A file left there by an earlier run that
    /// had this process id is removed first.
    static func createNew(_ temporary: String, reportPath: String) throws -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var descriptor = Glibc.open(temporary, flags, 0o666)
        if descriptor < 0, errno == EEXIST, unlink(temporary) == 0 { descriptor = Glibc.open(temporary, flags, 0o666) }
        guard descriptor >= 0 else { throw WriteError(path: reportPath) }
        return descriptor
    }
}
