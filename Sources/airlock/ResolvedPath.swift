import Foundation

/// The file a path names once symbolic links are followed, so that two names for one file are
/// seen to be one: the real path when the file exists, else the real path of its folder plus its
/// name (the file a report would create there), a dangling link followed to where it points.
enum ResolvedPath {
    static func of(_ path: String) -> String {
        resolve(URL(fileURLWithPath: path).standardizedFileURL.path, links: 0)
    }

    /// Links followed before giving up (as the kernel's ELOOP limit).
    private static let maxLinks = 40

    private static func resolve(_ path: String, links: Int) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if links < maxLinks, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            let absolute = target.hasPrefix("/") ? target : folder + "/" + target
            return resolve(URL(fileURLWithPath: absolute).standardizedFileURL.path, links: links + 1)
        }
        guard path != "/", folder != path else { return path }
        let resolvedFolder = resolve(folder, links: links)
        return (resolvedFolder == "/" ? "" : resolvedFolder) + "/" + url.lastPathComponent
    }

    /// Whether `path` is a regular file (through links).
    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }
}
