import YAMLSource

/// What an imported policy's annotations say of its rules, which Kubernetes and Kyverno have no
/// field for: `airlock.dev/severity`, `airlock.dev/category`, `airlock.dev/description` and
/// `airlock.dev/remediation`, and for a Kyverno policy Kyverno's own `policies.kyverno.io/title`,
/// `description` and `severity` where airlock's are not given.
struct PolicyAnnotations {
    var title: String?
    var description: String?
    var remediation = ""
    var severity = Severity.medium
    var category = Category.general

    /// Reads the annotations of the policy at `root`, reporting a severity or category airlock does
    /// not have into `spec`.
    init(_ root: YAMLNode, readingKyverno: Bool, into spec: inout StrictMapping) {
        let annotations = root.value(at: ["metadata", "annotations"])
        let kyverno = { (key: String) in readingKyverno ? annotations?["policies.kyverno.io/\(key)"]?.text : nil }
        title = kyverno("title")
        description = annotations?["airlock.dev/description"]?.text ?? kyverno("description")
        remediation = annotations?["airlock.dev/remediation"]?.text ?? ""
        let severityKey = annotations?["airlock.dev/severity"] != nil || !readingKyverno ? "airlock.dev/severity" : "policies.kyverno.io/severity"
        if let node = annotations?[severityKey], let text = node.text {
            if let value = Severity(rawValue: text) { severity = value } else { spec.report("\(severityKey) \"\(text)\" is not a severity; expected one of: \(Severity.allCases.map(\.rawValue).joined(separator: ", "))", at: node) }
        }
        if let node = annotations?["airlock.dev/category"], let text = node.text {
            if let value = Category(rawValue: text) { category = value } else { spec.report("airlock.dev/category \"\(text)\" is not a category", at: node) }
        }
    }

    /// The descriptor of a rule `id`, with `title` and `description` where the annotations give none.
    func descriptor(id: String, title defaultTitle: String, description defaultDescription: String) -> RuleDescriptor {
        RuleDescriptor(
            id: id, title: title ?? defaultTitle, description: description ?? defaultDescription, remediation: remediation,
            category: category, severity: severity, controls: [])
    }
}
