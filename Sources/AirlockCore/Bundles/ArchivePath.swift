/// Lexical path handling for archive entries. Never touches the file system.
public enum ArchivePath {
    /// Drops `./` prefixes, empty and `.` components and trailing `/`; keeps `..` and a leading `/`.
    /// A name as a tar header stores it: UTF-8 when it is, else with each byte that is not written
    /// as `%XX` (as in a URL: no `\`, which Helm reads as a separator, and no `/`), so two names
    /// that differ only there stay two (decoding them with U+FFFD made one of them). Also whether
    /// the bytes were UTF-8.
    static func decode(_ name: UnsafePointer<CChar>) -> (text: String, isUTF8: Bool) {
        if let text = String(validatingCString: name) { return (text, true) }
        var length = 0
        while name[length] != 0 { length += 1 }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: length)
        var text = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                text.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] { text.append(contentsOf: "%\(Hex.string([byte]).uppercased())".unicodeScalars) }
                offset += length
            case .emptyInput:
                return (String(text), false)
            }
        }
    }

    public static func normalise(_ raw: String) -> String {
        let absolute = raw.hasPrefix("/")
        let parts = raw.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// Components of a normalised path, without the leading `/`.
    public static func components(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
    }

    /// Whether any component is `..`, with `\` taken as a separator too: unpacked on Windows,
    /// `docs/..\..\evil.bat` climbs out.
    public static func hasParentComponent(_ path: String) -> Bool {
        path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
    }

    /// Resolves `..` lexically against the archive root; `nil` when the path climbs above the root
    /// or is absolute.
    public static func resolveWithinRoot(_ path: String) -> String? {
        if path.hasPrefix("/") { return nil }
        var stack: [Substring] = []
        for part in components(path) {
            if part == ".." {
                guard !stack.isEmpty else { return nil }
                stack.removeLast()
            } else {
                stack.append(part)
            }
        }
        return stack.joined(separator: "/")
    }

    /// `path` relative to `root` (a normalised directory path, `""` for the archive root), or
    /// `nil` when it is not inside it.
    public static func relative(_ path: String, to root: String) -> String? {
        if root.isEmpty { return path }
        if path == root { return "" }
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count + 1))
    }

    /// Whether `path` is a folder that holds `root` (`""` for the archive root, `a` for `a/b`): a
    /// tarball made with `tar -czf b.tgz -C dir .` lists `./`, and its root folder's parents are
    /// on the way to it rather than beside it.
    public static func holds(_ path: String, root: String) -> Bool {
        path.isEmpty ? !root.isEmpty : root.hasPrefix(path + "/")
    }
}
