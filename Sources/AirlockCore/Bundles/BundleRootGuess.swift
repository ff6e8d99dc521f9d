/// While streaming, before the root is known, the paths an entry may have relative to the bundle
/// root: as is, or without a single wrapping folder (`airgap-bundle-20250101/...`).
enum BundleRootGuess {
    static func candidates(_ path: String) -> [String] {
        guard !path.hasPrefix("/"), let slash = path.firstIndex(of: "/") else { return [path] }
        return [path, String(path[path.index(after: slash)...])]
    }

    /// An error when `root`, the folder holding `marker` (manifest.yaml, package.yaml), is deeper
    /// than these candidates reach: its files were then read without knowing what they are (image
    /// and chart archives not opened), and the facts would mislead.
    static func tooDeep(_ root: String, marker: String, source: String) -> Diagnostic? {
        guard ArchivePath.components(root).count > 1 else { return nil }
        return Diagnostic(
            kind: .input,
            message: "\(marker) is at \(root)/\(marker), more than one folder down, where its images and charts are not opened: put its folder at the top of the archive, or give that folder itself",
            location: SourceSpan(file: source, line: 1, column: 1))
    }
}
