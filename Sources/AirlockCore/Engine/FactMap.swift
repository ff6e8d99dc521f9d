import CEL

/// A CEL map of facts computed in Swift that knows where it points: the whole map at `position`,
/// and some keys at their own place (a package.yaml field, a signature file). Findings on it land
/// there instead of nowhere.
struct FactMap: CELMapProvider, CELPositioned {
    private var names: [String] = []
    private var values: [String: CELValue] = [:]
    private var keyPositions: [String: SourceSpan] = [:]
    let position: SourceSpan

    init(at position: SourceSpan) {
        self.position = position
    }

    /// Sets `key`, optionally with the place its value was written.
    mutating func set(_ key: String, _ value: CELValue, at span: SourceSpan? = nil) {
        if values[key] == nil { names.append(key) }
        values[key] = value
        if let span { keyPositions[key] = span }
    }

    func position(ofKey key: CELValue) -> SourceSpan? {
        guard case .string(let name) = key else { return nil }
        return keyPositions[name] ?? values[name]?.positioned?.position
    }

    var count: Int { names.count }

    var keys: [CELValue] { names.map(CELValue.string) }

    func value(forKey key: CELValue) -> CELValue? {
        guard case .string(let name) = key else { return nil }
        return values[name]
    }

    var celValue: CELValue { .map(CELMap(provider: self)) }
}

/// A CEL list of facts whose elements point at their own places (positioned maps).
struct FactList: CELListProvider, CELPositioned {
    let elements: [CELValue]
    let position: SourceSpan

    func position(ofKey key: CELValue) -> SourceSpan? {
        guard case .int(let index) = key, index >= 0, index < elements.count else { return nil }
        return elements[Int(index)].positioned?.position
    }

    var count: Int { elements.count }

    func element(at index: Int) -> CELValue { elements[index] }

    var celValue: CELValue { .list(CELList(provider: self)) }
}

extension Optional where Wrapped == String {
    /// The string, or CEL `null`.
    var cel: CELValue { map(CELValue.string) ?? .null }
}

extension Array where Element == String {
    /// A plain CEL list of strings.
    var cel: CELValue { .list(map(CELValue.string)) }
}
