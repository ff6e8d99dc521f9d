import YAMLSource

/// A settings file read as exactly one YAML document (a config file, a `--param-file`): a later
/// document would otherwise be ignored without a word.
enum SingleDocument {
    /// The one document of `loaded` (nil when none), with an error at the second document's start
    /// when there are more (`what` names the file in messages).
    static func read(_ loaded: YAMLLoader.Result, file: String, what: String) -> (document: YAMLDocument?, errors: [Diagnostic]) {
        var errors = loaded.errors.map { Diagnostic(kind: .configuration, message: $0.message, location: SourceSpan(file: $0.file, line: $0.line, column: $0.column)) }
        guard let document = loaded.documents.first else { return (nil, errors) }
        if loaded.documents.count > 1 {
            let second = loaded.documents[1].root
            errors.append(Diagnostic(
                kind: .configuration, message: "\(what) holds one document; found \(loaded.documents.count) (a later one would be ignored)",
                location: SourceSpan(file: file, line: second.line, column: second.column)))
        }
        return (document, errors)
    }
}
