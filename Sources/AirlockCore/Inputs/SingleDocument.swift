import YAMLSource

/// A settings file read as exactly one YAML document (a config file, a `--param-file`): a later
/// document would otherwise be ignored, and a file with none (only comments, say a truncated
/// one) would apply nothing, both without a word.
enum SingleDocument {
    /// The one document of `loaded`, with an error at the second document's start when there are
    /// more, or at the file's start when there is none (`what` names the file in messages).
    static func read(_ loaded: YAMLLoader.Result, file: String, what: String) -> (document: YAMLDocument?, errors: [Diagnostic]) {
        var errors = loaded.errors.map { Diagnostic(kind: .configuration, message: $0.message, location: SourceSpan(file: $0.file, line: $0.line, column: $0.column)) }
        guard let document = loaded.documents.first else {
            if errors.isEmpty {
                errors.append(Diagnostic(kind: .configuration, message: "\(what) holds one document; found none (only comments or nothing)", location: SourceSpan(file: file, line: 1, column: 1)))
            }
            return (nil, errors)
        }
        if loaded.documents.count > 1 {
            let second = loaded.documents[1].root
            errors.append(Diagnostic(
                kind: .configuration, message: "\(what) holds one document; found \(loaded.documents.count) (a later one would be ignored)",
                location: SourceSpan(file: file, line: second.line, column: second.column)))
        }
        return (document, errors)
    }
}
