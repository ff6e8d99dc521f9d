/// The symlinks of an archive, to resolve paths as an unpacker does: a path whose folder is a
/// link (`docs/a -> .`, then `docs/a/b`) is written wherever the link points, so a check by the
/// text of each path alone misses where entries really land. Lexical: never touches the file system.
struct ArchiveSymlinks {
    /// Link paths (resolved, relative to the archive root) and their targets as written.
    private var targets: [String: String] = [:]

    /// The most links one resolution follows, as Linux does (`MAXSYMLINKS`): past it, `open`
    /// fails with ELOOP even when the chain ends.
    private static let maximumHops = 40

    /// Where a path lands, and whether a link was followed on the way.
    struct Resolution: Equatable {
        enum Outcome: Equatable {
            /// Relative to the archive root.
            case lands(String)
            /// `..` above the archive root, or an absolute path.
            case leavesArchive
            /// A link met again while its own target was being resolved: the links followed,
            /// from that link back to it.
            case loops([String])
            /// More than `maximumHops` links on the way.
            case tooManyLinks
        }

        var outcome: Outcome
        var followedLink: Bool

        /// Where it lands, relative to the archive root; nil when it lands nowhere inside it.
        var path: String? {
            guard case .lands(let path) = outcome else { return nil }
            return path
        }

        /// Whether no unpacker can follow it to an end: a loop, or too many links.
        var isUnfollowable: Bool {
            switch outcome {
            case .loops, .tooManyLinks: return true
            case .lands, .leavesArchive: return false
            }
        }

        /// Where it goes, as issue details say it.
        var place: String {
            switch outcome {
            case .lands(let path): return "lands at \"\(path)\""
            case .leavesArchive: return "lands outside the archive"
            case .loops(let links): return "loops: " + links.joined(separator: " -> ")
            case .tooManyLinks: return "goes through more than \(ArchiveSymlinks.maximumHops) links, more than Linux follows"
            }
        }
    }

    mutating func add(_ path: String, target: String) {
        targets[path] = target
    }

    /// Resolves `path` (relative to the archive root) through the links: every folder on the way,
    /// and the last component too when `followingLast`.
    func resolve(_ path: String, followingLast: Bool) -> Resolution {
        guard !targets.isEmpty else {
            return Resolution(outcome: ArchivePath.resolveWithinRoot(path).map { .lands($0) } ?? .leavesArchive, followedLink: false)
        }
        if path.hasPrefix("/") { return Resolution(outcome: .leavesArchive, followedLink: false) }
        return follow(ArchivePath.components(path), followingLast: followingLast, startingAt: nil)
    }

    /// Where following the symlink at `link` (its resolved path) to `target` leads, the link
    /// itself counted as the first link followed.
    func resolveTarget(of link: String, _ target: String) -> Resolution {
        if target.hasPrefix("/") { return Resolution(outcome: .leavesArchive, followedLink: true) }
        return follow(ArchivePath.components(link).dropLast() + ArchivePath.components(target), followingLast: true, startingAt: link)
    }

    /// Resolves `components` from the archive root; `first`, when given, is a link followed
    /// already, and `components` are its folder and target.
    private func follow(_ components: [Substring], followingLast: Bool, startingAt first: String?) -> Resolution {
        var pending = components
        var resolved: [Substring] = []
        var followedLink = first != nil
        // The links whose targets are being resolved, each with the count of `pending` left
        // once its target is.
        var expanding: [(link: String, remainder: Int)] = first.map { [($0, 0)] } ?? []
        var hops = expanding.count
        while !pending.isEmpty {
            while let last = expanding.last, pending.count <= last.remainder { expanding.removeLast() }
            let part = pending.removeFirst()
            if part == ".." {
                guard !resolved.isEmpty else { return Resolution(outcome: .leavesArchive, followedLink: followedLink) }
                resolved.removeLast()
                continue
            }
            resolved.append(part)
            if pending.isEmpty, !followingLast { break }
            let link = resolved.joined(separator: "/")
            guard let target = targets[link] else { continue }
            followedLink = true
            if let start = expanding.firstIndex(where: { $0.link == link }) {
                return Resolution(outcome: .loops(expanding[start...].map(\.link) + [link]), followedLink: true)
            }
            hops += 1
            guard hops <= Self.maximumHops else { return Resolution(outcome: .tooManyLinks, followedLink: true) }
            guard !target.hasPrefix("/") else { return Resolution(outcome: .leavesArchive, followedLink: true) }
            expanding.append((link, pending.count))
            resolved.removeLast()
            pending = ArchivePath.components(target) + pending
        }
        return Resolution(outcome: .lands(resolved.joined(separator: "/")), followedLink: followedLink)
    }
}
