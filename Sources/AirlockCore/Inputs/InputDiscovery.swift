import Foundation

/// Expands the paths given on the command line into the files to read, in a stable order.
/// Directories are walked recursively for `*.yaml`, `*.yml` and `*.json` (hidden files included,
/// as `kubectl apply -f DIR` reads them), skipping hidden folders such as `.git` and `.github`,
/// whose YAML is not manifests: each skipped one that holds such files is named, so that nothing
/// is left out unseen. `-` is standard input. A path that does not exist, or a folder without any
/// YAML, is an error.
public enum InputDiscovery {
    /// Where an input's bytes come from.
    public enum Source: Sendable, Hashable {
        /// A file found in a folder: read only when it is a regular file.
        case file(String)
        /// A file named on the command line: a FIFO or a character device is read too
        /// (`check <(helm template …)`, `/dev/stdin`), as standard input is.
        case namedFile(String)
        case standardInput
        /// A file whose path is not UTF-8 (found in an input folder): opened by the path's bytes,
        /// and named in reports with the bytes that are not UTF-8 escaped (`caf\xE9.yaml`).
        case namedByBytes(path: [UInt8], name: String)

        /// What reports call the input.
        public var name: String {
            switch self {
            case .file(let path), .namedFile(let path): return path
            case .standardInput: return InputReader.standardInputName
            case .namedByBytes(_, let name): return name
            }
        }

        /// The path's bytes, to open the file by.
        var pathBytes: [UInt8]? {
            switch self {
            case .file(let path), .namedFile(let path): return Array(path.utf8)
            case .standardInput: return nil
            case .namedByBytes(let path, _): return path
            }
        }
    }

    public static let manifestExtensions: Set<String> = ["yaml", "yml", "json"]

    /// The inputs named by `paths`, with an error for each path that yields nothing, and the
    /// hidden folders skipped that hold `*.yaml`, `*.yml` or `*.json` files. A file is read once
    /// however often it is named, directly or inside a named folder, and whatever the links or
    /// spellings (`pod.yaml ./pod.yaml`, `dir dir/pod.yaml`): the first name is kept.
    public static func expand(_ paths: [String]) -> (sources: [Source], errors: [Diagnostic], skippedFolders: [String]) {
        var sources: [Source] = []
        var errors: [Diagnostic] = []
        var skippedFolders: [String] = []
        var seen = RealPaths()
        for path in paths {
            if path == "-" {
                if !sources.contains(.standardInput) { sources.append(.standardInput) }
                continue
            }
            var status = stat()
            guard stat(path, &status) == 0 else {
                // Only a path that is not there at all is missing; a link leading nowhere (a loop,
                // a dangling link) or a path that cannot be looked at is read like a file found
                // in a folder, so that the reader names the reason the folder walk would give.
                if errno == ENOENT, lstat(path, &status) != 0 {
                    errors.append(Diagnostic(kind: .input, message: "no such file or directory", location: SourceSpan(file: path, line: 1, column: 1)))
                } else {
                    sources.append(.namedFile(path))
                }
                continue
            }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                if seen.insert(Array(path.utf8)) { sources.append(.namedFile(path)) }
                continue
            }
            // A folder already walked (named twice, or inside one named before) adds nothing new.
            guard !seen.contains(Array(path.utf8)) else { continue }
            let found = manifestFiles(under: path, seen: &seen, skippedFolders: &skippedFolders)
            if found.isEmpty {
                errors.append(Diagnostic(
                    kind: .input, message: "directory holds no *.yaml, *.yml or *.json file",
                    location: SourceSpan(file: path, line: 1, column: 1)))
            }
            sources.append(contentsOf: found.filter { source in source.pathBytes.map { seen.insert($0) } ?? true })
        }
        return (sources, errors, skippedFolders)
    }

    /// What the user is told of a hidden folder the walk skipped though it holds YAML.
    public static func skippedFolderNote(_ folder: String) -> String {
        "skipped hidden folder \(folder), which holds *.yaml, *.yml or *.json files: name it to check them"
    }

    /// Manifest files below `directory`, sorted, hidden folders skipped. Symlinked folders are
    /// followed (each folder once, by its real path, so a link loop ends), and every entry with a
    /// manifest extension that is not a folder is returned, whatever it is: a linked file, a
    /// dangling link or a FIFO is then a read error naming it rather than a silent skip. Names are
    /// read as bytes: one that is not UTF-8 is still found (`Source.namedByBytes`).
    public static func manifestFiles(under directory: String) -> [Source] {
        var seen = RealPaths()
        var skippedFolders: [String] = []
        return manifestFiles(under: directory, seen: &seen, skippedFolders: &skippedFolders)
    }

    /// `manifestFiles(under:)`, skipping the folders in `seen` and adding those walked to it, and
    /// adding the hidden folders skipped that hold manifest files to `skippedFolders`.
    private static func manifestFiles(under directory: String, seen: inout RealPaths, skippedFolders: inout [String]) -> [Source] {
        var files: [Source] = []
        var skipped: [String] = []
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        collect(Array(root.utf8), into: &files, seen: &seen, skippedFolders: &skipped)
        skippedFolders += skipped.sorted()
        return files.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    private static func collect(_ directory: [UInt8], into files: inout [Source], seen: inout RealPaths, skippedFolders: inout [String]) {
        guard seen.insert(directory), let names = entryNames(directory) else { return }
        for name in names {
            let path = directory == [UInt8(ascii: "/")] ? [UInt8(ascii: "/")] + name : directory + [UInt8(ascii: "/")] + name
            if withCString(path, { isDirectory($0, followingLinks: true) }) {
                if name.first != UInt8(ascii: ".") {
                    collect(path, into: &files, seen: &seen, skippedFolders: &skippedFolders)
                } else if holdsManifestFiles(path) {
                    skippedFolders.append(displayName(path))
                }
            } else if isManifestName(name) {
                if let text = String(validating: path, as: UTF8.self) {
                    files.append(.file(text))
                } else {
                    files.append(.namedByBytes(path: path, name: escapedName(path)))
                }
            }
        }
    }

    private static func isManifestName(_ name: [UInt8]) -> Bool {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0,
              let suffix = String(validating: name[(dot + 1)...], as: UTF8.self) else { return false }
        return manifestExtensions.contains(suffix.lowercased())
    }

    /// Whether a file with a manifest extension is anywhere below `folder` (links not followed).
    private static func holdsManifestFiles(_ folder: [UInt8]) -> Bool {
        for name in entryNames(folder) ?? [] {
            let path = folder + [UInt8(ascii: "/")] + name
            if withCString(path, { isDirectory($0, followingLinks: false) }) {
                if holdsManifestFiles(path) { return true }
            } else if isManifestName(name) {
                return true
            }
        }
        return false
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

    private static func displayName(_ path: [UInt8]) -> String {
        String(validating: path, as: UTF8.self) ?? escapedName(path)
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

    /// The real paths (links resolved) of the files and folders taken so far.
    private struct RealPaths {
        private var paths: Set<[UInt8]> = []

        /// Whether `path` is new, adding it; a path without a real path (a link leading nowhere,
        /// a pipe of `/dev/fd`) is always new, and left to the reader.
        mutating func insert(_ path: [UInt8]) -> Bool {
            guard let real = Self.realPath(path) else { return true }
            return paths.insert(real).inserted
        }

        func contains(_ path: [UInt8]) -> Bool {
            Self.realPath(path).map(paths.contains) ?? false
        }

        private static func realPath(_ path: [UInt8]) -> [UInt8]? {
            guard let real = withCString(path, { realpath($0, nil) }) else { return nil }
            defer { free(real) }
            return Array(UnsafeBufferPointer(start: real, count: strlen(real)).map(UInt8.init(bitPattern:)))
        }
    }

    /// Whether `path` is a folder (or, following links, a link to one).
    private static func isDirectory(_ path: UnsafePointer<CChar>, followingLinks: Bool) -> Bool {
        var status = stat()
        let found = followingLinks ? stat(path, &status) : lstat(path, &status)
        return found == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
