/// The forms Kubernetes requires of label keys and values and of other qualified names
/// (apimachinery's validation), byte by byte.
enum KubernetesNames {
    /// How a label key and a qualified name are written, for messages.
    static let qualifiedNameForm =
        "a name of at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit), optionally after a DNS subdomain and '/'"
    /// How a label value is written, for messages.
    static let labelValueForm = "empty, or at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit)"

    /// The name part of a qualified name (an audit annotation key, a label key after its prefix).
    static func isQualifiedNamePart(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// A qualified name, as label keys are written: a name part, optionally after a DNS subdomain
    /// prefix and `/` (`app.kubernetes.io/name`).
    static func isQualifiedName(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isQualifiedNamePart(text)
        case 2: return isDNSSubdomain(parts[0]) && isQualifiedNamePart(String(parts[1]))
        default: return false
        }
    }

    /// A label value: empty, or written as a qualified name's name part.
    static func isLabelValue(_ text: String) -> Bool {
        text.isEmpty || isQualifiedNamePart(text)
    }

    /// A DNS-1123 subdomain: at most 253 characters, dot-separated DNS labels.
    static func isDNSSubdomain(_ text: Substring) -> Bool {
        text.utf8.count <= 253 && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { FactFunctions.isDNSLabel(String($0)) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
