/// A Kubernetes label selector: `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist).
public struct LabelSelector: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
    }

    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var `operator`: Operator
        public var values: [String]
    }

    public var matchLabels: [String: String] = [:]
    public var matchExpressions: [Requirement] = []

    public init(matchLabels: [String: String] = [:], matchExpressions: [Requirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// The selector as kubectl writes one (`team=a, level in (secret), app, !legacy`), labels
    /// sorted by key, then the expressions in order.
    public var description: String {
        let labels = matchLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let expressions = matchExpressions.map { requirement in
            switch requirement.operator {
            case .in: "\(requirement.key) in (\(requirement.values.joined(separator: ", ")))"
            case .notIn: "\(requirement.key) notin (\(requirement.values.joined(separator: ", ")))"
            case .exists: requirement.key
            case .doesNotExist: "!" + requirement.key
            }
        }
        return (labels + expressions).joined(separator: ", ")
    }

    /// Whether the labels that `label` looks up by key satisfy the selector.
    public func matches(_ label: (String) -> String?) -> Bool {
        for (key, value) in matchLabels where label(key) != value { return false }
        for requirement in matchExpressions {
            let value = label(requirement.key)
            switch requirement.operator {
            case .in: if value.map(requirement.values.contains) != true { return false }
            case .notIn: if let value, requirement.values.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            }
        }
        return true
    }
}
