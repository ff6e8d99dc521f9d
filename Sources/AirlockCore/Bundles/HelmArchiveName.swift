/// The name Helm's chart loader gives an entry of a chart archive (helm v3
/// pkg/chart/loader/archive.go, `LoadArchiveFiles`): the name is split on `\` when it holds one
/// (else on `/`), the first part dropped, the rest joined with `/` and `path.Clean`ed. What Helm
/// then calls `Chart.yaml`, `values.yaml` or `templates/...` is what it installs, whatever the
/// entry's path in the archive says.
enum HelmArchiveName: Equatable {
    /// `top` is the first part Helm drops, `name` the cleaned rest.
    case name(top: String, name: String)
    /// Helm refuses to load the chart because of this entry.
    case refused(String)

    static func of(_ raw: String) -> HelmArchiveName {
        let delimiter: Character = raw.contains("\\") ? "\\" : "/"
        let parts = raw.split(separator: delimiter, omittingEmptySubsequences: false)
        let top = String(parts.first ?? "")
        let joined = parts.dropFirst().joined(separator: "/")
        if joined.hasPrefix("/") { return .refused("Helm refuses a chart holding an absolute path") }
        let cleaned = clean(joined)
        if cleaned == "." { return .refused("Helm refuses a chart holding content outside its folder") }
        if cleaned.hasPrefix("..") { return .refused("Helm refuses a chart referencing its parent folder") }
        if isDrivePath(cleaned) { return .refused("Helm refuses a chart holding a drive path") }
        if top == "Chart.yaml" { return .refused("Helm refuses a chart whose Chart.yaml is not in its folder") }
        return .name(top: top, name: cleaned)
    }

    /// Go's `path.Clean` for a relative path: no empty or `.` parts, `..` resolved lexically
    /// (kept when it climbs above the start), `.` for nothing.
    static func clean(_ path: String) -> String {
        var stack: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == "..", let last = stack.last, last != ".." {
                stack.removeLast()
            } else {
                stack.append(part)
            }
        }
        return stack.isEmpty ? "." : stack.joined(separator: "/")
    }

    /// Helm's `^[a-zA-Z]:/`.
    private static func isDrivePath(_ path: String) -> Bool {
        let characters = Array(path.prefix(3))
        return characters.count == 3 && characters[0].isASCII && characters[0].isLetter && characters[1] == ":" && characters[2] == "/"
    }
}
