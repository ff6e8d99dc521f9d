/// Finds the hostile properties of a listing: traversal and absolute paths, links leaving the
/// root, special files, setuid/setgid bits and duplicate paths. Pure: looks at metadata only.
public enum HostileEntryCheck {
    /// Issues in `entries` (archive order); `root` is the bundle's folder inside the archive
    /// (`""` for the archive root), which links must not leave.
    public static func issues(in entries: [ArchiveEntry], root: String = "") -> [BundleIssue] {
        var issues: [BundleIssue] = []
        var seen: [String: Int] = [:]
        for entry in entries {
            let path = entry.path
            if path.hasPrefix("/") {
                issues.append(BundleIssue(kind: .absolutePath, path: path, detail: "absolute path \"\(entry.rawPath)\""))
            }
            if ArchivePath.hasParentComponent(path) {
                issues.append(BundleIssue(kind: .pathTraversal, path: path, detail: "path has a \"..\" component: \"\(entry.rawPath)\""))
            }
            switch entry.type {
            case .symlink:
                let target = entry.linkTarget ?? ""
                if !lands(ArchivePath.resolveSymlink(at: path, target: target), inside: root) {
                    issues.append(BundleIssue(kind: .linkOutsideRoot, path: path, detail: "symlink to \"\(target)\" resolves outside the bundle root"))
                }
            case .hardlink:
                let target = entry.linkTarget ?? ""
                if !lands(ArchivePath.resolveWithinRoot(ArchivePath.normalise(target)), inside: root) {
                    issues.append(BundleIssue(kind: .linkOutsideRoot, path: path, detail: "hardlink to \"\(target)\" resolves outside the bundle root"))
                }
            case .characterDevice, .blockDevice, .fifo, .socket, .other:
                issues.append(BundleIssue(kind: .specialFile, path: path, detail: "\(entry.type.rawValue) entry"))
            case .file, .directory:
                break
            }
            if entry.isSetuid {
                issues.append(BundleIssue(kind: .setuid, path: path, detail: "mode \(octal(entry.mode)) has the setuid bit"))
            }
            if entry.isSetgid {
                issues.append(BundleIssue(kind: .setgid, path: path, detail: "mode \(octal(entry.mode)) has the setgid bit"))
            }
            let identity = ArchivePath.identity(path)
            let count = (seen[identity] ?? 0) + 1
            seen[identity] = count
            if count > 1 {
                issues.append(BundleIssue(kind: .duplicatePath, path: path, detail: "entry \(count) with the path \"\(identity)\""))
            }
        }
        return issues
    }

    private static func lands(_ resolved: String?, inside root: String) -> Bool {
        guard let resolved else { return false }
        return ArchivePath.relative(resolved, to: root) != nil
    }

    private static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return "0" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
