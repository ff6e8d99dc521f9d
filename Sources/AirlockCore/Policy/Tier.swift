/// A deployment tier of the platform: `--tier`, the values' `global.tier`, and what a policy's
/// `match.tiers` may name.
public enum Tier: String, Sendable, CaseIterable {
    case edge, datacenter, connected

    /// The tiers as prose: `edge, datacenter or connected`.
    public static var allNames: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}
