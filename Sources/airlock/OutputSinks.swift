import Foundation

/// Buffered standard output for reporters.
struct StandardOutputSink: TextOutputStream {
    private var buffer = ""

    mutating func write(_ string: String) {
        buffer += string
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer = ""
    }
}

/// Writes a report to a temporary file beside the target and renames it into place, so a killed
/// run never leaves a truncated report that CI would read as "no findings".
/// A temp file left by SIGINT/SIGTERM is removed by `SignalCleanup`.
enum AtomicFile {
    struct Sink: TextOutputStream {
        let handle: FileHandle
        var buffer = ""

        mutating func write(_ string: String) {
            buffer += string
            if buffer.utf8.count > 1 << 16 { flush() }
        }

        mutating func flush() {
            handle.write(Data(buffer.utf8))
            buffer = ""
        }
    }

    /// Why a report file could not be written, in words (Foundation's errors print as
    /// `Error Domain=NSCocoaErrorDomain Code=512 "(null)"`).
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write the report \(path): \(reason)" }

        /// The reason `errno` gives for the last failed call.
        init(path: String) {
            self.path = path
            reason = String(cString: strerror(errno))
        }

        init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    static func write(to path: String, _ body: (inout Sink) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw WriteError(path: path, reason: "it is a folder")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "cannot create the folder \(folder.path)")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        // Tracked before it exists, so SIGINT/SIGTERM while writing removes it (SignalCleanup).
        guard let slot = SignalCleanup.track(temporary.path) else {
            throw WriteError(path: path, reason: "the path is too long")
        }
        defer { SignalCleanup.untrack(slot) }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw WriteError(path: path)
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            var sink = Sink(handle: handle)
            try body(&sink)
            sink.flush()
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else { throw WriteError(path: path) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
