/// A field path written as text (a validation's `path`, or a `pathExpression` that gives a
/// string): keys joined by dots, a list index as a key of its own (`containers.1.image`) or in
/// brackets after its list (`containers[1].image`), as kubectl's JSONPath and most tools write it,
/// and a key that holds dots quoted in brackets (`labels['app.kubernetes.io/name']`), as a
/// ValidatingAdmissionPolicy's `fieldPath` writes it. A leading dot is allowed, as in `fieldPath`.
public enum DottedPath {
    /// Why a text is no path: a typo that would otherwise point findings at some other field.
    struct Problem: Error, Equatable {
        let message: String
    }

    /// The keys of `text`, each index as its decimal text, or what is wrong with it. Without
    /// `indices`, a bracketed index is a problem (a `fieldPath` has none).
    static func keys(_ text: String, indices: Bool = true) -> Result<[String], Problem> {
        var rest = Substring(text)
        if rest.first == "." { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return .failure(Problem(message: "an empty path")) }
        var keys: [String] = []
        while true {
            let keysBefore = keys.count
            let end = rest.firstIndex { $0 == "." || $0 == "[" || $0 == "]" } ?? rest.endIndex
            if end > rest.startIndex { keys.append(String(rest[..<end])) }
            rest = rest[end...]
            while rest.first == "[" {
                switch bracketed(&rest, indices: indices) {
                case .success(let key): keys.append(key)
                case .failure(let problem): return .failure(problem)
                }
            }
            if rest.first == "]" { return .failure(Problem(message: "a ] without its [")) }
            if keys.count == keysBefore { return .failure(Problem(message: "an empty key between two dots")) }
            guard let next = rest.first else { return .success(keys) }
            guard next == "." else { return .failure(Problem(message: "a key follows a bracket without a dot")) }
            rest = rest.dropFirst()
            if rest.isEmpty { return .failure(Problem(message: "an empty key after the last dot")) }
        }
    }

    /// `keys` written as a path that `keys(_:)` reads back: joined by dots, a key that holds a dot,
    /// a bracket or nothing quoted in brackets (`metadata.labels['app.kubernetes.io/name']`).
    public static func text(_ keys: [String]) -> String {
        var text = ""
        for key in keys {
            if (key.isEmpty || key.contains { $0 == "." || $0 == "[" || $0 == "]" }) && !key.contains("'") {
                text += "['\(key)']"
            } else {
                text += (text.isEmpty ? "" : ".") + key
            }
        }
        return text
    }

    /// The key of the bracket `rest` starts with, an index (`[1]`) or a quoted key (`['a.b']`),
    /// with `rest` moved past it.
    private static func bracketed(_ rest: inout Substring, indices: Bool) -> Result<String, Problem> {
        let inner = rest.dropFirst()
        if inner.first == "'" {
            let key = inner.dropFirst()
            guard let close = key.firstIndex(of: "'") else { return .failure(Problem(message: "a quoted key without its closing quote")) }
            guard key[key.index(after: close)...].first == "]" else { return .failure(Problem(message: "an unclosed bracket")) }
            rest = key[key.index(close, offsetBy: 2)...]
            return .success(String(key[..<close]))
        }
        guard let close = inner.firstIndex(of: "]") else { return .failure(Problem(message: "an unclosed bracket")) }
        let index = inner[..<close]
        guard !index.isEmpty, index.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(Problem(message: indices ? "a bracket holds an index or a quoted key: [0] or ['key']" : "a bracket holds a quoted key: ['key']"))
        }
        guard indices else { return .failure(Problem(message: "a numeric index is not supported")) }
        rest = inner[inner.index(after: close)...]
        return .success(String(index))
    }
}
