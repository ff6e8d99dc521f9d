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
                if seen.insert(path) { sources.append(.namedFile(path)) }
                continue
            }
            // A folder already walked (named twice, or inside one named before) adds nothing new.
            guard !seen.contains(path) else { continue }
            let found = manifestFiles(under: path, seen: &seen, skippedFolders: &skippedFolders)
            if found.isEmpty {
                errors.append(Diagnostic(
                    kind: .input, message: "directory holds no *.yaml, *.yml or *.json file",
                    location: SourceSpan(file: path, line: 1, column: 1)))
            }
            sources.append(contentsOf: found.filter { seen.insert($0) }.map(Source.file))
        }
        return (sources, errors, skippedFolders)
    }

    /// What the user is told of a hidden folder the walk skipped though it holds YAML.
    public static func skippedFolderNote(_ folder: String) -> String {
        "skipped hidden folder \(folder), which holds *.yaml, *.yml or *.json files: name it to check them"
    }

    /// Manifest files below `directory`, sorted, hidden folders skipped. Symlinked
    /// folders are followed (each folder once, by its real path, so a link loop ends), and every
    /// entry with a manifest extension that is not a folder is returned, whatever it is: a linked
    /// file, a dangling link or a FIFO is then a read error naming it rather than a silent skip.
    public static func manifestFiles(under directory: String) -> [String] {
        var seen = RealPaths()
        var skippedFolders: [String] = []
        return manifestFiles(under: directory, seen: &seen, skippedFolders: &skippedFolders)
    }

    /// `manifestFiles(under:)`, skipping the folders in `seen` and adding those walked to it, and
    /// adding the hidden folders skipped that hold manifest files to `skippedFolders`.
    private static func manifestFiles(under directory: String, seen: inout RealPaths, skippedFolders: inout [String]) -> [String] {
        var files: [String] = []
        var skipped: [String] = []
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        collect(root, into: &files, seen: &seen, skippedFolders: &skipped)
        skippedFolders += skipped.sorted()
        return files.sorted()
    }

    private static func collect(_ directory: String, into files: inout [String], seen: inout RealPaths, skippedFolders: inout [String]) {
        guard seen.insert(directory), let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            if isDirectory(path) {
                if !name.hasPrefix(".") {
                    collect(path, into: &files, seen: &seen, skippedFolders: &skippedFolders)
                } else if holdsManifestFiles(path) {
                    skippedFolders.append(path)
                }
            } else if isManifestName(name) {
                files.append(path)
            }
        }
    }

    private static func isManifestName(_ name: String) -> Bool {
        manifestExtensions.contains((name as NSString).pathExtension.lowercased())
    }

    /// Whether a file with a manifest extension is anywhere below `folder` (links not followed).
    private static func holdsManifestFiles(_ folder: String) -> Bool {
        guard let entries = FileManager.default.enumerator(atPath: folder) else { return false }
        while let entry = entries.nextObject() as? String {
            if isManifestName(entry) { return true }
        }
        return false
    }

    /// The real paths (links resolved) of the files and folders taken so far.
    private struct RealPaths {
        private var paths: Set<String> = []

        /// Whether `path` is new, adding it; a path without a real path (a link leading nowhere,
        /// a pipe of `/dev/fd`) is always new, and left to the reader.
        mutating func insert(_ path: String) -> Bool {
            guard let real = Self.realPath(path) else { return true }
            return paths.insert(real).inserted
        }

        func contains(_ path: String) -> Bool {
            Self.realPath(path).map(paths.contains) ?? false
        }

        private static func realPath(_ path: String) -> String? {
            guard let real = realpath(path, nil) else { return nil }
            defer { free(real) }
            return String(cString: real)
        }
    }

    /// Whether `path` is a folder or a link to one.
    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
