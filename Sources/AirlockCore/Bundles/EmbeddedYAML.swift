import YAMLSource

/// Loads one small YAML or JSON file found in a package or bundle (a manifest, Chart.yaml,
/// manifest.json), keeping positions, turning every problem into a diagnostic for that file.
enum EmbeddedYAML {
    enum Outcome {
        case loaded(YAMLNode)
        case failed(Diagnostic)
    }

    static func load(_ bytes: [UInt8], file: String) -> Outcome {
        let result = YAMLLoader().load(bytes, file: file)
        if let error = result.errors.first {
            return .failed(Diagnostic(kind: .input, message: error.message, location: SourceSpan(file: error.file, line: error.line, column: error.column)))
        }
        if result.documents.count > 1 {
            return .failed(Diagnostic(kind: .input, message: "expected one YAML document, found \(result.documents.count)", location: SourceSpan(file: file, line: 1, column: 1)))
        }
        guard let root = result.documents.first?.root else {
            return .failed(Diagnostic(kind: .input, message: "empty file", location: SourceSpan(file: file, line: 1, column: 1)))
        }
        return .loaded(root)
    }

    /// A manifest (`manifest.yaml`, `package.yaml`) named `name`: its document as loaded (kept
    /// even when it is not a mapping, so findings can point at it), the mapping whose fields are
    /// read, and the diagnostic when it is unreadable or not a mapping.
    static func loadManifest(_ bytes: [UInt8], file: String, name: String) -> (document: YAMLNode?, mapping: YAMLNode?, diagnostic: Diagnostic?) {
        switch load(bytes, file: file) {
        case .failed(let diagnostic):
            return (nil, nil, diagnostic)
        case .loaded(let root) where root.kind != .mapping:
            return (root, nil, Diagnostic(kind: .input, message: "\(name) is not a mapping", location: SourceSpan(file: file, line: root.line, column: root.column)))
        case .loaded(let root):
            return (root, root, nil)
        }
    }

    /// Text of a scalar whatever its resolved type (`version: 1.2` is text "1.2").
    static func text(_ node: YAMLNode?) -> String? {
        guard let node, node.kind == .scalar, !node.isNull else { return nil }
        return node.text
    }

    /// What `node` is when a text value was expected ("a mapping", "a list", "null"); `nil` when
    /// it is a scalar with a value.
    static func shape(ofNonText node: YAMLNode) -> String? {
        switch node.kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return node.isNull ? "null" : nil
        }
    }

    /// Scalar texts of a sequence's items; other items are skipped.
    static func texts(_ node: YAMLNode?) -> [String] {
        node?.items.compactMap { text($0) } ?? []
    }
}
