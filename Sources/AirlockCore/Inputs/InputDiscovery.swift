import Foundation

/// Expands the paths given on the command line into the files to read, in a stable order.
/// Directories are walked recursively for `*.yaml`, `*.yml` and `*.json`, skipping hidden folders;
/// `-` is standard input. A path that does not exist, or a folder without any YAML, is an error.
public enum InputDiscovery {
    /// Where an input's bytes come from.
    public enum Source: Sendable, Hashable {
        case file(String)
        case standardInput
        /// A file whose path is not UTF-8 (found in an input folder): opened by the path's bytes,
        /// and named in reports with the bytes that are not UTF-8 escaped (`caf\xE9.yaml`).
        case namedByBytes(path: [UInt8], name: String)

        /// What reports call the input.
        public var name: String {
            switch self {
            case .file(let path): return path
            case .standardInput: return InputReader.standardInputName
            case .namedByBytes(_, let name): return name
            }
        }
    }

    public static let manifestExtensions: Set<String> = ["yaml", "yml", "json"]

    /// The inputs named by `paths`, with an error for each path that yields nothing.
    public static func expand(_ paths: [String]) -> (sources: [Source], errors: [Diagnostic]) {
        var sources: [Source] = []
        var errors: [Diagnostic] = []
        let fileManager = FileManager.default
        for path in paths {
            if path == "-" {
                sources.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append(Diagnostic(kind: .input, message: "no such file or directory", location: SourceSpan(file: path, line: 1, column: 1)))
                continue
            }
            guard isDirectory.boolValue else {
                sources.append(.file(path))
                continue
            }
            let found = manifestFiles(under: path)
            if found.isEmpty {
                errors.append(Diagnostic(
                    kind: .input, message: "directory holds no *.yaml, *.yml or *.json file",
                    location: SourceSpan(file: path, line: 1, column: 1)))
            }
            sources.append(contentsOf: found)
        }
        return (sources, errors)
    }

    /// Manifest files below `directory`, sorted, hidden files and folders skipped. Symlinked
    /// folders are followed (each folder once, by its real path, so a link loop ends), and every
    /// entry with a manifest extension that is not a folder is returned, whatever it is: a linked
    /// file, a dangling link or a FIFO is then a read error naming it rather than a silent skip.
    /// Names are read as bytes: one that is not UTF-8 is still found (`Source.namedByBytes`).
    public static func manifestFiles(under directory: String) -> [Source] {
        var files: [Source] = []
        var visited: Set<String> = []
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        collect(Array(root.utf8), into: &files, visited: &visited)
        return files.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    private static func collect(_ directory: [UInt8], into files: inout [Source], visited: inout Set<String>) {
        guard let real = withCString(directory, { realpath($0, nil) }) else { return }
        let inserted = visited.insert(String(cString: real)).inserted
        free(real)
        guard inserted, let names = entryNames(directory) else { return }
        for name in names where name.first != UInt8(ascii: ".") {
            let path = directory == [UInt8(ascii: "/")] ? [UInt8(ascii: "/")] + name : directory + [UInt8(ascii: "/")] + name
            if withCString(path, isDirectory) {
                collect(path, into: &files, visited: &visited)
            } else if let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0,
                      let suffix = String(validating: name[(dot + 1)...], as: UTF8.self),
                      manifestExtensions.contains(suffix.lowercased()) {
                if let text = String(validating: path, as: UTF8.self) {
                    files.append(.file(text))
                } else {
                    files.append(.namedByBytes(path: path, name: escapedName(path)))
                }
            }
        }
    }

    /// The names in a folder, as bytes (`.` and `..` left out); nil when it cannot be listed.
    private static func entryNames(_ directory: [UInt8]) -> [[UInt8]]? {
        guard let stream = withCString(directory, { opendir($0) }) else { return nil }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while let item = readdir(stream) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names
    }

    /// A path's bytes as text, each byte of what is not valid UTF-8 written `\xE9`.
    static func escapedName(_ path: [UInt8]) -> String {
        var shown = ""
        var rest = path[...]
        while !rest.isEmpty {
            // The longest valid prefix, then one escaped byte.
            var valid = rest.endIndex
            while valid > rest.startIndex, String(validating: rest[..<valid], as: UTF8.self) == nil { valid -= 1 }
            shown += String(decoding: rest[..<valid], as: UTF8.self)
            rest = rest[valid...]
            if let byte = rest.first {
                shown += "\\x" + String(byte, radix: 16, uppercase: true)
                rest = rest.dropFirst()
            }
        }
        return shown
    }

    private static func withCString<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path.map(CChar.init(bitPattern:)) + [0]).withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Whether `path` is a folder or a link to one.
    private static func isDirectory(_ path: UnsafePointer<CChar>) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
