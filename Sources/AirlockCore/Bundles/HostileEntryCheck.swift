/// Finds the hostile properties of a listing: traversal and absolute paths, entries written
/// through links, links leaving the root, PAX global headers, hardlinks carrying data, special files, setuid/setgid
/// bits and duplicate paths.
/// Pure: looks at metadata only. Paths are resolved through the archive's own symlinks, as an
/// unpacker creates them in archive order and then follows them.
public enum HostileEntryCheck {
    /// Issues in `entries` (archive order); `root` is the bundle's folder inside the archive
    /// (`""` for the archive root), which links must not leave.
    public static func issues(in entries: [ArchiveEntry], root: String = "") -> [BundleIssue] {
        var issues: [BundleIssue] = []
        var seen: [String: Int] = [:]
        /// The first path of each spelling that ignores case.
        var seenIgnoringCase: [String: String] = [:]
        var links = ArchiveSymlinks()
        // Where each entry lands once the links before it are followed.
        var landings: [ArchiveSymlinks.Resolution] = []
        landings.reserveCapacity(entries.count)
        for entry in entries {
            let path = entry.path
            if path.hasPrefix("/") {
                issues.append(BundleIssue(kind: .absolutePath, path: path, detail: "absolute path \"\(entry.rawPath)\""))
            }
            if ArchivePath.hasParentComponent(path) {
                issues.append(BundleIssue(kind: .pathTraversal, path: path, detail: "path has a \"..\" component: \"\(entry.rawPath)\""))
            }
            let landing = links.resolve(path, followingLast: false)
            if landing.followedLink {
                issues.append(BundleIssue(kind: .throughLink, path: path, detail: "written through a symlink of the archive: \(landing.place)"))
            }
            landings.append(landing)
            if entry.type == .symlink, let place = landing.path { links.add(place, target: entry.linkTarget ?? "") }
            switch entry.type {
            case .characterDevice, .blockDevice, .fifo, .socket, .other:
                issues.append(BundleIssue(kind: .specialFile, path: path, detail: "\(entry.type.rawValue) entry"))
            case .hardlink where entry.size > 0:
                let detail = "hardlink to \"\(entry.linkTarget ?? "")\" carries \(entry.size) bytes of data, which unpackers drop for the target's"
                issues.append(BundleIssue(kind: .hardlinkWithData, path: path, detail: detail))
            case .file, .directory, .symlink, .hardlink:
                break
            }
            if let keys = entry.globalHeaderKeys {
                let sets = keys.isEmpty ? "" : " setting \(keys.joined(separator: ", "))"
                let detail = "a PAX global header\(sets) precedes this entry: GNU tar and Python apply it to every entry after it, libarchive (airlock) ignores it"
                issues.append(BundleIssue(kind: .paxGlobalHeader, path: path, detail: detail))
            }
            if let conflict = entry.nameConflict {
                issues.append(BundleIssue(kind: .ambiguousName, path: path, detail: conflict))
            }
            if !entry.notUTF8.isEmpty {
                let detail = "its \(entry.notUTF8.joined(separator: " and ")) is not UTF-8 (the bytes that are not are shown here as %XX); unpackers write those bytes as they are"
                issues.append(BundleIssue(kind: .notUTF8, path: path, detail: detail))
            }
            if entry.isSetuid {
                issues.append(BundleIssue(kind: .setuid, path: path, detail: "mode \(octal(entry.mode)) has the setuid bit"))
            }
            if entry.isSetgid {
                issues.append(BundleIssue(kind: .setgid, path: path, detail: "mode \(octal(entry.mode)) has the setgid bit"))
            }
            let identity = landing.path ?? ArchivePath.normalise(path)
            let count = (seen[identity] ?? 0) + 1
            seen[identity] = count
            if count > 1 {
                issues.append(BundleIssue(kind: .duplicatePath, path: path, detail: "entry \(count) with the path \"\(identity)\""))
            } else if let first = seenIgnoringCase[identity.lowercased()] {
                // Unpacked on a filesystem that ignores case (macOS, Windows), one overwrites the other.
                issues.append(BundleIssue(kind: .duplicatePath, path: path, detail: "the path of \"\(first)\" but for case, one file where case is ignored (macOS, Windows)"))
            } else {
                seenIgnoringCase[identity.lowercased()] = identity
            }
        }
        // Link targets, through every link of the archive: each may be followed once all exist.
        for (entry, landing) in zip(entries, landings) where entry.type == .symlink || entry.type == .hardlink {
            let target = entry.linkTarget ?? ""
            let link = "\(entry.type == .symlink ? "symlink" : "hardlink") to \"\(target)\""
            let resolution: ArchiveSymlinks.Resolution
            if entry.type == .symlink {
                // A symlink written through a loop is never created: its through-link issue says so.
                if landing.isUnfollowable { continue }
                guard let place = landing.path else {
                    issues.append(outside(entry, link))
                    continue
                }
                resolution = links.resolveTarget(of: place, target)
            } else {
                resolution = links.resolve(target, followingLast: true)
            }
            if resolution.isUnfollowable {
                issues.append(BundleIssue(kind: .unresolvableLink, path: entry.path, detail: "\(link) \(resolution.place)"))
            } else if !lands(resolution.path, inside: root) {
                issues.append(outside(entry, link))
            }
        }
        return issues
    }

    private static func outside(_ entry: ArchiveEntry, _ link: String) -> BundleIssue {
        BundleIssue(kind: .linkOutsideRoot, path: entry.path, detail: "\(link) resolves outside the bundle root")
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
