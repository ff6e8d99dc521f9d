import Foundation
import YAMLSource

/// Reads an input's bytes, turning every failure into a diagnostic that names the file.
public enum InputReader {
    /// The name standard input gets in reports.
    public static let standardInputName = "<stdin>"

    /// The bytes of `source`; more than `limit` of them (`--max-input-bytes` in a run) is an error.
    public static func read(_ source: InputDiscovery.Source, limit: Int = YAMLLimits().maxInputBytes) -> Result<(name: String, bytes: [UInt8]), Diagnostic> {
        switch source {
        case .standardInput:
            switch readToEnd(STDIN_FILENO, size: 0, limit: limit) {
            case .success(let bytes): return .success((standardInputName, bytes))
            case .failure(let failure):
                return .failure(Diagnostic(kind: .input, message: "cannot read standard input: \(failure.reason)", location: SourceSpan(file: standardInputName, line: 1, column: 1)))
            }
        case .file(let path):
            return read(path: path.utf8CString, name: path, readsStreams: false, limit: limit)
        case .namedFile(let path):
            return read(path: path.utf8CString, name: path, readsStreams: true, limit: limit)
        case .namedByBytes(let path, let name):
            return read(path: ContiguousArray(path.map(CChar.init(bitPattern:)) + [0]), name: name, readsStreams: false, limit: limit)
        }
    }

    /// Reads the file at the NUL-terminated `path`, named `name` in diagnostics and reports; a FIFO
    /// or character device only when `readsStreams` (a file named on the command line).
    private static func read(path: ContiguousArray<CChar>, name: String, readsStreams: Bool, limit: Int) -> Result<(name: String, bytes: [UInt8]), Diagnostic> {
        if let kind = path.withUnsafeBufferPointer({ specialFileKind($0.baseAddress!) }), !(readsStreams && kind.isStream) {
            return .failure(Diagnostic(kind: .input, message: "cannot read file: it is \(kind.name), not a regular file", location: SourceSpan(file: name, line: 1, column: 1)))
        }
        switch path.withUnsafeBufferPointer({ wholeFile($0.baseAddress!, limit: limit) }) {
        case .success(let bytes): return .success((name, bytes))
        case .failure(let failure):
            return .failure(Diagnostic(kind: .input, message: "cannot read file: \(failure.reason)", location: SourceSpan(file: name, line: 1, column: 1)))
        }
    }

    /// The bytes of the file at `path`, or why not in words. Read with `read(2)` into the array
    /// (reading through `Data` and copying it into an array touched every page twice); a file that
    /// grew since `fstat`, or one of `/proc` that reports no size, is read to its end all the same.
    static func wholeFile(_ path: UnsafePointer<CChar>, limit: Int) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let failure = errno
            return .failure(failure == ENOENT ? danglingLink(path) ?? ReadFailure(errno: failure) : ReadFailure(errno: failure))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(ReadFailure(errno: errno)) }
        if status.st_mode & S_IFMT == S_IFDIR { return .failure(ReadFailure(reason: "it is a folder")) }
        guard Int(status.st_size) <= limit else { return .failure(.tooLarge(limit)) }
        return readToEnd(descriptor, size: Int(status.st_size), limit: limit)
    }

    /// Why a path that is a symbolic link cannot be opened for want of its target: it names the
    /// link's target (a folder that is not checked out, a file moved away). Nil for other paths.
    private static func danglingLink(_ path: UnsafePointer<CChar>) -> ReadFailure? {
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &target, Int(PATH_MAX))
        guard length >= 0 else { return nil }
        return ReadFailure(reason: "it is a link to \(String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)), which leads to no file")
    }

    /// The bytes of `descriptor` to its end: `size` of them (the size the file reports) read
    /// straight into the array, then whatever follows in chunks, until more than `limit`.
    private static func readToEnd(_ descriptor: Int32, size: Int, limit: Int) -> Result<[UInt8], ReadFailure> {
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: max(size, 0)) { buffer, count in
            (count, failure) = readFully(descriptor, into: buffer)
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while failure == 0 {
            let (count, error) = chunk.withUnsafeMutableBufferPointer { readFully(descriptor, into: $0) }
            guard bytes.count + count <= limit else { return .failure(.tooLarge(limit)) }
            bytes.append(contentsOf: chunk[..<count])
            failure = error
            if count < chunk.count { break }
        }
        return failure == 0 ? .success(bytes) : .failure(ReadFailure(errno: failure))
    }

    /// Why a file could not be read, in words.
    struct ReadFailure: Error {
        let reason: String

        init(reason: String) { self.reason = reason }
        init(errno: Int32) { reason = String(cString: strerror(errno)) }

        static func tooLarge(_ limit: Int) -> ReadFailure {
            ReadFailure(reason: "it is larger than the limit of \(limit) bytes (raise it with --max-input-bytes)")
        }
    }

    /// Reads into `buffer` until it is full or the file ends: the count read and the `errno` of a
    /// failed read (0 when none failed).
    private static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>) -> (count: Int, errno: Int32) {
        var count = 0
        while count < buffer.count {
            let result = Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            if result > 0 {
                count += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                return (count, errno)
            }
        }
        return (count, 0)
    }

    /// A settings file: `path` when given (read as a file named on the command line), else
    /// `defaultPath` when it exists in the working folder, else nil. A file that cannot be read is
    /// a configuration error naming it; so is a link at `defaultPath` to nothing (a submodule not
    /// checked out), which would otherwise apply no settings unseen.
    public static func readSettings(_ path: String?, defaultPath: String, limit: Int) -> Result<(name: String, bytes: [UInt8]), Diagnostic>? {
        let source: InputDiscovery.Source
        var status = stat()
        if let path {
            source = .namedFile(path)
        } else if lstat(defaultPath, &status) == 0 {
            source = .file(defaultPath)
        } else {
            return nil
        }
        return readSettings(source, limit: limit)
    }

    /// A settings file named on the command line (`--baseline`), read as any file so named (a FIFO
    /// too); one that cannot be read is a configuration error naming it and saying why.
    public static func readSettings(_ path: String, limit: Int) -> Result<(name: String, bytes: [UInt8]), Diagnostic> {
        readSettings(.namedFile(path), limit: limit)
    }

    private static func readSettings(_ source: InputDiscovery.Source, limit: Int) -> Result<(name: String, bytes: [UInt8]), Diagnostic> {
        read(source, limit: limit).mapError { Diagnostic(kind: .configuration, message: $0.message, location: $0.location) }
    }

    /// A file that is neither a regular file nor a folder.
    private struct SpecialFileKind {
        /// What it is, in words.
        let name: String
        /// Whether it is read as a stream, as standard input is, when named on the command line:
        /// a FIFO or a character device. Found in a folder, it is refused: a FIFO would wait for
        /// a writer, and a device may never end.
        let isStream: Bool
    }

    /// What `path` (a link followed) is when it exists and is neither a regular file nor a folder.
    private static func specialFileKind(_ path: UnsafePointer<CChar>) -> SpecialFileKind? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return SpecialFileKind(name: "a FIFO", isStream: true)
        case S_IFCHR: return SpecialFileKind(name: "a device", isStream: true)
        case S_IFSOCK: return SpecialFileKind(name: "a socket", isStream: false)
        case S_IFBLK: return SpecialFileKind(name: "a device", isStream: false)
        default: return SpecialFileKind(name: "a special file", isStream: false)
        }
    }
}
