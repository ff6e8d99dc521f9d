/// The forms Kubernetes requires of names, label keys and label values (apimachinery's
/// `IsDNS1123Label`, `IsDNS1123Subdomain`, `IsDNS1035Label`, `IsLabelKey` and `IsLabelValue`),
/// checked byte by byte. Each check returns the messages apimachinery gives for a value, none for
/// a valid one: the format library's `validate()` returns them as they are, and airlock's own
/// checks of policy ids, label selectors and audit annotation keys ask only whether there are any.
///
/// Lengths are in bytes, as Go counts them. The messages are apimachinery's (commit eed236c,
/// July 2026): the DNS checks say "characters", the label checks "bytes", as there.
public enum KubernetesNameRules {
    static let dns1123LabelForm = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainForm = dns1123LabelForm + "(\\." + dns1123LabelForm + ")*"
    static let dns1035LabelForm = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let labelKeyNameForm = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"

    /// An RFC 1123 label: at most 63 lower-case letters, digits and `-`, starting and ending with a
    /// letter or digit (a namespace's name).
    public static func dns1123LabelErrors(_ value: String) -> [String] {
        let bytes = value.utf8
        var errors: [String] = []
        if bytes.count > 63 { errors.append(maxLengthError(63, unit: "characters")) }
        if !isDNS1123Label(bytes[...]) {
            errors.append(isDNS1123Subdomain(bytes) ? "must not contain dots" : regexError(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                form: dns1123LabelForm, examples: ["my-name", "123-abc"]))
        }
        return errors
    }

    /// An RFC 1123 subdomain: at most 253 bytes of such labels (of any length) joined by dots.
    public static func dns1123SubdomainErrors(_ value: String) -> [String] {
        dns1123SubdomainErrors(value, unit: "characters")
    }

    /// An RFC 1035 label: an RFC 1123 label that starts with a letter.
    public static func dns1035LabelErrors(_ value: String) -> [String] {
        let bytes = value.utf8
        var errors: [String] = []
        if bytes.count > 63 { errors.append(maxLengthError(63, unit: "characters")) }
        if !(bytes.first.map(isLowercaseLetter) ?? false) || !isDNS1123Label(bytes[...]) {
            errors.append(regexError(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                form: dns1035LabelForm, examples: ["my-name", "abc-123"]))
        }
        return errors
    }

    /// A label key, which Kubernetes also calls a qualified name: a name of at most 63 bytes
    /// (letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit), optionally
    /// after an RFC 1123 subdomain and `/` (`app.kubernetes.io/name`).
    public static func labelKeyErrors(_ value: String) -> [String] {
        let parts = value.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var errors: [String] = []
        switch parts.count {
        case 1: break
        case 2:
            let prefix = String(decoding: parts[0], as: UTF8.self)
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123SubdomainErrors(prefix, unit: "bytes").map { "prefix part " + $0 }
            }
        default:
            return ["a valid label key " + regexError(labelKeyNameMessage, form: labelKeyNameForm, examples: labelKeyExamples)
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        let name = parts[parts.count - 1]
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.count > 63 {
            errors.append("name part " + maxLengthError(63, unit: "bytes"))
        }
        if !isLabelKeyName(name) {
            errors.append("name part " + regexError(labelKeyNameMessage, form: labelKeyNameForm, examples: labelKeyExamples))
        }
        return errors
    }

    /// A label value: empty, or at most 63 bytes written as a label key's name.
    public static func labelValueErrors(_ value: String) -> [String] {
        let bytes = value.utf8
        var errors: [String] = []
        if bytes.count > 63 { errors.append(maxLengthError(63, unit: "bytes")) }
        if !bytes.isEmpty && !isLabelKeyName(bytes[...]) {
            errors.append(regexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                form: "(" + labelKeyNameForm + ")?", examples: ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    private static let labelKeyNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    private static let labelKeyExamples = ["MyName", "my.name", "123-abc"]

    private static func dns1123SubdomainErrors(_ value: String, unit: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLengthError(253, unit: unit)) }
        if !isDNS1123Subdomain(value.utf8) {
            errors.append(regexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                form: dns1123SubdomainForm, examples: ["example.com"]))
        }
        return errors
    }

    private static func isDNS1123Label(_ bytes: Substring.UTF8View) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isDNS1123Subdomain(_ bytes: String.UTF8View) -> Bool {
        bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy(isDNS1123Label)
    }

    private static func isLabelKeyName(_ bytes: Substring.UTF8View) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func maxLengthError(_ length: Int, unit: String) -> String { "must be no more than \(length) \(unit)" }

    /// apimachinery's `RegexError`: the message, its examples and the pattern, worded as there
    /// (two spaces before each "or").
    private static func regexError(_ message: String, form: String, examples: [String]) -> String {
        message + " (e.g. " + examples.map { "'\($0)', " }.joined(separator: " or ") + "regex used for validation is '" + form + "')"
    }
}
