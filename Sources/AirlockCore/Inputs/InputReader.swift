import Foundation

/// Reads an input's bytes, turning every failure into a diagnostic that names the file.
public enum InputReader {
    /// The name standard input gets in reports.
    public static let standardInputName = "<stdin>"

    public static func read(_ source: InputDiscovery.Source) -> Result<(name: String, bytes: [UInt8]), Diagnostic> {
        switch source {
        case .standardInput:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return .success((standardInputName, [UInt8](data)))
        case .file(let path):
            if let kind = specialFileKind(path) {
                return .failure(Diagnostic(kind: .input, message: "cannot read file: it is \(kind), not a regular file", location: SourceSpan(file: path, line: 1, column: 1)))
            }
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
                return .success((path, [UInt8](data)))
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
                return .failure(Diagnostic(kind: .input, message: "cannot read file: \(reason)", location: SourceSpan(file: path, line: 1, column: 1)))
            }
        }
    }

    /// A settings file: `path` when given, else `defaultPath` when it exists in the working folder,
    /// else nil. A file that cannot be read is a configuration error naming it.
    public static func readSettings(_ path: String?, defaultPath: String) -> Result<(name: String, bytes: [UInt8]), Diagnostic>? {
        guard let file = path ?? (FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil) else { return nil }
        return read(.file(file)).mapError { Diagnostic(kind: .configuration, message: $0.message, location: $0.location) }
    }

    /// What `path` (a link followed) is when it exists and is neither a regular file nor a
    /// folder: reading a FIFO would wait for a writer, and a device may never end.
    private static func specialFileKind(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "a special file"
        }
    }
}
