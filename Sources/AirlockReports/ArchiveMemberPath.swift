/// Paths into archives as the reports name them: `bundle.tgz!chart/templates/x.yaml`, or an archive
/// inside another, `b.tgz!charts/x.tgz!x/values.yaml`. A member's name is the archive's to choose,
/// and a hostile one holds `.` or `..` segments (`b.tgz!X/../evil.yaml`), which a platform that
/// resolves report paths against the checkout would read as another file of it (`evil.yaml`).
enum ArchiveMemberPath {
    /// Whether `member` (a part of a path after a `!`) has a `.` or `..` segment.
    static func holdsDotSegment(_ member: Substring) -> Bool {
        member.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }

    /// The outermost archive of `path` when a member part of it holds a dot segment (the file of
    /// the checkout that a report may safely name instead); nil for any other path.
    static func archive(enclosingDotSegmentsOf path: String) -> String? {
        let parts = path.split(separator: "!", omittingEmptySubsequences: false)
        guard parts.count > 1, parts.dropFirst().contains(where: holdsDotSegment) else { return nil }
        return String(parts[0])
    }
}
