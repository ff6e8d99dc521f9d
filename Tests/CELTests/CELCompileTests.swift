import CEL
import Foundation
import XCTest

/// Compile-time behaviour: syntax errors with carets, undeclared names, unknown functions, limits.
final class CELCompileTests: XCTestCase {
    func compileError(_ expr: String, declared: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) -> CELCompileError? {
        let env = CELEnvironment(declaredVariables: declared)
        do {
            _ = try env.compile(expr)
            XCTFail("expected a compile error for \(expr)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testSyntaxErrorRendersCaret() {
        let e = compileError("a + * b", declared: ["a", "b"])
        XCTAssertEqual(e?.rendered, """
            <input>:1:5: Syntax error: unexpected '*'
             | a + * b
             | ....^
            """)
        XCTAssertEqual(e?.offset, 4)
        XCTAssertEqual(e?.line, 1)
        XCTAssertEqual(e?.column, 5)
    }

    func testSyntaxErrorOnSecondLineCountsUnicodeScalars() {
        let e = compileError("x == 'é' &&\n  y ==", declared: ["x", "y"])
        XCTAssertEqual(e?.rendered, """
            <input>:2:7: Syntax error: unexpected end of input
             |   y ==
             | ......^
            """)
        let e2 = compileError("'日本' + )")
        XCTAssertEqual(e2?.column, 8)
        XCTAssertEqual(e2?.rendered, """
            <input>:1:8: Syntax error: unexpected ')'
             | '日本' + )
             | .......^
            """)
    }

    func testMissingClosingParen() {
        let e = compileError("size(x", declared: ["x"])
        XCTAssertEqual(e?.rendered, """
            <input>:1:7: Syntax error: unexpected end of input, expecting ','
             | size(x
             | ......^
            """)
    }

    func testBadEscapeAndUnterminatedString() {
        XCTAssertEqual(compileError(#"'abc\q'"#)?.message, "Syntax error: invalid escape sequence '\\q'")
        XCTAssertEqual(compileError("'abc")?.message, "Syntax error: unterminated string literal")
        XCTAssertEqual(compileError("9223372036854775808")?.message, "invalid int literal")
    }

    func testReservedIdentifier() {
        XCTAssertEqual(compileError("while")?.message, "Syntax error: reserved identifier 'while'")
    }

    func testUndeclaredVariableRejected() {
        let e = compileError("object.spec.replicas > limit", declared: ["object"])
        XCTAssertEqual(e?.rendered, """
            <input>:1:24: undeclared reference to 'limit'
             | object.spec.replicas > limit
             | .......................^
            """)
    }

    func testComprehensionVariablesAreInScopeOnlyInside() {
        let env = CELEnvironment(declaredVariables: ["items"])
        XCTAssertNoThrow(try env.compile("items.all(i, i > 0 && items.exists(j, j == i))"))
        XCTAssertEqual(compileError("items.all(i, i > 0) && i == 1", declared: ["items"])?.message,
                       "undeclared reference to 'i'")
    }

    func testUnknownFunctionRejected() {
        XCTAssertEqual(compileError("frobnicate(1)")?.message, "undeclared reference to 'frobnicate' (unknown function)")
        XCTAssertEqual(compileError("'a'.frobnicate()")?.column, 5)
        XCTAssertEqual(compileError("size(1, 2)")?.message, "found no matching overload for 'size' applied to 2 argument(s)")
    }

    /// A misspelt function is named with the one it may have meant, a macro included; a call
    /// of `startWith` was only "unknown function", leaving the user to find `startsWith`.
    func testUnknownFunctionNamesTheOneMeant() {
        XCTAssertEqual(compileError("'a'.startWith('x')")?.message, "undeclared reference to 'startWith' (unknown function); did you mean startsWith?")
        XCTAssertEqual(compileError("[1].exist(x, x > 0)")?.message, "undeclared reference to 'exist' (unknown function); did you mean exists?")
        XCTAssertEqual(compileError("sise([1])")?.message, "undeclared reference to 'sise' (unknown function); did you mean size?")
    }

    /// An undeclared name in the receiver of a call is the error, not the call after it: a
    /// ValidatingAdmissionPolicy's `authorizer.group('').resource('pods').check('delete').allowed()`
    /// (a binding airlock has not) was reported as an unknown function `allowed`, at its end.
    func testUndeclaredReceiverIsReportedBeforeTheCallsOnIt() {
        let e = compileError("authorizer.group('').resource('pods').check('delete').allowed()", declared: ["object"])
        XCTAssertEqual(e?.message, "undeclared reference to 'authorizer'")
        XCTAssertEqual(e?.column, 1)
        XCTAssertEqual(compileError("size(x.frobnicate(1, 2))", declared: ["object"])?.message, "undeclared reference to 'x'")
        XCTAssertEqual(compileError("object.frobnicate(y)", declared: ["object"])?.message, "undeclared reference to 'frobnicate' (unknown function)")
        XCTAssertEqual(compileError("'a'.size(1)")?.message, "found no matching overload for 'size' applied to a receiver and 1 argument(s)")
    }

    /// Every unknown name and function of an expression is reported, each at its place, in source
    /// order, as cel-go's checker does: only the first was, so each run showed one more mistake.
    func testEveryUnknownNameAndFunctionIsReportedInSourceOrder() {
        let e = compileError("object.metadata.name.startWith('x') || sizee(object.spec.containers) > 0", declared: ["object"])
        XCTAssertEqual(e?.message, "undeclared reference to 'startWith' (unknown function); did you mean startsWith?")
        XCTAssertEqual(e?.all.map(\.message), [
            "undeclared reference to 'startWith' (unknown function); did you mean startsWith?",
            "undeclared reference to 'sizee' (unknown function); did you mean size?",
        ])
        XCTAssertEqual(e?.all.map(\.column), [22, 40])
        XCTAssertEqual(e?.rendered, """
            <input>:1:22: undeclared reference to 'startWith' (unknown function); did you mean startsWith?
             | object.metadata.name.startWith('x') || sizee(object.spec.containers) > 0
             | .....................^
            """)
        let receiver = compileError("authorizer.check('get').allowed() && [1].map(x, y)\n  && Pod{}", declared: ["object"])
        XCTAssertEqual(receiver?.all.map { "\($0.line):\($0.column): \($0.message)" }, [
            "1:1: undeclared reference to 'authorizer'",
            "1:12: undeclared reference to 'check' (unknown function)",
            "1:25: undeclared reference to 'allowed' (unknown function)",
            "1:49: undeclared reference to 'y'",
            "2:6: message construction is not supported: 'Pod'",
        ])
        XCTAssertEqual(compileError("frobnicate(1)")?.all.count, 1)
        XCTAssertEqual(compileError("a + * b || c")?.all.map(\.message), ["Syntax error: unexpected '*'"])
    }

    /// An expression of very many errors reports the first 100, as cel-go does by default.
    func testTheErrorsOfOneExpressionAreCapped() {
        let names = (0..<150).map { "n\($0)" }
        let e = compileError("[" + names.joined(separator: ", ") + "]")
        XCTAssertEqual(e?.all.count, 100)
        XCTAssertEqual(e?.all.last?.message, "undeclared reference to 'n99'")
    }

    func testMessageConstructionRejected() {
        XCTAssertEqual(compileError("Pod{name: 'x'}")?.message, "message construction is not supported: 'Pod'")
    }

    func testMacroArgumentMustBeSimpleName() {
        XCTAssertEqual(compileError("[1].all(1, true)")?.message, "all() variable name must be a simple identifier")
        XCTAssertEqual(compileError("has(x)", declared: ["x"])?.message, "invalid argument to has() macro")
    }

    func testDeepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertEqual(compileError(deep)?.message, "expression nesting exceeds the limit of 250")
        let lists = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        XCTAssertNotNil(compileError(lists))
        let chain = Array(repeating: "1", count: 5000).joined(separator: " + ")
        XCTAssertEqual(compileError(chain)?.message, "expression nesting exceeds the limit of 250")
        let unary = String(repeating: "!", count: 5000) + "true"
        XCTAssertNotNil(compileError(unary))
        let members = "x" + String(repeating: ".a", count: 5000)
        XCTAssertNotNil(compileError(members, declared: ["x"]))
    }

    /// A parenthesis is one level of nesting, as cel-go counts it (each grammar rule once per
    /// level, to 250 with the expression around them): 249 nested parentheses compile, and the
    /// 250th is the error, at it. Each counted twice, so the error was at about the 125th.
    func testEachParenthesisIsOneLevelOfNesting() throws {
        func nested(_ n: Int) -> String { String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) }
        XCTAssertEqual(try CELEnvironment().compile(nested(200)).evaluate([:]).intValue, 1)
        XCTAssertNoThrow(try CELEnvironment().compile(nested(249)))
        for n in [250, 10_000] {
            let error = compileError(nested(n))
            XCTAssertEqual(error?.message, "expression nesting exceeds the limit of 250", "\(n)")
            XCTAssertEqual(error?.column, 250, "\(n)")
        }
    }

    /// Chains of `&&` and `||` are balanced, as cel-go builds them: thousands of terms (a
    /// generated allowlist) are within the limit, and mean what they say.
    func testLongLogicalChainsAreBalanced() throws {
        let names = (0..<2_500).map { "x == 'n\($0)'" }
        let anyOf = try CELEnvironment(declaredVariables: ["x"]).compile(names.joined(separator: " || "))
        XCTAssertEqual(anyOf.evaluate(["x": .string("n2499")]).boolValue, true)
        XCTAssertEqual(anyOf.evaluate(["x": .string("n0")]).boolValue, true)
        XCTAssertEqual(anyOf.evaluate(["x": .string("other")]).boolValue, false)
        let allOf = try CELEnvironment(declaredVariables: ["x"]).compile(names.map { "!(\($0))" }.joined(separator: " && "))
        XCTAssertEqual(allOf.evaluate(["x": .string("other")]).boolValue, true)
        XCTAssertEqual(allOf.evaluate(["x": .string("n1234")]).boolValue, false)
        // Precedence is kept across mixed chains, and an error is absorbed by a deciding term anywhere.
        XCTAssertEqual(try CELEnvironment().compile("false && true || true && true || false").evaluate([:]).boolValue, true)
        XCTAssertEqual(try CELEnvironment().compile("1 / 0 == 1 || false || true || false").evaluate([:]).boolValue, true)
        XCTAssertNotNil(try CELEnvironment().compile("false || 1 / 0 == 1 || false").evaluate([:]).errorMessage)
        // The balanced chain's own levels (six for 64 terms) count toward the limit above its
        // deepest term.
        func term(_ negations: Int) -> String { String(repeating: "!", count: negations) + "true" }
        let deepest = try XCTUnwrap((1...250).last { (try? CELEnvironment().compile(term($0))) != nil })
        let chainOfDeepest = Array(repeating: term(deepest), count: 64).joined(separator: " || ")
        XCTAssertEqual(compileError(chainOfDeepest)?.message, "expression nesting exceeds the limit of 250")
        let shallowerBySix = Array(repeating: term(deepest - 6), count: 64).joined(separator: " || ")
        XCTAssertNoThrow(try CELEnvironment().compile(shallowerBySix))
    }

    /// The operand of a left-associative chain ends up below every operator after it: nesting
    /// such chains in parentheses, each within the parser's limit, built trees thousands of levels
    /// high that overflowed the stack. The tree's height is held to the limit too.
    func testLeftAssociativeChainsNestedInParenthesesAreHeldToTheLimit() {
        var expression = "1"
        for _ in 0..<25 { expression = "(" + expression + String(repeating: " + 1", count: 100) + ")" }
        XCTAssertEqual(compileError(expression + " > 0")?.message, "expression nesting exceeds the limit of 250")
        var members = "x"
        for _ in 0..<25 { members = "(" + members + String(repeating: ".a", count: 100) + ")" }
        XCTAssertEqual(compileError(members, declared: ["x"])?.message, "expression nesting exceeds the limit of 250")
    }

    /// The deepest expression of each shape that compiles evaluates on a 1 MiB thread, even in a
    /// debug build under AddressSanitizer (whose frames are several times larger than a release
    /// build's; evaluation threads have 8 MiB), and much deeper ones are rejected without crashing.
    func testMaximalNestingOnSmallStackThread() throws {
        let shapes: [(String, (Int) -> String)] = [
            ("parentheses", { String(repeating: "(", count: $0) + "1" + String(repeating: ")", count: $0) }),
            ("lists", { String(repeating: "[", count: $0) + String(repeating: "]", count: $0) }),
            ("negations", { String(repeating: "-", count: $0) + "1" }),
            ("maps", { String(repeating: "{1: ", count: $0) + "1" + String(repeating: "}", count: $0) }),
            ("macros", { String(repeating: "[1].map(x, ", count: $0) + "x" + String(repeating: ")", count: $0) }),
            ("sums", { n in (0..<n).reduce("1") { inner, _ in "(" + inner + " + 1)" } }),
            ("members", { "{'a': {}}" + String(repeating: ".a", count: $0 / 2) + String(repeating: ".?a", count: $0 - $0 / 2) }),
            ("logical chains", { n in Array(repeating: String(repeating: "!", count: n) + "true", count: 64).joined(separator: " || ") }),
        ]
        var deepest: [(name: String, program: CELProgram)] = []
        var checked = CELEnvironment()
        checked.checksTypes = true
        for (name, expression) in shapes {
            let n = try XCTUnwrap((1...300).last { (try? CELEnvironment().compile(expression($0))) != nil }, name)
            deepest.append((name, try CELEnvironment().compile(expression(n))))
            // The type check walks the tree too, on the same thread as planning.
            XCTAssertNoThrow(try checked.compile(expression(n)), name)
            XCTAssertNotNil(compileError(expression(5_000)), name)
        }
        final class Outcome: @unchecked Sendable { var evaluated: [String] = [] }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [deepest] in
            for (name, program) in deepest where program.evaluate([:]).errorMessage == nil { outcome.evaluated.append(name) }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
        XCTAssertEqual(outcome.evaluated, shapes.map(\.0).filter { $0 != "members" })
    }

    func testModerateNestingWorks() throws {
        let expr = String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        let p = try CELEnvironment().compile(expr)
        XCTAssertEqual(p.evaluate([:]).intValue, 1)
        let chain = Array(repeating: "1", count: 200).joined(separator: " + ")
        XCTAssertEqual(try CELEnvironment().compile(chain).evaluate([:]).intValue, 200)
    }

    func testConstantRegexIsCompiledAtCompileTime() {
        let e = compileError("name.matches('a(b')", declared: ["name"])
        XCTAssertEqual(e?.column, 14)
        XCTAssertTrue(e?.message.hasPrefix("invalid regex 'a(b'") ?? false, e?.message ?? "")
    }

    /// A pattern read from a constant of the environment (a policy's params) is a constant too: a
    /// bad one fails the compilation, at the expression that names it.
    func testRegexFromAConstantIsCompiledAtCompileTime() throws {
        var env = CELEnvironment(declaredVariables: ["name", "params"])
        env.constants["params"] = .map(["pattern": .string("a(b"), "good": .string("^a+$")])
        XCTAssertThrowsError(try env.compile("name.matches(params.pattern)")) { error in
            let error = error as? CELCompileError
            XCTAssertEqual(error?.column, 20)  // the selection `.pattern`, as CEL places a select
            XCTAssertTrue(error?.message.hasPrefix("invalid regex 'a(b'") ?? false, error?.message ?? "")
        }
        XCTAssertEqual(try env.compile("name.matches(params.good)").evaluate(["name": .string("aa")]).boolValue, true)
    }

    func testReferencedVariables() throws {
        let env = CELEnvironment(declaredVariables: ["object", "oldObject", "params"])
        let p = try env.compile("object.spec.x == 1 && [1].all(params, params > 0)")
        XCTAssertEqual(p.referencedVariables, ["object"])
    }

    /// The fields selected on a variable; nil once it is read otherwise (whole, by index, in `has`).
    func testFieldsRead() throws {
        let env = CELEnvironment(declaredVariables: ["bundle", "params"])
        let fields = { (text: String) in try env.compile(text).fieldsRead(of: "bundle") }
        XCTAssertEqual(try fields("bundle.issues.all(i, i.kind in params.kinds) && bundle.sidecar.match && [1].all(bundle, bundle.x)"), ["issues", "sidecar"])
        XCTAssertEqual(try fields("params.x"), [])
        XCTAssertNil(try fields("bundle.issues.size() > 0 || bundle['version'] != null"))
        XCTAssertNil(try fields("has(bundle.version)"))
        XCTAssertNil(try fields("cel.bind(b, bundle, b.version)"))
    }

    func testHostFunctionsResolveAtCompileTime() throws {
        var env = CELEnvironment(declaredVariables: ["x"])
        env.register(CELFunction(name: "double_it", kind: .both, arity: 1) { args in
            guard case .int(let i) = args[0] else { return .err("double_it: not an int") }
            return .int(i * 2)
        })
        env.register(CELFunction(name: "semver.major", kind: .global, arity: 1) { _ in .int(1) })
        XCTAssertEqual(try env.compile("double_it(x) + x.double_it()").evaluate(["x": .int(3)]).intValue, 12)
        XCTAssertEqual(try env.compile("semver.major('1.2.3')").evaluate([:]).intValue, 1)
    }
}

extension CELValue {
    var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var errorMessage: String? {
        if case .error(let e) = self { return e.message }
        return nil
    }
}
