/// A field path written as text (a validation's `path`, or a `pathExpression` that gives a
/// string): keys joined by dots, a list index as a key of its own (`containers.1.image`) or in
/// brackets after its list (`containers[1].image`), as kubectl's JSONPath and most tools write it,
/// and a key that holds dots quoted in brackets (`labels['app.kubernetes.io/name']`), as a
/// ValidatingAdmissionPolicy's `fieldPath` writes it.
public enum DottedPath {
    /// The keys of `text`, each index as its decimal text. A bracket holding anything but digits
    /// or a quoted key is part of its key.
    static func keys(_ text: String) -> [String] {
        segments(text).flatMap { segment -> [String] in
            guard let open = segment.firstIndex(of: "["), segment.last == "]" else { return [String(segment)] }
            var keys = open == segment.startIndex ? [] : [String(segment[..<open])]
            var rest = segment[open...]
            while !rest.isEmpty {
                guard let key = bracketed(&rest) else { return [String(segment)] }
                keys.append(key)
            }
            return keys
        }
    }

    /// `keys` written as a path that `keys(_:)` reads back: joined by dots, a key that holds a dot
    /// or a bracket quoted in brackets (`metadata.labels['app.kubernetes.io/name']`).
    public static func text(_ keys: [String]) -> String {
        var text = ""
        for key in keys {
            if (key.contains(".") || key.contains("[")) && !key.contains("'") {
                text += "['\(key)']"
            } else {
                text += (text.isEmpty ? "" : ".") + key
            }
        }
        return text
    }

    /// The key of the bracket `rest` starts with, an index (`[1]`) or a quoted key (`['a.b']`),
    /// with `rest` moved past it; nil for any other text.
    private static func bracketed(_ rest: inout Substring) -> String? {
        guard rest.first == "[" else { return nil }
        let inner = rest.dropFirst()
        if inner.first == "'" {
            let key = inner.dropFirst()
            guard let close = key.firstIndex(of: "'"), key[key.index(after: close)...].first == "]" else { return nil }
            rest = key[key.index(close, offsetBy: 2)...]
            return String(key[..<close])
        }
        guard let close = inner.firstIndex(of: "]"), close > inner.startIndex,
              inner[..<close].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        rest = inner[inner.index(after: close)...]
        return String(inner[..<close])
    }

    /// `text` cut at its dots, but those inside a quoted key's brackets; empty pieces left out.
    private static func segments(_ text: String) -> [Substring] {
        var segments: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var previous: Character?
        for index in text.indices {
            let character = text[index]
            if quoted {
                quoted = !(character == "]" && previous == "'")
            } else if character == "'" && previous == "[" {
                quoted = true
            } else if character == "." {
                if start < index { segments.append(text[start..<index]) }
                start = text.index(after: index)
            }
            previous = character
        }
        if start < text.endIndex { segments.append(text[start...]) }
        return segments
    }
}
