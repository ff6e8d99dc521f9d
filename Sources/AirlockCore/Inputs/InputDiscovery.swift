import Foundation

/// Expands the paths given on the command line into the files to read, in a stable order.
/// Directories are walked recursively for `*.yaml`, `*.yml` and `*.json`, skipping hidden folders;
/// `-` is standard input. A path that does not exist, or a folder without any YAML, is an error.
public enum InputDiscovery {
    /// Where an input's bytes come from.
    public enum Source: Sendable, Hashable {
        case file(String)
        case standardInput
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
            sources.append(contentsOf: found.map(Source.file))
        }
        return (sources, errors)
    }

    /// Manifest files below `directory`, sorted, hidden folders and files skipped. Symlinks are
    /// returned as well as regular files (the reader follows them), so that a linked manifest is
    /// checked and a dangling link is a read error rather than a silent skip.
    public static func manifestFiles(under directory: String) -> [String] {
        let base = URL(fileURLWithPath: directory)
        guard let walker = FileManager.default.enumerator(
            at: base, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey], options: [.skipsHiddenFiles]) else { return [] }
        var files: [String] = []
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let basePath = base.standardizedFileURL.path
        for case let url as URL in walker {
            guard manifestExtensions.contains(url.pathExtension.lowercased()),
                  let kind = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey]),
                  kind.isRegularFile == true || kind.isSymbolicLink == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(basePath + "/") ? String(full.dropFirst(basePath.count + 1)) : full
            files.append(prefix + relative)
        }
        return files.sorted()
    }
}
