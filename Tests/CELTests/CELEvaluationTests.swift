import CEL
import Foundation
import XCTest

/// A map provider that counts how it is used, to prove lookups are lazy.
final class CountingMapProvider: CELMapProvider, @unchecked Sendable {
    let storage: [String: CELValue]
    private let lock = NSLock()
    private var _lookups = 0
    private var _keyEnumerations = 0

    init(_ storage: [String: CELValue]) { self.storage = storage }

    var lookups: Int { lock.withLock { _lookups } }
    var keyEnumerations: Int { lock.withLock { _keyEnumerations } }

    var count: Int { storage.count }
    func value(forKey key: CELValue) -> CELValue? {
        lock.withLock { _lookups += 1 }
        guard case .string(let s) = key else { return nil }
        return storage[s]
    }
    var keys: [CELValue] {
        lock.withLock { _keyEnumerations += 1 }
        return storage.keys.sorted().map { .string($0) }
    }
}

struct RangeListProvider: CELListProvider {
    let count: Int
    func element(at index: Int) -> CELValue { .int(Int64(index)) }
}

/// A host of two collections named by id, as a parsed document would hold them: map 0 is
/// `{"items": <list 1>, 1u: "one"}` and list 1 is `[10, 20, 30]`. Counts the values it makes.
final class TwoCollectionHost: CELCollectionHost, @unchecked Sendable {
    private let lock = NSLock()
    private var _valuesMade = 0

    var valuesMade: Int { lock.withLock { _valuesMade } }

    override func count(of id: UInt32) -> Int { id == 0 ? 2 : 3 }
    override func element(of id: UInt32, at index: Int) -> CELValue { .int(Int64(10 * (index + 1))) }
    override func value(of id: UInt32, forKey key: CELValue) -> CELValue? {
        guard containsKey(of: id, key) else { return nil }
        lock.withLock { _valuesMade += 1 }
        if case .string = key { return .list(CELList(host: self, id: 1)) }
        return .string("one")
    }
    override func containsKey(of id: UInt32, _ key: CELValue) -> Bool {
        switch key {
        case .string("items"), .uint(1): return id == 0
        default: return false
        }
    }
    override func keys(of id: UInt32) -> [CELValue] { [.string("items"), .uint(1)] }
}

/// A host opaque type: a tiny semantic version.
struct SemVer: CELOpaqueValue {
    let parts: [Int]
    var celTypeName: String { "semver" }
    func isEqual(to other: any CELOpaqueValue) -> Bool { (other as? SemVer)?.parts == parts }
    func compare(to other: any CELOpaqueValue) -> Int? {
        guard let o = other as? SemVer else { return nil }
        return parts.lexicographicallyPrecedes(o.parts) ? -1 : (parts == o.parts ? 0 : 1)
    }
}

final class CELEvaluationTests: XCTestCase {
    func eval(_ expr: String, _ bindings: [String: CELValue] = [:], costLimit: Int? = nil,
              file: StaticString = #filePath, line: UInt = #line) -> CELValue {
        var env = CELEnvironment(declaredVariables: Set(bindings.keys))
        env.register(CELFunction(name: "hostver", kind: .global, arity: 1) { a in
            guard case .string(let s) = a[0] else { return .err("hostver: want string") }
            return .opaque(SemVer(parts: s.split(separator: ".").compactMap { Int($0) }))
        })
        do {
            return try env.compile(expr).evaluate(bindings, costLimit: costLimit)
        } catch {
            XCTFail("compile error: \(error.rendered)", file: file, line: line)
            return .null
        }
    }

    /// Values are copied on every step of evaluation: scalars inline, collections by reference.
    func testValuesStayAtThreeWords() {
        XCTAssertLessThanOrEqual(MemoryLayout<CELValue>.stride, 24)
    }

    func testErrorAbsorptionIsCommutative() {
        XCTAssertEqual(eval("1/0 == 1 || true").boolValue, true)
        XCTAssertEqual(eval("true || 1/0 == 1").boolValue, true)
        XCTAssertEqual(eval("1/0 == 1 && false").boolValue, false)
        XCTAssertEqual(eval("false && 1/0 == 1").boolValue, false)
        XCTAssertEqual(eval("1/0 == 1 && true").errorMessage, "division by zero")
        XCTAssertEqual(eval("[1, 0].exists(x, 1 / x == 1)").boolValue, true)
        XCTAssertEqual(eval("[0, 1].all(x, 1 / x == 2)").boolValue, false)
        XCTAssertEqual(eval("[0, 2].all(x, 1 / x == 0)").errorMessage, "division by zero")
    }

    func testOverflowAndDivisionErrors() {
        XCTAssertEqual(eval("9223372036854775807 + 1").errorMessage, "integer overflow")
        XCTAssertEqual(eval("-9223372036854775808 - 1").errorMessage, "integer overflow")
        XCTAssertEqual(eval("-(-9223372036854775808)").errorMessage, "integer overflow")
        XCTAssertEqual(eval("-9223372036854775808 / -1").errorMessage, "integer overflow")
        XCTAssertEqual(eval("0u - 1u").errorMessage, "unsigned integer overflow")
        XCTAssertEqual(eval("18446744073709551615u * 2u").errorMessage, "unsigned integer overflow")
        XCTAssertEqual(eval("5 % 0").errorMessage, "modulus by zero")
        XCTAssertEqual(eval("1 + 1u").errorMessage, "no such overload: _+_(int, uint)")
        XCTAssertEqual(eval("1 == 1u").boolValue, true)
        XCTAssertEqual(eval("1 < 1.5").boolValue, true)
    }

    func testErrorCarriesOffset() {
        guard case .error(let e) = eval("1 + 2 / 0") else { return XCTFail("expected error") }
        XCTAssertEqual(e.offset, 6)
    }

    /// An error about a value of the wrong type carries where the value was read (its map or
    /// list and key), through a field, an index, a shared subexpression or a conditional, so
    /// that a host can point at it; a value not read from a collection has no place.
    func testTypeErrorsCarryThePlaceOfTheValue() {
        let metadata = CELValue.map(["labels": .string("map[a:b]"), "name": .string("n")])
        let object = CELValue.map(["metadata": metadata, "items": .list([.int(1), .string("x")])])
        // The container is told by its size (metadata has 2 keys, items 2 elements) and the key.
        let cases: [(String, String)] = [
            ("'a' in object.metadata.labels", "labels"),
            ("object.metadata.labels.all(k, k != '')", "labels"),
            ("has(object.metadata.labels.a) || object.metadata.labels.a == 'b'", "labels"),
            ("object.items[1] + 1 == 2", "1"),
            ("'a' in (has(object.metadata) ? object.metadata.labels : {})", "labels"),
        ]
        for (expression, key) in cases {
            guard case .error(let error) = eval(expression, ["object": object]) else {
                XCTFail("an error: \(expression)")
                continue
            }
            XCTAssertTrue(error.message.hasPrefix("no such overload"), expression)
            switch (error.map, error.key) {
            case (.map(let map)?, .string(let name)?): XCTAssertEqual([String(map.count), name], ["2", key], expression)
            case (.list(let list)?, .int(let index)?): XCTAssertEqual([String(list.count), String(index)], ["2", key], expression)
            default: XCTFail("no place: \(expression)")
            }
        }
        guard case .error(let unplaced) = eval("'a' in 'text'") else { return XCTFail("an error") }
        XCTAssertNil(unplaced.map)
    }

    func testCostLimit() {
        let expr = "[1,2,3,4,5,6,7,8,9,10].all(x, [1,2,3,4,5,6,7,8,9,10].all(y, x * y > 0))"
        XCTAssertEqual(eval(expr).boolValue, true)
        XCTAssertEqual(eval(expr, costLimit: 50).errorMessage, "cost limit exceeded")
        if case .error(let e) = eval(expr, costLimit: 50) { XCTAssertEqual(e.kind, .costLimitExceeded) }
        // An exceeded budget is not absorbed by || or &&.
        XCTAssertEqual(eval("true && " + expr, costLimit: 50).errorMessage, "cost limit exceeded")
        XCTAssertEqual(eval(expr + " || true", costLimit: 50).errorMessage, "cost limit exceeded")
        // Large strings cost more.
        let big = CELValue.string(String(repeating: "a", count: 100_000))
        XCTAssertEqual(eval("s.contains('b')", ["s": big], costLimit: 1000).errorMessage, "cost limit exceeded")
        XCTAssertEqual(eval("s.contains('b')", ["s": big], costLimit: 100_000).boolValue, false)
    }

    /// The cost limit charges a call by its arguments; functions whose result can be far larger
    /// (an empty pattern replaced by a long text, a list nesting itself) stop at a size instead of
    /// asking for gigabytes. A huge `%.Nf` precision is refused (it crashed the formatter).
    func testFunctionsThatAmplifyTheirInputStopAtAResultSize() {
        let text = CELValue.string(String(repeating: "a", count: 300_000))
        let long = CELValue.string(String(repeating: "b", count: 100))
        XCTAssertEqual(eval("s.replace('', t)", ["s": text, "t": long], costLimit: 10_000_000).errorMessage,
                       "replace: the result would be larger than 16 MiB")
        XCTAssertEqual(eval("s.replace('', t, 3).size()", ["s": text, "t": long]).intValue, 300_300)
        XCTAssertEqual(eval("lists.range(2000).map(i, s).join('')", ["s": CELValue.string(String(repeating: "c", count: 10_000))], costLimit: 10_000_000).errorMessage,
                       "join: the result would be larger than 16 MiB")
        var nested = "[1]"
        for _ in 0..<30 { nested = "cel.bind(a, \(nested), [a, a])" }
        XCTAssertEqual(eval("cel.bind(x, \(nested), x.flatten(40).size())", costLimit: 10_000_000).errorMessage,
                       "flatten: the result would have more than 1048576 elements")
        XCTAssertEqual(eval("cel.bind(x, \(nested), '%s'.format([x]).size())", costLimit: 10_000_000).errorMessage,
                       "error during formatting: the result would be larger than 16 MiB")
        XCTAssertEqual(eval("'%.2147483647f'.format([1.0])").errorMessage, "could not parse formatting clause: precision is larger than 1000000")
        XCTAssertEqual(eval("'%.3f'.format([1.0])").stringValue, "1.000")
    }

    /// Values built from shared parts nest one pair exponentially often; each pair of
    /// collections is compared once (40 levels took minutes), and NaN is still unequal to itself.
    func testEqualityOfSharedStructureIsLinear() {
        var nested = "[1]"
        for _ in 0..<40 { nested = "cel.bind(a, \(nested), [a, a])" }
        XCTAssertEqual(eval("cel.bind(x, \(nested), x == [x[0], x[1]] && [x, x] == [x, [x[0], x[1]]])").boolValue, true)
        XCTAssertEqual(eval("cel.bind(x, \(nested), cel.bind(n, [double('nan')], [x, n] == [x, n]))").boolValue, false)
        XCTAssertEqual(eval("cel.bind(m, {'k': [1, [2]]}, [m, m] == [m, {'k': [1, [2]]}] && [m] != [{'k': [1, [3]]}])").boolValue, true)
    }

    func testEvaluateWithCostReportsSpending() throws {
        let p = try CELEnvironment().compile("[1, 2, 3].map(x, x * 2)")
        let (v, cost) = p.evaluateWithCost(CELDictionaryActivation([:]))
        XCTAssertEqual(CELFormatterHelper.render(v), "[2, 4, 6]")
        XCTAssertGreaterThan(cost, 3)
    }

    func testRegexMatchLimitStopsCatastrophicBacktracking() {
        let subject = CELValue.string(String(repeating: "a", count: 5000) + "b")
        let start = Date()
        let r = eval("s.matches('(a+)+$')", ["s": subject])
        XCTAssertEqual(r.errorMessage, "regex match limit exceeded")
        if case .error(let e) = r { XCTAssertEqual(e.kind, .regexMatchLimitExceeded) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(eval("'abc'.matches('^a.c$')").boolValue, true)
        XCTAssertEqual(eval("'mañana'.matches('^ma.ana$')").boolValue, true)
        // RE2 semantics: \d is ASCII-only and $ does not match before a trailing newline.
        XCTAssertEqual(eval("'٣'.matches('^\\\\d$')").boolValue, false)
        XCTAssertEqual(eval("'abc\\n'.matches('abc$')").boolValue, false)
        XCTAssertEqual(eval("'ÉCOLE'.matches('(?i)^école$')").boolValue, true)
        XCTAssertTrue(eval("'x'.matches(p)", ["p": .string("(")]).errorMessage?.hasPrefix("invalid regex '('") ?? false)
        XCTAssertEqual(eval("'aab'.matches(p)", ["p": .string("^a+b$")]).boolValue, true)
    }

    /// Patterns read at evaluation time are compiled once and kept by their bytes: a pattern
    /// canonically equivalent to a kept one (the Kelvin sign and `K`) is another pattern.
    func testKeptPatternsAreTheirOwnBytes() {
        XCTAssertEqual(eval("s.matches(p)", ["s": .string("\u{212A}"), "p": .string("^K$")]).boolValue, false)
        XCTAssertEqual(eval("s.matches(p)", ["s": .string("\u{212A}"), "p": .string("^\u{212A}$")]).boolValue, true)
        XCTAssertEqual(eval("s.matches(p)", ["s": .string("K"), "p": .string("^\u{212A}$")]).boolValue, false)
    }

    /// A string is looked for in a list by its code points, in a list of any element types
    /// (other types are never equal to it), the same whether the list is made by the expression
    /// (read in place) or read from the bindings.
    func testStringInListComparesCodePoints() {
        let cases: [(String, Bool)] = [
            (#"'\u212A' in ['K']"#, false), (#"'K' in ['\u212A']"#, false), (#"'\u212A' in ['a', '\u212A']"#, true),
            (#"'e\u0301' in ['\u00e9']"#, false), ("'a' in [1, 2.0, null, ['a'], {'a': 1}, b'a', 'a']", true),
            ("'a' in [1, ['a'], {'a': 1}]", false), ("'' in ['']", true), ("'' in []", false), ("'ab' in ['a', 'abc']", false),
            ("'x' in ['y'].map(v, v + 'x').map(v, v.substring(1))", true),
        ]
        for (expression, expected) in cases {
            XCTAssertEqual(eval(expression).boolValue, expected, expression)
        }
        let list = CELValue.list(CELList(provider: StringList(elements: ["a", "\u{212A}"])))
        XCTAssertEqual(eval(#"'\u212A' in l"#, ["l": list]).boolValue, true)
        XCTAssertEqual(eval("'K' in l", ["l": list]).boolValue, false)
    }

    /// A list read element by element, as a host's list is.
    private struct StringList: CELListProvider {
        let elements: [String]
        var count: Int { elements.count }
        func element(at index: Int) -> CELValue { .string(elements[index]) }
    }

    /// Patterns are RE2's (Go's regexp/syntax, as Kubernetes compiles them): what only PCRE2
    /// reads is an error naming it, and RE2's own syntax is kept.
    func testRegexIsRE2Syntax() {
        let refused = [
            "a(?=b)": "lookahead", "a(?!b)": "lookahead", "(?<=a)b": "lookbehind", "(?<!a)b": "lookbehind",
            "(a)\\1": "backreferences", "(?>a)": "atomic groups", "a++": "possessive", "a*+": "possessive",
            "a{2}{3}": "repetition of a repetition", "a{1001}": "over 1000", "\\Ka": "the escape \\K",
            "\\C": "the escape \\C", "(?ix)a": "the flag x", "(?x)a": "the group (?x", "(*UTF)a": "PCRE verbs", "(?|a)": "the group (?|",
            "(?#c)a": "the group (?#", "(?P=n)": "(?P=name)", "\\é": "the escape \\é",
            "(a{10}){101}": "nested repetitions", "((a{2}){10}){51}": "nested repetitions", "(?:x|a{500}){3}": "nested repetitions",
            "(a{2}b{501}){2}": "nested repetitions", "(\\d{2,}){501}": "nested repetitions",
        ]
        for (pattern, reason) in refused {
            let message = eval("'a'.matches(p)", ["p": .string(pattern)]).errorMessage ?? "no error"
            XCTAssertTrue(message.hasPrefix("invalid regex '\(pattern)': ") && message.contains(reason), "\(pattern): \(message)")
        }
        let kept = [
            "(?i)a", "(?i:a)", "(?P<n>a)", "(?<n>a)", "(?:a)+?", "a{2}?", "a{2,}", "a{,2}", "[[:alpha:]]+", "[\\d\\]]",
            "\\pL\\p{Greek}\\PL", "\\Qa++\\E", "\\x41\\x{263a}\\012\\0", "a\\.b\\-\\ ", "^\\A\\z$", "(?s-m:.)", "(?U)a*",
            "(a{10}){100}", "((a{600}){0}){2}", "(a*){1000}", "(a{2}b{500}){2}", "(a{0,}){1000}", "(a{1}){1000}", "[{]{2}(x){500}",
        ]
        for pattern in kept {
            XCTAssertNil(eval("'a'.matches(p)", ["p": .string(pattern)]).errorMessage, pattern)
        }
    }

    /// RE2's `\\s` is `[\\t\\n\\f\\r ]` and its `\\v` the vertical tab alone; PCRE2 reads both
    /// more widely, so they are written out for it, in a class too.
    func testRegexSpaceEscapesMeanWhatRE2Reads() {
        let cases: [(subject: String, pattern: String, matches: Bool)] = [
            ("\u{0B}", "\\s", false), ("\u{0B}", "\\S", true), ("\u{0B}", "[\\s]", false), ("\u{0B}", "[^\\s]", true),
            ("\u{0B}", "[\\S]", true), ("\u{0B}", "[a\\S]", true), (" ", "[\\S]", false), ("\u{10FFFF}", "^[\\S]$", true),
            ("\t\n\u{0C}\r ", "^\\s+$", true), ("é", "^\\S$", true), ("\u{A0}", "\\s", false),
            ("\n", "\\v", false), ("\u{85}", "\\v", false), ("\u{0B}", "^\\v$", true), ("\u{0B}", "^[\\v]$", true),
            ("a\\s", "a\\\\s", true), ("\\s", "\\Q\\s\\E", true),
            // After a class escape or a whole range, `-` is itself.
            ("a", "^[\\s-z]$", false), ("M", "^[\\s-z]$", false), ("-", "^[\\s-z]$", true), ("z", "^[\\S-]$", true),
            ("-", "^[\\s-\\d]$", true), ("5", "^[\\w-\\s]$", true), ("-", "^[a-z-0]$", true), ("-", "^[\\p{Greek}-z]$", true),
            ("-", "^[[:digit:]-z]$", true), ("b", "^[a-c]$", true), ("b", "^[\\x{61}-\\x{63}]$", true),
        ]
        for (subject, pattern, expected) in cases {
            let result = eval("s.matches(p)", ["s": .string(subject), "p": .string(pattern)])
            XCTAssertEqual(result.boolValue, expected, "\(subject.debugDescription) ~ \(pattern): \(result)")
        }
        for pattern in ["[a-\\s]", "[\\x00-\\S]", "[a-[:digit:]]", "[a-\\pL]"] {
            let message = eval("'a'.matches(p)", ["p": .string(pattern)]).errorMessage ?? "no error"
            XCTAssertTrue(message.hasPrefix("invalid regex '\(pattern)': a character class range cannot end at "), message)
        }
    }

    func testRegexFindAndFindAll() {
        XCTAssertEqual(CELFormatterHelper.render(eval("'abc 123 def 456'.find('[0-9]+')")), "\"123\"")
        XCTAssertEqual(CELFormatterHelper.render(eval("'abc'.find('[0-9]+')")), "\"\"")
        XCTAssertEqual(CELFormatterHelper.render(eval("'a1b22c333'.findAll('[0-9]+')")), "[\"1\", \"22\", \"333\"]")
        XCTAssertEqual(CELFormatterHelper.render(eval("'a1b22c333'.findAll('[0-9]+', 2)")), "[\"1\", \"22\"]")
        // Go's FindAllString: an empty match abutting the previous match is left out.
        XCTAssertEqual(CELFormatterHelper.render(eval("'aaa'.findAll('a*')")), "[\"aaa\"]")
        XCTAssertEqual(CELFormatterHelper.render(eval("'baaab'.findAll('a*')")), "[\"\", \"aaa\", \"\"]")
        XCTAssertEqual(CELFormatterHelper.render(eval("'abc'.findAll('')")), "[\"\", \"\", \"\", \"\"]")
        XCTAssertEqual(CELFormatterHelper.render(eval("'xaay'.findAll('a*', 2)")), "[\"\", \"aa\"]")
    }

    func testReplaceEdgeCases() {
        XCTAssertEqual(eval("'ab'.replace('', 'x')").stringValue, "xaxbx")
        XCTAssertEqual(eval("'ab'.replace('', 'x', 2)").stringValue, "xaxb")
        XCTAssertEqual(eval("'aaa'.replace('aa', 'b')").stringValue, "ba")
        XCTAssertEqual(eval("'aXbXc'.replace('X', '', -1)").stringValue, "abc")
        XCTAssertEqual(eval("'aXbXc'.replace('X', '-', 0)").stringValue, "aXbXc")
        XCTAssertEqual(eval("'aXbXc'.replace('X', '-', 9)").stringValue, "a-b-c")
        XCTAssertEqual(eval("'é©é'.replace('', '.')").stringValue, ".é.©.é.")
        XCTAssertEqual(eval("'é©é'.replace('©', 'c')").stringValue, "écé")
        XCTAssertEqual(eval("''.replace('', 'x')").stringValue, "x")
    }

    /// Every match of a long subject, with multi-byte code points between them.
    func testFindAllOnALongSubject() {
        let subject = String(repeating: "aé", count: 20_000)
        let value = eval("s.findAll('a|é').size() == 40000 && s.findAll('é', 3) == ['é', 'é', 'é'] && s.find('é+') == 'é'", ["s": .string(subject)])
        XCTAssertEqual(value.boolValue, true)
    }

    func testLazyMapProviderIsNotCopied() {
        let provider = CountingMapProvider(["name": .string("web"), "replicas": .int(3), "big": .list([])])
        let bindings: [String: CELValue] = ["object": .map(CELMap(provider: provider))]
        XCTAssertEqual(eval("object.replicas > 2 && object.name == 'web' && has(object.big) && !has(object.nope)", bindings).boolValue, true)
        XCTAssertEqual(provider.lookups, 4)
        XCTAssertEqual(provider.keyEnumerations, 0)
        XCTAssertEqual(eval("'name' in object && object['replicas'] == 3", bindings).boolValue, true)
        XCTAssertEqual(provider.keyEnumerations, 0)
        XCTAssertEqual(eval("object.exists(k, k == 'name')", bindings).boolValue, true)
        XCTAssertEqual(provider.keyEnumerations, 1)
        XCTAssertEqual(eval("object.missing", bindings).errorMessage, "no such key: missing")
        if case .error(let e) = eval("object.missing", bindings) {
            XCTAssertEqual(e.kind, .noSuchKey)
            XCTAssertEqual(e.offset, 6)
        }
    }

    func testCollectionHostIsReadByIdAndPresenceMakesNoValue() {
        let host = TwoCollectionHost()
        let bindings: [String: CELValue] = ["m": .map(CELMap(host: host, id: 0))]
        // Presence asks the host without making a value; numeric keys are retried as the other
        // integer kind (the host knows only 1u).
        XCTAssertEqual(eval("has(m.items) && 'items' in m && !has(m.nope) && 1 in m && 1.0 in m && !(2 in m)", bindings).boolValue, true)
        XCTAssertEqual(host.valuesMade, 0)
        XCTAssertEqual(eval("m[1] == 'one' && m.items[2] == 30 && size(m.items) == 3 && m.items.all(x, x >= 10)", bindings).boolValue, true)
        XCTAssertGreaterThan(host.valuesMade, 0)
        XCTAssertEqual(CELFormatterHelper.render(eval("m.map(k, string(k))", bindings)), "[\"items\", \"1\"]")
        XCTAssertEqual(eval("m.items[3]", bindings).errorMessage, "index out of range: 3")
    }

    func testMaterializedValueReadsItsHostOnceAndNeverAgain() {
        let host = TwoCollectionHost()
        let value = CELValue.map(CELMap(host: host, id: 0)).materialized
        let made = host.valuesMade
        XCTAssertEqual(eval("m.items == [10, 20, 30] && m[1] == 'one' && size(m) == 2 && m.map(k, k).size() == 2", ["m": value]).boolValue, true)
        XCTAssertEqual(host.valuesMade, made)
        guard case .map(let map) = value, case .list(let items)? = map.value(forKey: .string("items")) else {
            return XCTFail("not a map of a list: \(CELFormatterHelper.render(value))")
        }
        XCTAssertFalse(map.host === host)
        XCTAssertFalse(items.host === host)
    }

    /// A constant is used without asking the activation, its fields are looked up when compiling
    /// (a read costs nothing), and a missing field is still an error of the evaluation.
    func testConstantsAreUsedWithoutTheActivation() throws {
        var env = CELEnvironment(declaredVariables: ["p", "x"])
        env.constants["p"] = .map(["name": .string("edge"), "limits": .list([.int(1), .int(2)])])
        let activation = CELDictionaryActivation(["x": .int(2)])
        let folded = try env.compile("p.name == 'edge' && has(p.limits) && !has(p.other) && x in p.limits")
        XCTAssertEqual(folded.evaluateWithCost(activation).value.boolValue, true)
        XCTAssertEqual(try env.compile("p.name").evaluateWithCost(activation).cost, 0)
        XCTAssertEqual(try env.compile("p.other").evaluate(activation).errorMessage, "no such key: other")
        XCTAssertEqual(CELFormatterHelper.render(try env.compile("p.limits.map(v, v * x)").evaluate(activation)), "[2, 4]")
        XCTAssertEqual(try env.compile("[p].exists(p, p == 1)").evaluate(activation).boolValue, false, "a comprehension variable hides the constant")
    }

    func testLazyListProvider() {
        let bindings: [String: CELValue] = ["xs": .list(CELList(provider: RangeListProvider(count: 1000)))]
        XCTAssertEqual(eval("size(xs) == 1000 && xs[999] == 999 && 500 in xs && xs.exists(x, x == 10)", bindings).boolValue, true)
        XCTAssertEqual(eval("xs[1000]", bindings).errorMessage, "index out of range: 1000")
    }

    func testOpaqueHostType() {
        XCTAssertEqual(eval("hostver('1.2.3') < hostver('1.10.0')").boolValue, true)
        XCTAssertEqual(eval("hostver('1.2.3').isLessThan(hostver('1.10.0'))").boolValue, true)
        XCTAssertEqual(eval("hostver('1.2.3') == hostver('1.2.3')").boolValue, true)
        XCTAssertEqual(CELFormatterHelper.render(eval("type(hostver('1.0.0'))")), "semver")
    }

    func testTimestampsAndTimezones() {
        XCTAssertEqual(eval("timestamp('2024-02-29T23:30:00Z').getDate('Europe/Berlin')").intValue, 1)
        XCTAssertEqual(eval("timestamp('2024-02-29T23:30:00Z').getMonth('+01:00')").intValue, 2)
        XCTAssertEqual(eval("timestamp('2024-01-01T00:00:00Z') + duration('1h30m') == timestamp('2024-01-01T01:30:00Z')").boolValue, true)
        XCTAssertEqual(CELFormatterHelper.render(eval("string(duration('1.5s'))")), "\"1.5s\"")
        XCTAssertNotNil(eval("timestamp('2024-01-01T00:00:00Z').getHours('Mars/Olympus')").errorMessage)
    }

    /// `duration(string)` reads as Go's `time.ParseDuration` (cel-go): a fraction adds its
    /// nanoseconds truncated, the total is a Go `time.Duration` (Int64 nanoseconds), and numbers
    /// whose sum overflows are an error (`1s9223372036854775807s` trapped the process).
    func testDurationStringsParseAsGoParsesThem() {
        let durations = [
            "1.0000000009s": "1s", "0.3333333333h": "1199.99999988s", ".5us": "0.0000005s", "1µs": "0.000001s",
            "+0": "0s", "-0": "0s", "1h2m3.5s": "3723.5s", "9223372036854775807ns": "9223372036.854775807s",
            "-9223372036854775808ns": "-9223372036.854775808s", "2562047h": "9223369200s",
        ]
        for (text, seconds) in durations {
            XCTAssertEqual(eval("string(duration('\(text)'))").stringValue, seconds, text)
        }
        for text in ["1s9223372036854775807s", "9223372036854775807s", "9223372036854775808ns", "2562048h", "1hm", "1.5", ".s", "-", "", "1d"] {
            XCTAssertEqual(eval("duration('\(text)')").errorMessage, "invalid duration '\(text)' or out of range", text)
        }
    }

    /// A duration is a Go `time.Duration` as in cel-go: arithmetic beyond Int64 nanoseconds is an
    /// error (cel-go common/types/overflow.go), where cel-spec allows ±10,000 years.
    func testDurationArithmeticStaysWithinInt64Nanoseconds() {
        for expression in [
            "duration('2562047h') + duration('2562047h')", "duration('9223372036s') + duration('1s')",
            "-duration('-9223372036854775808ns')", "duration('-9223372036s') - duration('1s')",
            "timestamp('2300-01-01T00:00:00Z') - timestamp('1970-01-01T00:00:00Z')",
        ] {
            XCTAssertEqual(eval(expression).errorMessage, "duration out of range", expression)
        }
        XCTAssertEqual(eval("int(duration('-9223372036854775808ns'))").intValue, Int64.min)
        XCTAssertEqual(eval("int(duration('9223372036s') + duration('854775807ns'))").intValue, Int64.max)
        XCTAssertEqual(eval("timestamp('2262-04-11T23:47:16.854775807Z') - timestamp('1970-01-01T00:00:00Z') == duration('9223372036854775807ns')").boolValue, true)
    }

    /// A date that does not exist is an error, not the next day, and the letters are upper-case,
    /// as Go's RFC 3339 parser (cel-go) reads them.
    func testTimestampsThatDoNotExistAreErrors() {
        for text in ["2023-02-29T00:00:00Z", "2023-04-31T00:00:00Z", "2100-02-29T00:00:00Z", "2023-01-01T00:00:60Z",
                     "2023-01-01t00:00:00Z", "2023-01-01T00:00:00z"] {
            XCTAssertNotNil(eval("timestamp('\(text)')").errorMessage, text)
        }
        XCTAssertEqual(eval("timestamp('2024-02-29T00:00:00Z') == timestamp('2000-02-29T00:00:00Z') + duration('210384h')").boolValue, true)
        XCTAssertNil(eval("timestamp('2023-04-30T23:59:59.5+02:00')").errorMessage)
        // More than nine fractional digits: Go keeps nine (this trapped the process).
        XCTAssertEqual(eval("timestamp('2026-01-01T00:00:00.1234567891Z') == timestamp('2026-01-01T00:00:00.123456789Z')").boolValue, true)
    }

    /// `string(double)` is Go's `%g` and `double(string)` Go's `ParseFloat`, as in cel-go.
    func testDoublesConvertToAndFromStringsAsInCELGo() {
        XCTAssertEqual(eval("string(1e6)").stringValue, "1e+06")
        XCTAssertEqual(eval("string(123456789.0)").stringValue, "1.23456789e+08")
        XCTAssertEqual(eval("string(100000.0)").stringValue, "100000")
        XCTAssertEqual(eval("string(0.0001)").stringValue, "0.0001")
        XCTAssertEqual(eval("string(0.00001)").stringValue, "1e-05")
        XCTAssertEqual(eval("string(double('inf'))").stringValue, "+Inf")
        XCTAssertEqual(eval("string(-double('Infinity'))").stringValue, "-Inf")
        XCTAssertEqual(eval("math.isNaN(double('NAN')) && double('+Inf') > 0.0 && double('-inf') < 0.0").boolValue, true)
        XCTAssertNotNil(eval("double('+nan')").errorMessage)
        XCTAssertNotNil(eval("double('1e400')").errorMessage)
        XCTAssertNotNil(eval("double('-1e400')").errorMessage)
        XCTAssertNotNil(eval("double('0x10')").errorMessage)
        XCTAssertEqual(eval("double('0x1p-2') == 0.25").boolValue, true)
    }

    /// Conversions to uint refuse what cel-go refuses: a negative double, even one that truncates
    /// to 0, and a signed text.
    func testUintConversionsRefuseNegativesAndSigns() {
        XCTAssertEqual(eval("uint(-0.0) == 0u && uint(1.9) == 1u").boolValue, true)
        XCTAssertEqual(eval("uint(-0.5)").errorMessage, "range error converting -0.5 to uint")
        XCTAssertEqual(eval("uint('+1')").errorMessage, "type conversion error: cannot convert '+1' to uint")
        XCTAssertEqual(eval("int('+1')").intValue, 1)
    }

    func testKubernetesStringAndListFunctions() {
        XCTAssertEqual(eval("'a,b,c'.split(',').join('-') == 'a-b-c'").boolValue, true)
        XCTAssertEqual(eval("'  x '.trim() == 'x' && 'AbC'.lowerAscii() == 'abc'").boolValue, true)
        // Unicode white space at either end only; text with none comes back as it is.
        for (text, trimmed) in [("x y", "x y"), ("\\u00a0\\tx y\\u2003", "x y"), (" \\n ", ""), ("", ""), ("\\u3000é ", "é"), ("\\u200bx", "\\u200bx"), ("x\\u2003", "x"), ("\\u00a0x", "x"), ("éx", "éx")] {
            XCTAssertEqual(eval("'\(text)'.trim() == '\(trimmed)'").boolValue, true, text)
        }
        XCTAssertEqual(eval("[1, 2, 3].isSorted() && [3, 1].sum() == 4 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3").boolValue, true)
        XCTAssertEqual(eval("[1, 2, 1].lastIndexOf(1) == 2 && [1, 2].indexOf(3) == -1").boolValue, true)
        XCTAssertEqual(eval("'hello %s, you are %d'.format(['bob', 42]) == 'hello bob, you are 42'").boolValue, true)
        XCTAssertNotNil(eval("[].min()").errorMessage)
        XCTAssertEqual(eval("[{'n': 3}, {'n': 1}, {'n': 2}].sortBy(e, e.n).map(e, e.n) == [1, 2, 3]").boolValue, true)
        XCTAssertEqual(eval("[3, 1].first().value() == 3 && [].last().hasValue() == false").boolValue, true)
        XCTAssertEqual(eval("sets.contains([1, 2, 3], [2, 3]) && sets.equivalent([1, 1, 2], [2, 1]) && !sets.intersects([1], [2])").boolValue, true)
        XCTAssertEqual(eval("[1, [2, [3]]].flatten() == [1, 2, [3]] && [1, 2, 2].distinct() == [1, 2] && [1, 2, 3].slice(1, 2) == [2]").boolValue, true)
    }

    /// `indexOf` and `lastIndexOf` with a start as cel-go (ext/strings.go) reads it: only a negative
    /// one is an error; one at or past the end finds nothing but the empty string, which is found
    /// there, held to the end (cel-spec's conformance tests still expect an error; cel-go skips them).
    func testStringIndexOfWithAStartAsCELGo() {
        let cases: [(String, Int64)] = [
            ("'abc'.indexOf('b', 5)", -1), ("'abc'.indexOf('c', 3)", -1), ("'abc'.indexOf('', 5)", 3),
            ("'abc'.indexOf('', 2)", 2), ("'abc'.indexOf('c', 2)", 2), ("'aé'.indexOf('é', 1)", 1),
            ("'abc'.lastIndexOf('c', 3)", -1), ("'abc'.lastIndexOf('c', 30)", -1), ("'abc'.lastIndexOf('c', 2)", 2),
            ("'abc'.lastIndexOf('', 5)", 3), ("'abc'.lastIndexOf('', 1)", 1), ("'abcabc'.lastIndexOf('bc', 3)", 1),
            ("'abc'.lastIndexOf('c')", 2), ("'abc'.lastIndexOf('')", 3), ("''.lastIndexOf('a')", -1),
        ]
        for (expression, index) in cases {
            XCTAssertEqual(eval(expression).intValue, index, expression)
        }
        XCTAssertEqual(eval("'abc'.indexOf('a', -1)").errorMessage, "index out of range: -1")
        XCTAssertEqual(eval("'abc'.lastIndexOf('', -1)").errorMessage, "index out of range: -1")
    }

    /// `sort()` takes elements of one ordered type, as cel-go: numbers of different types compare,
    /// but do not sort together.
    func testSortNeedsOneTypeOfElements() {
        XCTAssertEqual(eval("[2, 1, 3].sort() == [1, 2, 3] && ['b', 'a'].sort() == ['a', 'b'] && [].sort() == []").boolValue, true)
        for list in ["[1, 2.5, 0u]", "[2.5, 1]", "[[1], [0]]", "['a', 1]"] {
            XCTAssertEqual(eval("\(list).sort()").errorMessage, "list elements must have the same type", list)
        }
    }

    /// `base64.decode` decodes as Go does in cel-go: the padded standard encoding, else the unpadded
    /// one, ignoring line breaks; extra or misplaced padding and other characters are errors.
    func testBase64DecodesAsGoDoes() {
        for (text, decoded) in [("aGVsbG8=", "hello"), ("aGVsbG8", "hello"), ("aGVs\nbG8=", "hello"), ("", ""), ("aGk=", "hi"), ("aGk", "hi")] {
            XCTAssertEqual(eval("string(base64.decode(t))", ["t": .string(text)]).stringValue, decoded, text)
        }
        for text in ["aGVsbG8==", "aGVsbG8=x", "a", "aGVs bG8=", "aGVsbG8-", "=aGk", "aG=k"] {
            XCTAssertEqual(eval("base64.decode(t)", ["t": .string(text)]).errorMessage, "illegal base64 data", text)
        }
    }

    /// Map keys are strings of code points too: the Kelvin sign is not `K`, and "e" with a
    /// combining accent is not "é", in lookups, `in`, literals and map equality, small or large.
    func testMapStringKeysCompareCodePoints() {
        XCTAssertEqual(eval("{'K': 1}[k]", ["k": .string("\u{212A}")]).errorMessage, "no such key: \"\u{212A}\"")
        XCTAssertEqual(eval("k in {'e\u{301}': 1}", ["k": .string("\u{e9}")]).boolValue, false)
        XCTAssertEqual(eval("{'K': 1, k: 2}.size()", ["k": .string("\u{212A}")]).intValue, 2)
        XCTAssertEqual(eval("{'K': 1} == {k: 1}", ["k": .string("\u{212A}")]).boolValue, false)
        let many = (0..<20).map { "'k\($0)': \($0)" }.joined(separator: ", ")
        XCTAssertEqual(eval("{\(many), 'K': 1}[k]", ["k": .string("\u{212A}")]).errorMessage, "no such key: \"\u{212A}\"")
        XCTAssertEqual(eval("{\(many), 'K': 1}['K']").intValue, 1)
    }

    /// Equality, ordering, `startsWith`, `endsWith` and `contains` compare code points, not
    /// grapheme clusters: "e" followed by a combining accent starts with "e" and differs from "é",
    /// which Swift's `String.hasPrefix` and `==` deny.
    func testStringComparisonsUseCodePoints() {
        let words = ["", "e", "\u{301}", "e\u{301}", "\u{e9}", "ae\u{301}x", "x\u{e9}", "日本語", "本", "a.b.svc", ".svc", "\u{1F600}", "\u{1F600}x"]
        for text in words {
            for needle in words {
                let scalars = Array(text.unicodeScalars), wanted = Array(needle.unicodeScalars)
                let prefix = scalars.starts(with: wanted)
                let suffix = scalars.reversed().starts(with: wanted.reversed())
                let inside = wanted.isEmpty || (0...max(0, scalars.count - wanted.count)).contains { start in
                    start + wanted.count <= scalars.count && Array(scalars[start..<(start + wanted.count)]) == wanted
                }
                let bindings: [String: CELValue] = ["s": .string(text), "t": .string(needle)]
                XCTAssertEqual(eval("s.startsWith(t)", bindings).boolValue, prefix, "\(text.debugDescription).startsWith(\(needle.debugDescription))")
                XCTAssertEqual(eval("s.endsWith(t)", bindings).boolValue, suffix, "\(text.debugDescription).endsWith(\(needle.debugDescription))")
                XCTAssertEqual(eval("s.contains(t)", bindings).boolValue, inside, "\(text.debugDescription).contains(\(needle.debugDescription))")
                XCTAssertEqual(eval("s == t", bindings).boolValue, scalars == wanted, "\(text.debugDescription) == \(needle.debugDescription)")
                XCTAssertEqual(eval("s < t", bindings).boolValue, scalars.lexicographicallyPrecedes(wanted), "\(text.debugDescription) < \(needle.debugDescription)")
            }
        }
        // split: cut at each occurrence, left to right, into at most `limit` pieces.
        func pieces(_ text: [Unicode.Scalar], _ separator: [Unicode.Scalar], _ limit: Int) -> [String] {
            var result: [String] = [], start = 0, position = 0
            while position + separator.count <= text.count, limit < 0 || result.count < limit - 1 {
                if Array(text[position..<(position + separator.count)]) == separator {
                    result.append(String(String.UnicodeScalarView(text[start..<position])))
                    position += separator.count
                    start = position
                } else {
                    position += 1
                }
            }
            return result + [String(String.UnicodeScalarView(text[start...]))]
        }
        for text in words + ["a.b.c", "..", "x.svc.svc"] {
            for separator in words + ["."] where !separator.isEmpty {
                for limit in [-1, 1, 2, 3] {
                    let expected = pieces(Array(text.unicodeScalars), Array(separator.unicodeScalars), limit)
                    let bindings: [String: CELValue] = [
                        "s": .string(text), "t": .string(separator), "n": .int(Int64(limit)), "expected": .list(expected.map(CELValue.string)),
                    ]
                    XCTAssertEqual(eval("s.split(t, n) == expected", bindings).boolValue, true, "\(text.debugDescription).split(\(separator.debugDescription), \(limit))")
                }
            }
        }
        XCTAssertEqual(eval("'e\\u0301'.startsWith('e')").boolValue, true)
        XCTAssertEqual(eval("'e\\u0301'.endsWith('\\u0301')").boolValue, true)
    }

    func testOptionals() {
        let obj: [String: CELValue] = ["o": .map(["a": .map(["b": .int(1)])])]
        XCTAssertEqual(eval("o.?a.?b.orValue(0)", obj).intValue, 1)
        XCTAssertEqual(eval("o.?x.?b.orValue(7)", obj).intValue, 7)
        XCTAssertEqual(eval("o[?'x'].hasValue()", obj).boolValue, false)
        XCTAssertEqual(eval("cel.bind(v, o.a.b, v + v)", obj).intValue, 2)
    }

    /// As in cel-go, `or` and `orValue` evaluate their argument only when the optional is empty:
    /// a fallback that would fail (a missing key) is no error when it is not needed.
    func testOptionalOrEvaluatesTheAlternativeOnlyWhenNeeded() {
        let obj: [String: CELValue] = ["o": .map(["a": .int(1)])]
        XCTAssertEqual(eval("o.?a.orValue(o.missing)", obj).intValue, 1)
        XCTAssertEqual(CELFormatterHelper.render(eval("o.?a.or(optional.of(1 / 0))", obj)), "optional.of(1)")
        XCTAssertEqual(eval("o.?b.orValue(o.missing)", obj).errorMessage, "no such key: missing")
        XCTAssertEqual(eval("o.?b.or(o.?a).value()", obj).intValue, 1)
        XCTAssertEqual(eval("o.?b.or(1)", obj).errorMessage, "no such overload: or(optional_type, int)")
        XCTAssertEqual(eval("o.a.orValue(o.missing)", obj).errorMessage, "no such overload: orValue(int)")
        XCTAssertEqual(eval("o.missing.orValue(2)", obj).errorMessage, "no such key: missing")
        XCTAssertEqual(eval("[1].first().orValue(0) + [].first().orValue(5)").intValue, 6)
    }

    func testConcurrentEvaluationOfOneProgram() throws {
        let program = try CELEnvironment(declaredVariables: ["n"]).compile("[1, 2, 3].map(x, x * n).sum() == 6 * n")
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var bad = 0
        }
        let counter = Counter()
        DispatchQueue.concurrentPerform(iterations: 2000) { i in
            let r = program.evaluate(["n": .int(Int64(i))])
            if case .bool(true) = r {} else { counter.lock.withLock { counter.bad += 1 } }
        }
        XCTAssertEqual(counter.bad, 0)
    }
}

/// Test-side renderer mirroring CEL literal syntax.
enum CELFormatterHelper {
    static func render(_ v: CELValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return "\(d)"
        case .string(let s): return "\"\(s)\""
        case .bytes(let b): return "b\(b)"
        case .list(let l): return "[" + l.elements.map(render).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.map { "\(render($0)): \(render(m.value(forKey: $0) ?? .null))" }.joined(separator: ", ") + "}"
        case .type(let t): return t.name
        case .error(let e): return "error(\(e.message))"
        default: return "\(v)"
        }
    }
}
