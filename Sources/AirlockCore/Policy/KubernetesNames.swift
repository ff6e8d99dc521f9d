import CEL

/// The forms Kubernetes requires of label keys and values and of other qualified names, as
/// airlock's policy reader asks for them (the checks are CEL's ``KubernetesNameRules``).
enum KubernetesNames {
    /// How a label key and a qualified name are written, for messages.
    static let qualifiedNameForm =
        "a name of at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit), optionally after a DNS subdomain and '/'"
    /// How a label value is written, for messages.
    static let labelValueForm = "empty, or at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit)"

    /// The name part of a qualified name (an audit annotation key, a label key after its prefix).
    static func isQualifiedNamePart(_ text: String) -> Bool {
        !text.contains("/") && isQualifiedName(text)
    }

    /// A qualified name, as label keys are written: a name part, optionally after a DNS subdomain
    /// prefix and `/` (`app.kubernetes.io/name`).
    static func isQualifiedName(_ text: String) -> Bool {
        KubernetesNameRules.labelKeyErrors(text).isEmpty
    }

    /// A label value: empty, or written as a qualified name's name part.
    static func isLabelValue(_ text: String) -> Bool {
        KubernetesNameRules.labelValueErrors(text).isEmpty
    }

    /// A DNS-1123 subdomain: at most 253 bytes, dot-separated DNS labels.
    static func isDNSSubdomain(_ text: String) -> Bool {
        KubernetesNameRules.dns1123SubdomainErrors(text).isEmpty
    }
}
