import CEL
import YAMLSource

/// Reads a YAML mapping field by field, reporting unknown fields, missing required ones and
/// wrong types, each at its position. Errors accumulate; reading goes on so all are reported.
struct StrictMapping {
    let node: YAMLNode
    /// Dotted path of the mapping, for messages (`spec.match`).
    let path: String
    private(set) var errors: [Diagnostic] = []
    private var known: Set<String> = []

    /// Wraps `node`, which must be a mapping (an error otherwise, and every read yields nil).
    init(_ node: YAMLNode, path: String) {
        self.node = node
        self.path = path
        if node.kind != .mapping { report(path.isEmpty ? "the document must be a mapping" : "\(path) must be a mapping", at: node) }
    }

    mutating func report(_ message: String, at position: YAMLNode) {
        errors.append(Diagnostic(kind: .policy, message: message, location: SourceSpan(file: position.document.file, line: position.line, column: position.column)))
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw node of a field.
    mutating func field(_ key: String, required: Bool = false) -> YAMLNode? {
        known.insert(key)
        guard node.kind == .mapping else { return nil }
        let value = node[key]
        if value == nil, required { report("\(qualified(key)) is required", at: node) }
        if let value, value.isNull, required { report("\(qualified(key)) must not be empty", at: value) }
        return value?.isNull == true ? nil : value
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        stringNode(key, required: required)?.text
    }

    /// A field that must be a string, as YAML reads it: `5`, `true` or `1.0` unquoted are a number
    /// or a boolean, which Kubernetes refuses for a string field too.
    mutating func stringNode(_ key: String, required: Bool = false) -> YAMLNode? {
        guard let value = field(key, required: required) else { return nil }
        guard value.string != nil else {
            report("\(qualified(key)) must be a string" + (value.kind == .scalar ? " (quote it)" : ""), at: value)
            return nil
        }
        return value
    }

    /// The keys of a field path written as text (`DottedPath`), none when it is absent; a text
    /// that is no path (`spec..replicas`, `spec.template[0`) is an error at it, not a path to
    /// some other field.
    mutating func dottedPath(_ key: String, indices: Bool = true) -> [String] {
        guard let value = stringNode(key), let text = value.text else { return [] }
        switch DottedPath.keys(text, indices: indices) {
        case .success(let keys): return keys
        case .failure(let problem):
            report("\(qualified(key)) \"\(text)\": \(problem.message)", at: value)
            return []
        }
    }

    /// A boolean field: `true` or `false`, not a string that reads like one (`"yes"`).
    mutating func bool(_ key: String) -> Bool? {
        guard let value = field(key) else { return nil }
        guard let flag = value.bool else {
            report("\(qualified(key)) must be true or false", at: value)
            return nil
        }
        return flag
    }

    /// A whole-number field of at least 1 (a line or a column): not a string, a fraction, zero or null.
    mutating func positiveInt(_ key: String) -> Int? {
        known.insert(key)
        guard node.kind == .mapping, let value = node[key] else { return nil }
        guard let number = value.int, number >= 1, number <= Int64(Int32.max) else {
            report("\(qualified(key)) must be a whole number of at least 1", at: value)
            return nil
        }
        return Int(number)
    }

    mutating func strings(_ key: String) -> [String] {
        stringItems(key).map(\.text)
    }

    /// The strings of a list with their nodes, to report a problem at the item at fault. A
    /// `required` list must hold at least one.
    mutating func stringItems(_ key: String, required: Bool = false) -> [(text: String, node: YAMLNode)] {
        guard let value = field(key, required: required) else { return [] }
        guard value.kind == .sequence else {
            report("\(qualified(key)) must be a list of strings", at: value)
            return []
        }
        if required, value.items.isEmpty { report("\(qualified(key)) must not be empty", at: value) }
        var result: [(text: String, node: YAMLNode)] = []
        for item in value.items {
            guard item.kind == .scalar, let text = item.text else {
                report("\(qualified(key)) must be a list of strings", at: item)
                continue
            }
            result.append((text, item))
        }
        return result
    }

    mutating func mapping(_ key: String, required: Bool = false) -> StrictMapping? {
        field(key, required: required).map { StrictMapping($0, path: qualified(key)) }
    }

    mutating func list(_ key: String) -> [YAMLNode] {
        guard let value = field(key) else { return [] }
        guard value.kind == .sequence else {
            report("\(qualified(key)) must be a list", at: value)
            return []
        }
        return value.items
    }

    /// A value from a closed set, reported with the allowed values when it is not one (a number,
    /// `severity: 3`, too: told to quote it, it would still be none).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type, required: Bool = false) -> T? where T.RawValue == String {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        if let written = field(key), written.kind == .scalar, written.string == nil {
            report("\(qualified(key)) is \(written.text ?? ""); expected one of: \(allowed)", at: written)
            return nil
        }
        guard let text = string(key, required: required) else { return nil }
        guard let value = T(rawValue: text) else {
            report("\(qualified(key)) is \"\(text)\"; expected one of: \(allowed)", at: field(key) ?? node)
            return nil
        }
        return value
    }

    /// A list of values from a closed set, each that is not one reported at its item with the
    /// allowed values.
    mutating func choices<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) -> [T] where T.RawValue == String {
        choiceItems(key, as: type).map(\.value)
    }

    /// The values of a list from a closed set with their nodes; a `required` list must hold one.
    mutating func choiceItems<T: RawRepresentable & CaseIterable>(
        _ key: String, as type: T.Type, required: Bool = false
    ) -> [(value: T, node: YAMLNode)] where T.RawValue == String {
        stringItems(key, required: required).compactMap { text, item in
            guard let value = T(rawValue: text) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                report("\(qualified(key)) has \"\(text)\"; expected one of: \(allowed)", at: item)
                return nil
            }
            return (value, item)
        }
    }

    /// Reports every field that no read asked for, then returns all errors.
    mutating func finish(allowing extra: Set<String> = []) -> [Diagnostic] {
        guard node.kind == .mapping else { return errors }
        for (key, _) in node.entries {
            let name = key.text ?? ""
            if !known.contains(name), !extra.contains(name) {
                report("unknown field \(qualified(name)) (known: \(known.sorted().joined(separator: ", ")))" + NameSuggestion.hint(for: name, among: known), at: key)
            }
        }
        return errors
    }

    /// Adds errors found by a nested reader that was already finished.
    mutating func absorbErrors(_ nested: [Diagnostic]) {
        errors.append(contentsOf: nested)
    }

    /// Merges a nested reader's errors into this one.
    mutating func absorb(_ nested: inout StrictMapping) {
        errors.append(contentsOf: nested.finish())
    }
}
