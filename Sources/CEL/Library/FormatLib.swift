/// A named format of Kubernetes' format library (`kubernetes.NamedFormat`): `format.dns1123Label()`,
/// `format.named('uuid')`, ... Two formats are equal when they have the same name.
public struct CELNamedFormat: CELOpaqueValue, Hashable {
    /// The name `format.named()` takes (`dns1123Label`).
    public let name: String

    public var celTypeName: String { "kubernetes.NamedFormat" }
    public func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? CELNamedFormat) == self }
    public func compare(to other: any CELOpaqueValue) -> Int? { nil }

    /// Every format's name, in the order Kubernetes documents them.
    public static let names = [
        "dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName", "dns1123LabelPrefix", "dns1123SubdomainPrefix",
        "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte", "date", "datetime",
    ]

    /// Why `text` is not of this format, in Kubernetes' words; empty when it is.
    func errors(in text: String) -> [String] {
        switch name {
        case "dns1123Label": KubernetesNameRules.dns1123LabelErrors(text)
        case "dns1123Subdomain": KubernetesNameRules.dns1123SubdomainErrors(text)
        case "dns1035Label": KubernetesNameRules.dns1035LabelErrors(text)
        case "qualifiedName": KubernetesNameRules.labelKeyErrors(text)
        case "dns1123LabelPrefix": KubernetesNameRules.dns1123LabelErrors(Self.maskingTrailingDash(text))
        case "dns1123SubdomainPrefix": KubernetesNameRules.dns1123SubdomainErrors(Self.maskingTrailingDash(text))
        case "dns1035LabelPrefix": KubernetesNameRules.dns1035LabelErrors(Self.maskingTrailingDash(text))
        case "labelValue": KubernetesNameRules.labelValueErrors(text)
        case "uri": Self.requestURIError(text).map { [$0] } ?? []
        case "uuid": OpenAPIStringFormats.isUUID(text) ? [] : ["does not match the UUID format"]
        case "byte": OpenAPIStringFormats.isBase64(text) ? [] : ["invalid base64"]
        case "date": OpenAPIStringFormats.isDate(text.utf8[...]) ? [] : ["invalid date"]
        case "datetime": OpenAPIStringFormats.isDateTime(text) ? [] : ["invalid datetime"]
        default: []
        }
    }

    /// A name to which Kubernetes will append a generated suffix (`generateName`): a trailing `-`
    /// is allowed. apimachinery's `maskTrailingDash` replaces the last *two* bytes with `a` when
    /// the name ends with `-` (so `ab-` is checked as `aa`, and `a.-` as `aa`); airlock does the same.
    private static func maskingTrailingDash(_ text: String) -> String {
        let bytes = text.utf8
        guard bytes.count > 1, bytes.last == UInt8(ascii: "-") else { return text }
        return String(decoding: bytes.dropLast(2), as: UTF8.self) + "a"
    }

    /// Go's `url.ParseRequestURI` error for `text` (`parse "x": invalid URI for request`), nil when
    /// it accepts the text.
    private static func requestURIError(_ text: String) -> String? {
        var copy = text
        let result = copy.withUTF8 { bytes in Result { () throws(GoURL.ParseError) in try GoURL.parseRequestURI(bytes[...]) } }
        guard case .failure(let failure) = result else { return nil }
        return "parse " + GoURL.goQuoted(text.utf8) + ": " + failure.reason
    }
}

/// Kubernetes' format library: `format.named(name)` (an optional format), `format.NAME()` for each
/// format, and `FORMAT.validate(text)`, which is `optional.none()` for a valid text and otherwise
/// the list of Kubernetes' messages saying why it is not.
enum FormatLib {
    static func register(_ t: inout FunctionTable) {
        t.addGlobal("format.named", 1) { a in
            guard case .string(let name) = a[0] else { return noSuchOverload("format.named", a) }
            return .optional(CELNamedFormat.names.contains(name) ? .opaque(CELNamedFormat(name: name)) : nil)
        }
        for name in CELNamedFormat.names {
            t.addGlobal("format." + name, 0) { _ in .opaque(CELNamedFormat(name: name)) }
        }
        t.addReceiver("validate", 2, sizeCost: true) { a in
            guard case .opaque(let value) = a[0], let format = value as? CELNamedFormat, case .string(let text) = a[1] else {
                return noSuchOverload("validate", a)
            }
            let errors = format.errors(in: text)
            return .optional(errors.isEmpty ? nil : .list(CELList(errors.map(CELValue.string))))
        }
    }
}
