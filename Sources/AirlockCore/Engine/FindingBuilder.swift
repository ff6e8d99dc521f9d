import CEL
import YAMLSource

/// Makes findings and evaluation errors for one policy on one subject, pointing each at the most
/// precise position known: the validation's `path` under the failing element or object, else the
/// element, else the object.
struct FindingBuilder {
    let policy: CompiledPolicy
    let resource: Resource?
    let subjectNode: YAMLNode?

    func finding(_ message: String, validation: Validation, element: CELValue?) -> Finding {
        Finding(
            ruleID: policy.descriptor.id, category: policy.descriptor.category,
            severity: validation.severity ?? policy.descriptor.severity, message: message,
            location: location(path: validation.path, element: element),
            helmSource: resource?.provenance.helmSource, resource: resource?.ref)
    }

    func error(_ message: String, element: CELValue? = nil) -> Diagnostic {
        Diagnostic(
            kind: .evaluation, message: "\(policy.descriptor.id): \(message)",
            location: location(path: [], element: element), ruleID: policy.descriptor.id, resource: resource?.ref)
    }

    /// `path` is relative to the element when it is a YAML mapping or list, else to the object;
    /// it is followed as far as it exists.
    private func location(path: [String], element: CELValue?) -> SourceSpan? {
        let elementNode = element?.yamlNode
        guard var node = elementNode ?? subjectNode else {
            return resource.map { $0.provenance.span }
        }
        let relativePath = element == nil || elementNode != nil ? path : []
        for key in relativePath {
            let next: YAMLNode?
            if node.kind == .sequence, let index = Int(key), index >= 0, index < node.count {
                next = node.item(at: index)
            } else {
                next = node[key]
            }
            guard let next else { break }
            node = next
        }
        return SourceSpan(file: node.document.file, line: node.line, column: node.column)
    }
}
