import CEL
import Foundation
import XCTest

/// The check phase: what can only fail is refused at compile time, at its place; what may work
/// is never refused.
final class CELTypeCheckTests: XCTestCase {
    func environment(_ types: [String: CELStaticType] = [:], declared: [String] = ["x"]) -> CELEnvironment {
        var env = CELEnvironment(declaredVariables: declared + types.keys.sorted())
        env.checksTypes = true
        env.declaredTypes = types
        return env
    }

    func refusal(_ expr: String, _ types: [String: CELStaticType] = [:], file: StaticString = #filePath, line: UInt = #line) -> CELCompileError? {
        do {
            let program = try environment(types).compile(expr)
            XCTFail("expected \(expr) to be refused, it checked as \(program.resultType)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func checkedType(_ expr: String, _ types: [String: CELStaticType] = [:], file: StaticString = #filePath, line: UInt = #line) -> CELStaticType? {
        do {
            return try environment(types).compile(expr).resultType
        } catch {
            XCTFail("\(expr) was refused: \(error.rendered)", file: file, line: line)
            return nil
        }
    }

    func testCallsNoOverloadTakesAreRefusedAtTheOperator() {
        let e = refusal("x == 1 || 1 + 'a' == 2")
        XCTAssertEqual(e?.message, "found no matching overload for '_+_' applied to '(int, string)' (text is joined to a number with string(x))")
        XCTAssertEqual(e?.column, 13)
        XCTAssertEqual(refusal("size(x) > '3'")?.message, "found no matching overload for '_>_' applied to '(int, string)'")
        XCTAssertEqual(refusal("'replicas: ' + x.size()")?.message,
                       "found no matching overload for '_+_' applied to '(string, int)' (text is joined to a number with string(x))")
        XCTAssertEqual(refusal("['a', 'b'].contains('a')")?.message,
                       "found no matching overload for 'contains' applied to 'list(string).(string)' (membership is written `x in list`)")
        XCTAssertEqual(refusal("'abc'.startsWith(1)")?.message, "found no matching overload for 'startsWith' applied to 'string.(int)'")
        XCTAssertEqual(refusal("!x.size()")?.message, "found no matching overload for '!_' applied to '(int)'")
        // As cel-go's checker: an operand of `&&` or `||` that is never a bool is refused, even
        // where the other operand would decide (`true || 1` evaluates to true).
        XCTAssertEqual(refusal("x.size() && true")?.message, "found no matching overload for '_&&_' applied to '(int, bool)'")
        XCTAssertEqual(refusal("true || 'a'")?.message, "found no matching overload for '_||_' applied to '(bool, string)'")
        XCTAssertEqual(refusal("'a' in 1")?.message, "found no matching overload for '@in' applied to '(string, int)'")
        XCTAssertEqual(refusal("duration('1s') + 1")?.message, "found no matching overload for '_+_' applied to '(google.protobuf.Duration, int)'")
        XCTAssertEqual(refusal("size(1)")?.message, "found no matching overload for 'size' applied to '(int)'")
        XCTAssertEqual(refusal("x ? 1 : 2", ["x": .string])?.message, "found no matching overload for '_?_:_' applied to '(string, int, int)'")
    }

    func testSelectionsIndexesAndRangesOfScalarsAreRefused() {
        XCTAssertEqual(refusal("size(x).name")?.message, "type 'int' does not support field selection (selecting 'name')")
        XCTAssertEqual(refusal("has(x.size().name)")?.message, "type 'int' does not support field selection (selecting 'name')")
        XCTAssertEqual(refusal("'abc'[0]")?.message, "found no matching overload for '_[_]' applied to '(string, int)'")
        XCTAssertEqual(refusal("[1, 2]['a']")?.message, "found no matching overload for '_[_]' applied to '(list(int), string)'")
        let range = refusal("x.size().all(n, n > 0)")
        XCTAssertEqual(range?.message, "expression of type 'int' cannot be the range of a comprehension (must be list, map, or dynamic)")
        XCTAssertEqual(range?.column, 3)
        XCTAssertEqual(refusal("[1, 2].all(n, n)")?.message, "the condition of all() must be a bool, not int")
        XCTAssertEqual(refusal("x.filter(n, 'yes')")?.message, "the condition of filter() must be a bool, not string")
    }

    /// Every error of an expression is reported, the type check's and planning's together, in
    /// source order, each at its place; a node found wrong is `dyn` after, so what is only a
    /// consequence of it (`(1 + 'a') == 'b'`, `sizee(x) > 'c'`) is not reported again.
    func testEveryErrorIsReportedOnceInSourceOrder() {
        let e = refusal("size(x) > '3' || nosuch.a || size(x).name == 'a' || (5).all(n, n) || (1 + 'a') == 'b' || sizee(x) > 'c'")
        XCTAssertEqual(e?.message, "found no matching overload for '_>_' applied to '(int, string)'")
        XCTAssertEqual(e?.all.map { "\($0.column): \($0.message)" }, [
            "9: found no matching overload for '_>_' applied to '(int, string)'",
            "18: undeclared reference to 'nosuch'",
            "37: type 'int' does not support field selection (selecting 'name')",
            "54: expression of type 'int' cannot be the range of a comprehension (must be list, map, or dynamic)",
            "73: found no matching overload for '_+_' applied to '(int, string)' (text is joined to a number with string(x))",
            "90: undeclared reference to 'sizee' (unknown function); did you mean size?",
        ])
        XCTAssertEqual(refusal("[1, 2].all(n, n) && x.size() && true")?.all.map(\.message), [
            "the condition of all() must be a bool, not int",
            "found no matching overload for '_&&_' applied to '(int, bool)'",
        ])
    }

    func testTypesFlowThroughVariablesComprehensionsAndBindings() {
        XCTAssertEqual(refusal("v + 1", ["v": .string])?.message, "found no matching overload for '_+_' applied to '(string, int)' (text is joined to a number with string(x))")
        XCTAssertEqual(refusal("[1, 2].map(n, n * 2)[0] + 'a'")?.message, "found no matching overload for '_+_' applied to '(int, string)' (text is joined to a number with string(x))")
        XCTAssertEqual(refusal("cel.bind(n, 5, n.startsWith('a'))")?.message, "found no matching overload for 'startsWith' applied to 'int.(string)'")
        XCTAssertEqual(refusal("{'a': 1}.a + 'x'")?.message, "found no matching overload for '_+_' applied to '(int, string)' (text is joined to a number with string(x))")
        XCTAssertEqual(refusal("'a,b'.split(',').exists(p, p > 1)")?.message, "found no matching overload for '_>_' applied to '(string, int)'")
        XCTAssertEqual(refusal("cel.block([1, cel.index(0) + 1], cel.index(1) + 'a')")?.message,
                       "found no matching overload for '_+_' applied to '(int, string)' (text is joined to a number with string(x))")
        XCTAssertEqual(checkedType("size(x)"), .int)
        XCTAssertEqual(checkedType("x.map(v, 1)"), .list(.int))
        XCTAssertEqual(checkedType("[1, 2].filter(n, n > 1)"), .list(.int))
        XCTAssertEqual(checkedType("{'a': 1}.filter(k, k != 'b')"), .list(.string))
        XCTAssertEqual(checkedType("'a,b'.split(',')"), .list(.string))
        XCTAssertEqual(checkedType("cel.bind(a, 1, a + 1)"), .int)
        XCTAssertEqual(checkedType("[1] + [2]"), .list(.int))
        XCTAssertEqual(checkedType("x.all(v, v > 0)"), .bool)
        XCTAssertEqual(checkedType("v.size() > 0", ["v": .list(.string)]), .bool)
    }

    func testWhatMayWorkIsNeverRefused() {
        // Inputs are dyn; equality is heterogeneous; numbers compare across kinds; mixed
        // literals are lists and maps of dyn; extension and unlisted functions are not checked.
        for expr in [
            "x.spec.replicas + 1", "x + 'a'", "x[0].name", "size(x) > 3.5", "1.0 == 1", "x == 'a'", "[1] == ['a']", "1u < 2",
            "[1, 'a'][0] + 'b'",
            "{'a': 1, 'b': 'x'}.b + 'y'", "type(x) == int", "string(null) + 'a'", "x.all(k, v, v > k)",
            "true ? 1 : 'a'", "math.greatest(1, 2) + 'a'", "'abc'.reverse() + 1", "[[1], ['a']][1][0] + 'b'",
            "dyn(1) + 'a'", "x.?a.orValue(1) + 'b'", "optional.of(1).value() + 'a'", "cel.bind(m, {'a': x}, m.a.b.c)",
        ] {
            XCTAssertNotNil(checkedType(expr), expr)
        }
    }

    /// Two scalars of different types, not both numbers, are never equal: such a comparison is a
    /// constant, refused as cel-go refuses it. Every other equality is left to evaluation.
    func testEqualityOfTypesThatAreNeverEqualIsRefused() throws {
        XCTAssertEqual(refusal("size(x) == '3'")?.message,
                       "found no matching overload for '_==_' applied to '(int, string)' (values of different types are never equal)")
        XCTAssertEqual(refusal("x.startsWith('a') != 'true'")?.message,
                       "found no matching overload for '_!=_' applied to '(bool, string)' (values of different types are never equal)")
        XCTAssertNotNil(refusal("size(x) == null"))
        let samples = ["null", "true", "2", "2u", "2.0", "'2'", "b'2'", "duration('2s')", "timestamp(2)", "int", "[2]", "{'a': 2}"]
        var refused = 0
        for a in samples {
            for b in samples {
                for op in ["==", "!="] {
                    let expr = "\(a) \(op) \(b)"
                    guard (try? environment().compile(expr)) == nil else { continue }
                    refused += 1
                    let value = try CELEnvironment().compile(expr).evaluate([:])
                    XCTAssertEqual(value.boolValue, op == "!=", "\(expr) is refused but evaluates to \(value)")
                }
            }
        }
        XCTAssertGreaterThan(refused, 50)
    }

    func testHostFunctionsReplacingABuiltinAreNotChecked() throws {
        var env = environment()
        env.register(CELFunction(name: "size", kind: .both, arity: 1) { _ in .string("host") })
        XCTAssertEqual(try env.compile("size(1) + 'a'").resultType, .string)
    }

    func testUncheckedEnvironmentsKeepEvaluationErrors() throws {
        let program = try CELEnvironment().compile("1 + 'a'")
        XCTAssertEqual(program.resultType, .dyn)
        guard case .error(let error) = program.evaluate([:]) else { return XCTFail("expected an evaluation error") }
        XCTAssertTrue(error.message.contains("no such overload"), error.message)
    }

    /// The signatures against evaluation: each checked function and operator applied to a value
    /// of every type (every pair of them) is refused only when evaluating it
    /// fails, and a result type the checker states is the type of the value evaluation gives.
    func testSignaturesAgreeWithEvaluation() throws {
        let samples: [(CELStaticType, String)] = [
            (.null, "null"), (.bool, "true"), (.int, "2"), (.uint, "2u"), (.double, "2.5"), (.string, "'a,b'"), (.bytes, "b'ab'"),
            (.list(.dyn), "[1, 'b']"), (.map(.dyn, .dyn), "{'a': 1}"), (.duration, "duration('2s')"),
            (.timestamp, "timestamp('2024-01-01T00:00:00Z')"), (.type, "int"),
        ]
        let names = ["a", "b", "c", "d"]
        var bindings: [String: CELValue] = [:]
        var checks = 0
        func probe(_ expr: String, _ types: [CELStaticType], _ values: [String]) throws {
            var env = CELEnvironment(declaredVariables: names)
            env.checksTypes = true
            for (index, type) in types.enumerated() { env.declaredTypes[names[index]] = type }
            for (index, value) in values.enumerated() { bindings[names[index]] = try CELEnvironment().compile(value).evaluate([:]) }
            let result = try CELEnvironment(declaredVariables: names).compile(expr).evaluate(bindings)
            checks += 1
            do {
                let checked = try env.compile(expr).resultType
                if case .error = result { return }
                XCTAssertTrue(CELStaticType(of: result).mayBe(checked), "\(expr) with \(values): checked as \(checked), evaluates to \(result)")
            } catch {
                guard case .error = result else {
                    return XCTFail("\(expr) with \(values) was refused (\(error.message)) but evaluates to \(result)")
                }
            }
        }
        func combinations(_ count: Int) -> [[(CELStaticType, String)]] {
            (0..<count).reduce([[]]) { partial, _ in partial.flatMap { prefix in samples.map { prefix + [$0] } } }
        }
        let operators = ["_+_": "a + b", "_-_": "a - b", "_*_": "a * b", "_/_": "a / b", "_%_": "a % b", "_<_": "a < b", "_<=_": "a <= b",
                         "_>_": "a > b", "_>=_": "a >= b", "@in": "a in b", "_[_]": "a[b]"]
        for expr in operators.values {
            for pair in combinations(2) { try probe(expr, pair.map(\.0), pair.map(\.1)) }
        }
        for sample in samples {
            for expr in ["-a", "!a", "a.name", "a.all(v, true)", "a ? 1 : 2", "size(a)", "a.size()", "int(a)", "uint(a)", "double(a)",
                         "string(a)", "bytes(a)", "bool(a)", "duration(a)", "timestamp(a)", "type(a)", "dyn(a)", "a.lowerAscii()",
                         "a.upperAscii()", "a.trim()"] {
                try probe(expr, [sample.0], [sample.1])
            }
        }
        for pair in combinations(2) {
            for expr in ["a.contains(b)", "a.startsWith(b)", "a.endsWith(b)", "a.matches(b)", "matches(a, b)", "a.charAt(b)", "a.split(b)",
                         "a.substring(b)"] {
                try probe(expr, pair.map(\.0), pair.map(\.1))
            }
        }
        // Longer calls: each argument in turn of every type, the others of the types that work.
        let string = samples[5], int = samples[2]
        for (expr, working) in [("a.replace(b, c)", [string, string, string]), ("a.split(b, c)", [string, string, int]),
                                ("a.substring(b, c)", [string, int, int]), ("a.replace(b, c, d)", [string, string, string, int])] {
            for position in working.indices {
                for sample in samples {
                    var arguments = working
                    arguments[position] = sample
                    try probe(expr, arguments.map(\.0), arguments.map(\.1))
                }
            }
        }
        XCTAssertGreaterThan(checks, 2_500)
    }
}
