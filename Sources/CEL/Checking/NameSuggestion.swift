/// The names a misspelt one may have meant (`Deploymnet` for `Deployment`, `deploymnets` for
/// `deployments`), for "did you mean" hints: those fewest edits away, case aside, where an edit
/// inserts, deletes or replaces a character or swaps two adjacent ones. A name of fewer than 4
/// characters gets only a different case, one of fewer than 8 at most one edit, a longer one two,
/// so that a short custom kind (`Foo`) is not taken for a misspelt `Pod`.
public enum NameSuggestion {
    /// `; did you mean X?` (`X or Y`) naming the candidates for `name`, or empty when there are none.
    public static func hint(for name: String, among known: Set<String>) -> String {
        let meant = candidates(for: name, among: known)
        return meant.isEmpty ? "" : "; did you mean \(meant.joined(separator: " or "))?"
    }

    public static func candidates(for name: String, among known: Set<String>) -> [String] {
        let written = Array(name.lowercased())
        let allowed = written.count < 4 ? 0 : written.count < 8 ? 1 : 2
        var found: [(distance: Int, name: String)] = []
        for candidate in known where candidate != name {
            let distance = editDistance(written, Array(candidate.lowercased()), limit: allowed + 1)
            if distance <= allowed { found.append((distance, candidate)) }
        }
        guard let nearest = found.map(\.distance).min() else { return [] }
        return found.filter { $0.distance == nearest }.map(\.name).sorted()
    }

    /// The optimal string alignment distance of `a` and `b`, or `limit` when it is at least that.
    private static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        guard abs(a.count - b.count) < limit else { return limit }
        guard !a.isEmpty else { return b.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) { // b may be empty
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous) = (previous, current)
        }
        return min(previous[b.count], limit)
    }
}
