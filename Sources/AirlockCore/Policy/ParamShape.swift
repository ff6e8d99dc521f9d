import CEL

/// What kind of value a param holds, to tell an override of another kind than its default's
/// (a string for a list, or a number among strings: the rule would then misjudge every object).
enum ParamShape: Equatable {
    case list, map, boolean, number, string, other

    /// The kind of `value`; nil for null (a default of null accepts any value).
    init?(_ value: CELValue) {
        switch value {
        case .null: return nil
        case .list: self = .list
        case .map: self = .map
        case .bool: self = .boolean
        case .int, .uint, .double: self = .number
        case .string: self = .string
        default: self = .other
        }
    }

    /// The kind in words, with its article (`a list`).
    var singular: String {
        switch self {
        case .list: "a list"
        case .map: "a map"
        case .boolean: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .other: "a value of another kind"
        }
    }

    /// The kind in the plural (`lists`), for the elements of a list or the values of a map.
    var plural: String {
        switch self {
        case .list: "lists"
        case .map: "maps"
        case .boolean: "booleans"
        case .number: "numbers"
        case .string: "strings"
        case .other: "values of another kind"
        }
    }

    /// How `override` differs in kind from `defaultValue`, in words (`must be a list of strings, as
    /// its default is; found 53, a number, at index 0`); nil when it fits. A list's elements, or a
    /// map's values, are checked when the default's (one or more) are all of one kind.
    static func mismatch(of override: CELValue, against defaultValue: CELValue) -> String? {
        if let infinite = firstNonFiniteNumber(in: override) { return "holds \(infinite), which is no number a rule can compare" }
        guard let expected = ParamShape(defaultValue) else { return nil }
        guard ParamShape(override) == expected else {
            return "must be \(expected.singular), as its default is; found \(ParamShape(override)?.singular ?? "null")"
        }
        switch (defaultValue, override) {
        case (.list(let defaults), .list(let values)):
            guard let kind = common(defaults.elements) else { return nil }
            for (index, element) in values.elements.enumerated() where ParamShape(element) != kind {
                return "must be a list of \(kind.plural), as its default is; found \(element), \(ParamShape(element)?.singular ?? "null"), at index \(index)"
            }
        case (.map(let defaults), .map(let values)):
            guard let kind = common(defaults.keys.compactMap { defaults.value(forKey: $0) }) else { return nil }
            for key in values.keys {
                guard let element = values.value(forKey: key), ParamShape(element) != kind else { continue }
                return "must be a map of \(kind.plural), as its default is; found \(element), \(ParamShape(element)?.singular ?? "null"), at key \(key)"
            }
        default: break
        }
        return nil
    }

    /// YAML's `.nan` or `.inf` anywhere in `value`: every comparison with NaN is false, so a
    /// limit of `.nan` turns its check off.
    private static func firstNonFiniteNumber(in value: CELValue) -> String? {
        switch value {
        case .double(let number) where !number.isFinite: return number.isNaN ? ".nan" : number < 0 ? "-.inf" : ".inf"
        case .list(let list): return list.elements.lazy.compactMap(firstNonFiniteNumber).first
        case .map(let map): return map.keys.lazy.compactMap { map.value(forKey: $0).flatMap(firstNonFiniteNumber) }.first
        default: return nil
        }
    }

    /// The kind all of `values` share; nil when there are none, or they differ, or one is null.
    private static func common(_ values: [CELValue]) -> ParamShape? {
        guard let first = values.first.flatMap(ParamShape.init) else { return nil }
        return values.allSatisfy { ParamShape($0) == first } ? first : nil
    }
}
