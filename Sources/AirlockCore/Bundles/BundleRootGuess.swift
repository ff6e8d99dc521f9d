/// While streaming, before the root is known, the paths an entry may have relative to the bundle
/// root: as is, or without a single wrapping folder (`airgap-bundle-20250101/...`).
enum BundleRootGuess {
    static func candidates(_ path: String) -> [String] {
        guard !path.hasPrefix("/"), let slash = path.firstIndex(of: "/") else { return [path] }
        return [path, String(path[path.index(after: slash)...])]
    }
}
