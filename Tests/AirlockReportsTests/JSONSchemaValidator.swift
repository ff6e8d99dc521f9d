import Foundation

/// A JSON value decoded strictly: booleans stay booleans, numbers stay numbers.
indirect enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

/// A small JSON Schema validator covering what the SARIF 2.1.0 schema uses (draft-04 and
/// draft-07 spellings alike): type, properties, required, additionalProperties, items, enum,
/// const, $ref into #/definitions, minimum/maximum, minItems, uniqueItems, minLength, pattern,
/// format (uri, uri-reference, date-time, loosely), oneOf/anyOf/allOf/not. `default`,
/// `description` and `title` are annotations and ignored. Unknown keywords fail loudly so the
/// validator never silently accepts what it does not understand.
struct JSONSchemaValidator {
    private let root: JSONValue

    private static let annotations: Set<String> = [
        "$schema", "$id", "id", "title", "description", "default", "definitions", "examples", "deprecated",
    ]

    init(schema: JSONValue) {
        root = schema
    }

    /// Every violation, as `path: message`; empty when the instance is valid.
    func validate(_ instance: JSONValue) -> [String] {
        var errors: [String] = []
        validate(instance, against: root, path: "$", errors: &errors)
        return errors
    }

    private func validate(_ instance: JSONValue, against schema: JSONValue, path: String, errors: inout [String]) {
        guard case .object(let keywords) = schema else {
            if schema == .bool(false) { errors.append("\(path): no value is allowed here") }
            return
        }
        if case .string(let reference)? = keywords["$ref"] {
            guard let target = resolve(reference) else {
                errors.append("\(path): unresolvable $ref \(reference)")
                return
            }
            // In draft-04/07, siblings of $ref are ignored.
            validate(instance, against: target, path: path, errors: &errors)
            return
        }

        for (keyword, value) in keywords.sorted(by: { $0.key < $1.key }) {
            switch keyword {
            case "type":
                checkType(instance, value, path: path, errors: &errors)
            case "enum":
                if case .array(let allowed) = value, !allowed.contains(instance) {
                    errors.append("\(path): \(describe(instance)) is not one of \(allowed.map(describe))")
                }
            case "const":
                if instance != value { errors.append("\(path): must equal \(describe(value))") }
            case "properties":
                guard case .object(let members) = instance, case .object(let properties) = value else { continue }
                for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                    if let propertySchema = properties[name] {
                        validate(member, against: propertySchema, path: "\(path).\(name)", errors: &errors)
                    }
                }
            case "additionalProperties":
                guard case .object(let members) = instance else { continue }
                let declared: Set<String>
                if case .object(let properties)? = keywords["properties"] { declared = Set(properties.keys) } else { declared = [] }
                for (name, member) in members.sorted(by: { $0.key < $1.key }) where !declared.contains(name) {
                    if value == .bool(false) {
                        errors.append("\(path): property \"\(name)\" is not allowed")
                    } else {
                        validate(member, against: value, path: "\(path).\(name)", errors: &errors)
                    }
                }
            case "required":
                guard case .object(let members) = instance, case .array(let names) = value else { continue }
                for case .string(let name) in names where members[name] == nil {
                    errors.append("\(path): missing required property \"\(name)\"")
                }
            case "items":
                guard case .array(let elements) = instance else { continue }
                for (index, element) in elements.enumerated() {
                    validate(element, against: value, path: "\(path)[\(index)]", errors: &errors)
                }
            case "minItems":
                if case .array(let elements) = instance, case .number(let minimum) = value, Double(elements.count) < minimum {
                    errors.append("\(path): needs at least \(Int(minimum)) items, has \(elements.count)")
                }
            case "uniqueItems":
                guard value == .bool(true), case .array(let elements) = instance else { continue }
                for index in elements.indices where elements[..<index].contains(elements[index]) {
                    errors.append("\(path)[\(index)]: duplicate item in an array whose items must be unique")
                }
            case "minimum":
                if case .number(let number) = instance, case .number(let minimum) = value, number < minimum {
                    errors.append("\(path): \(number) is less than the minimum \(minimum)")
                }
            case "maximum":
                if case .number(let number) = instance, case .number(let maximum) = value, number > maximum {
                    errors.append("\(path): \(number) is greater than the maximum \(maximum)")
                }
            case "minLength":
                if case .string(let text) = instance, case .number(let minimum) = value,
                   Double(text.unicodeScalars.count) < minimum {
                    errors.append("\(path): shorter than \(Int(minimum)) characters")
                }
            case "pattern":
                guard case .string(let text) = instance, case .string(let pattern) = value else { continue }
                if text.range(of: pattern, options: .regularExpression) == nil {
                    errors.append("\(path): \(describe(instance)) does not match /\(pattern)/")
                }
            case "format":
                guard case .string(let text) = instance, case .string(let format) = value else { continue }
                if let problem = checkFormat(text, format) { errors.append("\(path): \(problem)") }
            case "allOf", "anyOf", "oneOf":
                guard case .array(let schemas) = value else { continue }
                let results = schemas.map { subschema -> [String] in
                    var branchErrors: [String] = []
                    validate(instance, against: subschema, path: path, errors: &branchErrors)
                    return branchErrors
                }
                let passing = results.filter(\.isEmpty).count
                switch keyword {
                case "allOf": errors += results.flatMap { $0 }
                case "anyOf" where passing == 0:
                    errors.append("\(path): matches none of anyOf: \(results.map { $0.first ?? "" })")
                case "oneOf" where passing != 1:
                    errors.append("\(path): matches \(passing) of oneOf, exactly 1 required")
                default: break
                }
            case "not":
                var branchErrors: [String] = []
                validate(instance, against: value, path: path, errors: &branchErrors)
                if branchErrors.isEmpty { errors.append("\(path): must not match the `not` schema") }
            default:
                if !Self.annotations.contains(keyword) {
                    errors.append("\(path): the validator does not support the keyword \"\(keyword)\"")
                }
            }
        }
    }

    private func checkType(_ instance: JSONValue, _ type: JSONValue, path: String, errors: inout [String]) {
        let names: [String]
        switch type {
        case .string(let name): names = [name]
        case .array(let list): names = list.compactMap { if case .string(let name) = $0 { return name } else { return nil } }
        default: return
        }
        let matches = names.contains { name in
            switch (name, instance) {
            case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
                 ("array", .array), ("object", .object):
                return true
            case ("integer", .number(let number)):
                return number.rounded() == number
            default:
                return false
            }
        }
        if !matches { errors.append("\(path): \(describe(instance)) is not of type \(names.joined(separator: " or "))") }
    }

    private func checkFormat(_ text: String, _ format: String) -> String? {
        switch format {
        case "uri":
            let scheme = text.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:[^ ]*$", options: .regularExpression)
            return scheme == nil ? "\(text.debugDescription) is not an absolute URI" : nil
        case "uri-reference":
            return text.contains(" ") || text.unicodeScalars.contains { $0.value < 0x20 }
                ? "\(text.debugDescription) is not a URI reference" : nil
        case "date-time":
            let pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
            return text.range(of: pattern, options: .regularExpression) == nil ? "\(text.debugDescription) is not a date-time" : nil
        default:
            return nil
        }
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node = root
        for token in reference.dropFirst().split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return String(flag)
        case .number(let number): return String(number)
        case .string(let text): return text.debugDescription
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
