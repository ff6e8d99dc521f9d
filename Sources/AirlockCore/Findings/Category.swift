/// The concern a rule belongs to, as listed in DESIGN.md.
public enum Category: String, Sendable, CaseIterable, Codable {
    case classification
    case airgapEgress = "airgap-egress"
    case quota
    case registryLocality = "registry-locality"
    case package
    case bundle
    case general
}
