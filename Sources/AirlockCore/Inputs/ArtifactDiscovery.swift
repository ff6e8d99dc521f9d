import Foundation

/// Sorts the paths of a gate into manifests, domain packages and air-gap bundles: an archive
/// (`.tar.gz`, `.tgz`, `.tar`, `.tar.zst`) or a folder holding `manifest.yaml` is a bundle; a
/// folder holding `package.yaml` is a package; so is a folder whose one subfolder is one
/// (`airgap-bundle-X/manifest.yaml`), unless it holds manifest files of its own; everything else
/// is read as manifests.
public enum ArtifactDiscovery {
    public static let archiveSuffixes = [".tar.gz", ".tgz", ".tar", ".tar.zst"]

    public enum Kind: Sendable, Hashable {
        case manifests, package, bundle
    }

    public static func kind(of path: String) -> Kind {
        var isDirectory: ObjCBool = false
        guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .manifests }
        guard isDirectory.boolValue else {
            return archiveSuffixes.contains { path.lowercased().hasSuffix($0) } ? .bundle : .manifests
        }
        if holds(path, "package.yaml") { return .package }
        if holds(path, "manifest.yaml") { return .bundle }
        let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let folders = children.filter { !$0.hasPrefix(".") && isFolder(path + "/" + $0) }
        let manifestFiles = children.filter { InputDiscovery.manifestExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
        if folders.count == 1, manifestFiles.isEmpty, let only = folders.first {
            if holds(path + "/" + only, "package.yaml") { return .package }
            if holds(path + "/" + only, "manifest.yaml") { return .bundle }
        }
        return .manifests
    }

    private static func holds(_ folder: String, _ name: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/" + name)
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
