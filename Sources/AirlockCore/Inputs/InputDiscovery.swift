import Foundation

/// Expands the paths given on the command line into the files to read, in a stable order.
/// Directories are walked recursively for `*.yaml`, `*.yml` and `*.json`, skipping hidden folders;
/// `-` is standard input. A path that does not exist, or a folder without any YAML, is an error.
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

    /// The inputs named by `paths`, with an error for each path that yields nothing.
    public static func expand(_ paths: [String]) -> (sources: [Source], errors: [Diagnostic]) {
        var sources: [Source] = []
        var errors: [Diagnostic] = []
        for path in paths {
            if path == "-" {
                sources.append(.standardInput)
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
                sources.append(.namedFile(path))
                continue
            }
            let found = manifestFiles(under: path)
            if found.isEmpty {
                errors.append(Diagnostic(
                    kind: .input, message: "directory holds no *.yaml, *.yml or *.json file",
                    location: SourceSpan(file: path, line: 1, column: 1)))
            }
            sources.append(contentsOf: found.map(Source.file))
        }
        return (sources, errors)
    }

    /// Manifest files below `directory`, sorted, hidden files and folders skipped. Symlinked
    /// folders are followed (each folder once, by its real path, so a link loop ends), and every
    /// entry with a manifest extension that is not a folder is returned, whatever it is: a linked
    /// file, a dangling link or a FIFO is then a read error naming it rather than a silent skip.
    public static func manifestFiles(under directory: String) -> [String] {
        var files: [String] = []
        var visited: Set<String> = []
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        collect(root, into: &files, visited: &visited)
        return files.sorted()
    }

    private static func collect(_ directory: String, into files: inout [String], visited: inout Set<String>) {
        guard let real = realpath(directory, nil) else { return }
        let inserted = visited.insert(String(cString: real)).inserted
        free(real)
        guard inserted, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            if isDirectory(path) {
                collect(path, into: &files, visited: &visited)
            } else if manifestExtensions.contains((name as NSString).pathExtension.lowercased()) {
                files.append(path)
            }
        }
    }

    /// Whether `path` is a folder or a link to one.
    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
