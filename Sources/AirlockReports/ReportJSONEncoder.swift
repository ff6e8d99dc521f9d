/// A JSON value built by `ReportJSONEncoder`. Objects and arrays are classes so that a container
/// handed out by the encoder keeps filling the value it belongs to.
enum JSONValue {
    case null
    case bool(Bool)
    /// An integer's decimal digits.
    case number(String)
    case string(String)
    case array(JSONArray)
    case object(JSONObject)
}

final class JSONArray {
    var elements: [JSONValue] = []
}

final class JSONObject {
    /// In the order encoded; `JSONOutput` writes them sorted by key.
    var members: [(key: String, value: JSONValue)] = []
}

/// Encodes the report models (structs, enums, strings, integers, booleans, optionals, arrays and
/// string-keyed dictionaries) into a `JSONValue`: a small `Encoder` in place of Foundation's
/// `JSONEncoder`, whose generic machinery cost more than writing the findings themselves.
/// Floating-point numbers are refused: no report model has one, and Foundation's formatting of
/// them would have to be matched digit for digit.
final class ReportJSONEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private(set) var value: JSONValue?

    init(codingPath: [any CodingKey] = []) {
        self.codingPath = codingPath
    }

    /// The value `value` encodes to.
    static func encode(_ value: some Encodable, at codingPath: [any CodingKey] = []) throws -> JSONValue {
        let encoder = ReportJSONEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.value ?? .object(JSONObject())
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONObject
        if case .object(let existing) = value {
            object = existing
        } else {
            object = JSONObject()
            value = .object(object)
        }
        return KeyedEncodingContainer(KeyedContainer(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONArray
        if case .array(let existing) = value {
            array = existing
        } else {
            array = JSONArray()
            value = .array(array)
        }
        return UnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(encoder: self) }

    fileprivate func set(_ value: JSONValue) { self.value = value }

    static func unsupported(_ value: Any, at codingPath: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription: "report JSON has no floating-point numbers"))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]

    private func add(_ value: JSONValue, _ key: Key) { object.members.append((key.stringValue, value)) }

    mutating func encodeNil(forKey key: Key) throws { add(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { add(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw ReportJSONEncoder.unsupported(value, at: codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw ReportJSONEncoder.unsupported(value, at: codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { add(.number(String(value)), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        add(try ReportJSONEncoder.encode(value, at: codingPath + [key]), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObject()
        add(.object(nested), key)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArray()
        add(.array(nested), key)
        return UnkeyedContainer(array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    /// An encoder whose value becomes the member `name` once encoded into.
    private func superEncoder(named name: String) -> any Encoder {
        let nested = JSONObject()
        object.members.append((name, .object(nested)))
        let encoder = ReportJSONEncoder(codingPath: codingPath)
        encoder.set(.object(nested))
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let array: JSONArray
    let codingPath: [any CodingKey]
    var count: Int { array.elements.count }

    private func add(_ value: JSONValue) { array.elements.append(value) }

    mutating func encodeNil() throws { add(.null) }
    mutating func encode(_ value: Bool) throws { add(.bool(value)) }
    mutating func encode(_ value: String) throws { add(.string(value)) }
    mutating func encode(_ value: Double) throws { throw ReportJSONEncoder.unsupported(value, at: codingPath) }
    mutating func encode(_ value: Float) throws { throw ReportJSONEncoder.unsupported(value, at: codingPath) }
    mutating func encode(_ value: Int) throws { add(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { add(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { add(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { add(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { add(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { add(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { add(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { add(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { add(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { add(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { add(try ReportJSONEncoder.encode(value, at: codingPath)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObject()
        add(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArray()
        add(.array(nested))
        return UnkeyedContainer(array: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONObject()
        add(.object(nested))
        let encoder = ReportJSONEncoder(codingPath: codingPath)
        encoder.set(.object(nested))
        return encoder
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: ReportJSONEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    func encodeNil() throws { encoder.set(.null) }
    func encode(_ value: Bool) throws { encoder.set(.bool(value)) }
    func encode(_ value: String) throws { encoder.set(.string(value)) }
    func encode(_ value: Double) throws { throw ReportJSONEncoder.unsupported(value, at: codingPath) }
    func encode(_ value: Float) throws { throw ReportJSONEncoder.unsupported(value, at: codingPath) }
    func encode(_ value: Int) throws { encoder.set(.number(String(value))) }
    func encode(_ value: Int8) throws { encoder.set(.number(String(value))) }
    func encode(_ value: Int16) throws { encoder.set(.number(String(value))) }
    func encode(_ value: Int32) throws { encoder.set(.number(String(value))) }
    func encode(_ value: Int64) throws { encoder.set(.number(String(value))) }
    func encode(_ value: UInt) throws { encoder.set(.number(String(value))) }
    func encode(_ value: UInt8) throws { encoder.set(.number(String(value))) }
    func encode(_ value: UInt16) throws { encoder.set(.number(String(value))) }
    func encode(_ value: UInt32) throws { encoder.set(.number(String(value))) }
    func encode(_ value: UInt64) throws { encoder.set(.number(String(value))) }
    func encode<T: Encodable>(_ value: T) throws { encoder.set(try ReportJSONEncoder.encode(value, at: codingPath)) }
}
