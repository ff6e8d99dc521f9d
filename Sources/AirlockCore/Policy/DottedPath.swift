/// A field path written as text (a validation's `path`, or a `pathExpression` that gives a
/// string): keys joined by dots, a list index as a key of its own (`containers.1.image`) or in
/// brackets after its list (`containers[1].image`), as kubectl's JSONPath and most tools write it.
enum DottedPath {
    /// The keys of `text`, each index as its decimal text. A bracket holding anything but digits
    /// is part of its key.
    static func keys(_ text: String) -> [String] {
        text.split(separator: ".").flatMap { segment -> [String] in
            guard let open = segment.firstIndex(of: "["), segment.last == "]" else { return [String(segment)] }
            let indices = segment[open...].dropFirst().dropLast().split(separator: "][", omittingEmptySubsequences: false)
            guard indices.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return [String(segment)] }
            let name = segment[..<open]
            return (name.isEmpty ? [] : [String(name)]) + indices.map(String.init)
        }
    }
}
