/// The symlinks of an archive, to resolve paths as an unpacker does: a path whose folder is a
/// link (`docs/a -> .`, then `docs/a/b`) is written wherever the link points, so a check by the
/// text of each path alone misses where entries really land. Lexical: never touches the file system.
struct ArchiveSymlinks {
    /// Link paths (resolved, relative to the archive root) and their targets as written.
    private var targets: [String: String] = [:]

    /// The most links one resolution follows, as Linux does (`MAXSYMLINKS`); more is a loop.
    private static let maximumHops = 40

    var isEmpty: Bool { targets.isEmpty }

    /// Where a path lands, and whether a link was followed on the way.
    struct Resolution: Equatable {
        /// Relative to the archive root; nil when the path leaves it (or loops).
        var path: String?
        var followedLink: Bool
    }

    mutating func add(_ path: String, target: String) {
        targets[path] = target
    }

    /// Resolves `path` (relative to the archive root) through the links: every folder on the way,
    /// and the last component too when `followingLast` (a link's own target).
    func resolve(_ path: String, followingLast: Bool) -> Resolution {
        if path.hasPrefix("/") { return Resolution(path: nil, followedLink: false) }
        var pending = ArchivePath.components(path)
        var resolved: [Substring] = []
        var followedLink = false
        var hops = 0
        while !pending.isEmpty {
            let part = pending.removeFirst()
            if part == ".." {
                guard !resolved.isEmpty else { return Resolution(path: nil, followedLink: followedLink) }
                resolved.removeLast()
                continue
            }
            resolved.append(part)
            if pending.isEmpty, !followingLast { break }
            guard let target = targets[resolved.joined(separator: "/")] else { continue }
            hops += 1
            followedLink = true
            guard hops <= Self.maximumHops, !target.hasPrefix("/") else { return Resolution(path: nil, followedLink: true) }
            resolved.removeLast()
            pending = ArchivePath.components(target) + pending
        }
        return Resolution(path: resolved.joined(separator: "/"), followedLink: followedLink)
    }
}
