import Foundation

/// Expands the paths given on the command line into the files to read, in a stable order.
/// Directories are walked recursively for `*.yaml`, `*.yml` and `*.json` (hidden files included,
/// as `kubectl apply -f DIR` reads them), skipping hidden folders such as `.git` and `.github`,
/// whose YAML is not manifests: each skipped one that holds such files is named, so that nothing
/// is left out unseen. `-` is standard input. A path that does not exist, a folder without any
/// YAML and a folder that cannot be listed (permission denied) are errors, and so is a Helm chart
/// (a folder holding `Chart.yaml`), whose templates are not manifests until Helm renders them.
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

        /// The name of a file whose path is not UTF-8, which escapes its bytes; nil for others.
        public var nameEscapingBytes: String? {
            if case .namedByBytes(_, let name) = self { return name }
            return nil
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
    /// however often it is named, directly or inside a named folder, and whatever the links
    /// (symbolic or hard) or spellings (`pod.yaml ./pod.yaml`, `dir dir/pod.yaml`): the first name
    /// is kept.
    public static func expand(_ paths: [String]) -> (sources: [Source], errors: [Diagnostic], skippedFolders: [String]) {
        var sources: [Source] = []
        var errors: [Diagnostic] = []
        var skippedFolders: [String] = []
        var seen = FileIdentities()
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
            let earlierErrors = errors.count
            let found = manifestFiles(under: path, seen: &seen, skippedFolders: &skippedFolders, errors: &errors)
            if found.isEmpty && errors.count == earlierErrors {
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
    /// followed (each folder once, by its real path, so a link loop ends; folders are walked in
    /// name order, so the name a file is found under is the same on every machine), and every entry with a
    /// manifest extension that is not a folder is returned, whatever it is: a linked file, a
    /// dangling link or a FIFO is then a read error naming it rather than a silent skip. Names are
    /// read as bytes: one that is not UTF-8 is still found (`Source.namedByBytes`). A folder that
    /// cannot be listed is an error naming it and the reason.
    public static func manifestFiles(under directory: String) -> (sources: [Source], errors: [Diagnostic]) {
        var seen = FileIdentities()
        var skippedFolders: [String] = []
        var errors: [Diagnostic] = []
        let sources = manifestFiles(under: directory, seen: &seen, skippedFolders: &skippedFolders, errors: &errors)
        return (sources, errors)
    }

    /// `manifestFiles(under:)`, skipping the folders in `seen` and adding those walked to it, and
    /// adding the hidden folders skipped that hold manifest files to `skippedFolders`.
    private static func manifestFiles(
        under directory: String, seen: inout FileIdentities, skippedFolders: inout [String], errors: inout [Diagnostic]
    ) -> [Source] {
        var walk = FolderWalk(seen: seen)
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        walk.collect(Array(root.utf8))
        seen = walk.seen
        skippedFolders += walk.skippedFolders.sorted()
        errors += walk.unlistableFolders.sorted { $0.folder.utf8.lexicographicallyPrecedes($1.folder.utf8) }.map { folder, reason in
            Diagnostic(kind: .input, message: "cannot list folder: \(reason)", location: SourceSpan(file: folder, line: 1, column: 1))
        }
        errors += walk.charts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(chartError)
        return walk.files.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The error for a Helm chart's folder found in an input folder: its templates (`{{ ... }}`)
    /// are not manifests, and what it deploys is known only once Helm renders it with the values
    /// it is deployed with, so none of its files is read as one.
    static func chartError(_ folder: String) -> Diagnostic {
        Diagnostic(
            kind: .input,
            message: "a Helm chart, whose templates are not manifests until Helm renders them: check what it renders with the values it is deployed with (`helm template RELEASE \(folder) -f VALUES | airlock check -`)",
            location: SourceSpan(file: folder + "/Chart.yaml", line: 1, column: 1))
    }

    /// One recursive walk: the manifest files found, the hidden folders skipped that hold some,
    /// the Helm charts found (not read), and the folders that could not be listed.
    private struct FolderWalk {
        var seen: FileIdentities
        var files: [Source] = []
        var skippedFolders: [String] = []
        var charts: [String] = []
        var unlistableFolders: [(folder: String, reason: String)] = []

        mutating func collect(_ directory: [UInt8]) {
            guard seen.insert(directory) else { return }
            let names: [[UInt8]]
            switch entryNames(directory) {
            // In name order, not the file system's: which of two names of a linked folder a file
            // is found (and reported) under must not depend on the order folders were made in.
            case .success(let listed): names = listed.sorted { $0.lexicographicallyPrecedes($1) }
            case .failure(let error):
                unlistableFolders.append((displayName(directory), error.reason))
                return
            }
            if names.contains(Array("Chart.yaml".utf8)) {
                charts.append(displayName(directory))
                return
            }
            for name in names {
            let path = directory == [UInt8(ascii: "/")] ? [UInt8(ascii: "/")] + name : directory + [UInt8(ascii: "/")] + name
                if withCString(path, { isDirectory($0, followingLinks: true) }) {
                    if name.first != UInt8(ascii: ".") {
                        collect(path)
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
    }

    /// Whether a folder entry is read as a manifest: a `*.yaml`, `*.yml` or `*.json` file, in any
    /// case, or a kustomization kustomize finds by its bare name (`Kustomization`), which reading
    /// reports as a build input: skipped, its patches and images would go unseen.
    private static func isManifestName(_ name: [UInt8]) -> Bool {
        if name.elementsEqual("Kustomization".utf8) { return true }
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0,
              let suffix = String(validating: name[(dot + 1)...], as: UTF8.self) else { return false }
        return manifestExtensions.contains(suffix.lowercased())
    }

    /// Whether a file with a manifest extension is anywhere below `folder` (links not followed).
    private static func holdsManifestFiles(_ folder: [UInt8]) -> Bool {
        for name in (try? entryNames(folder).get()) ?? [] {
            let path = folder + [UInt8(ascii: "/")] + name
            if withCString(path, { isDirectory($0, followingLinks: false) }) {
                if holdsManifestFiles(path) { return true }
            } else if isManifestName(name) {
                return true
            }
        }
        return false
    }

    /// Why a folder could not be listed: the system's message for `errno`.
    private struct ListingError: Error {
        let reason: String

        init(errno code: Int32) {
            reason = String(cString: strerror(code))
        }
    }

    /// The names in a folder, as bytes (`.` and `..` left out), or why it cannot be listed.
    private static func entryNames(_ directory: [UInt8]) -> Result<[[UInt8]], ListingError> {
        guard let stream = withCString(directory, { opendir($0) }) else { return .failure(ListingError(errno: errno)) }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let item = readdir(stream) else { break }
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        // readdir returns nil at the end and on an error; only an error sets errno.
        if errno != 0 { return .failure(ListingError(errno: errno)) }
        return .success(names)
    }

    private static func displayName(_ path: [UInt8]) -> String {
        String(validating: path, as: UTF8.self) ?? escapedName(path)
    }

    /// A path's bytes as text, each byte of what is not valid UTF-8 written `\xE9`, and each `\`
    /// written `\x5C`, so that `unescapedName` gives the bytes back exactly.
    static func escapedName(_ path: [UInt8]) -> String {
        var shown = ""
        var rest = path[...]
        while !rest.isEmpty {
            // The longest valid prefix, then one escaped byte.
            var valid = rest.endIndex
            while valid > rest.startIndex, String(validating: rest[..<valid], as: UTF8.self) == nil { valid -= 1 }
            shown += String(decoding: rest[..<valid], as: UTF8.self).replacingOccurrences(of: "\\", with: "\\x5C")
            rest = rest[valid...]
            if let byte = rest.first {
                shown += "\\x" + String(byte, radix: 16, uppercase: true)
                rest = rest.dropFirst()
            }
        }
        return shown
    }

    /// The path's bytes of a name `escapedName` wrote: each `\xHH` is the byte it escapes.
    public static func unescapedName(_ name: String) -> [UInt8] {
        let text = Array(name.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "\\"), index + 3 < text.count, text[index + 1] == UInt8(ascii: "x"),
               let byte = UInt8(String(decoding: text[(index + 2)..<(index + 4)], as: UTF8.self), radix: 16) {
                bytes.append(byte)
                index += 4
            } else {
                bytes.append(text[index])
                index += 1
            }
        }
        return bytes
    }

    private static func withCString<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path.map(CChar.init(bitPattern:)) + [0]).withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// The files and folders taken so far, by device and inode: a path, a symbolic link to it and a
    /// hard link to it are one file.
    private struct FileIdentities {
        private struct Identity: Hashable {
            let device: UInt64
            let inode: UInt64
        }

        private var identities: Set<Identity> = []

        /// Whether `path` is new, adding it; a path that cannot be looked at (a link leading
        /// nowhere) is always new, and left to the reader.
        mutating func insert(_ path: [UInt8]) -> Bool {
            guard let identity = Self.identity(of: path) else { return true }
            return identities.insert(identity).inserted
        }

        func contains(_ path: [UInt8]) -> Bool {
            Self.identity(of: path).map(identities.contains) ?? false
        }

        private static func identity(of path: [UInt8]) -> Identity? {
            var status = stat()
            guard withCString(path, { stat($0, &status) }) == 0 else { return nil }
            return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        }
    }

    /// Whether `path` is a folder (or, following links, a link to one).
    private static func isDirectory(_ path: UnsafePointer<CChar>, followingLinks: Bool) -> Bool {
        var status = stat()
        let found = followingLinks ? stat(path, &status) : lstat(path, &status)
        return found == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
