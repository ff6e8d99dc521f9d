/// Plural resource names as the API server derives them from kinds, for matching
/// ValidatingAdmissionPolicy `resourceRules` (which name resources, not kinds).
enum ResourceNames {
    private static let irregular: [String: String] = [
        "Endpoints": "endpoints", "PodSecurityPolicy": "podsecuritypolicies",
    ]

    static func plural(of kind: String) -> String {
        if let known = irregular[kind] { return known }
        let lower = kind.lowercased()
        if lower.hasSuffix("y"), let beforeY = lower.dropLast().last, !"aeiou".contains(beforeY) {
            return lower.dropLast() + "ies"
        }
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("ch") || lower.hasSuffix("sh") {
            return lower + "es"
        }
        return lower + "s"
    }
}
