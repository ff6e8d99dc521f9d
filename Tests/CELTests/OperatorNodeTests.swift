@testable import CEL
import XCTest

/// `x in c` and `!x` are planned as nodes of their own; a host that replaces `@in` or `!_` gets
/// the plain call of its function. Both must agree on every value and error, and on where an
/// error points; and cost the same, but for the tenth of its arguments' sizes that the built-in
/// `@in` charges and a host function does not. A comparison with a constant is a node of its own
/// too.
final class OperatorNodeTests: XCTestCase {
    private let expressions = [
        "x in [1, 'a', 2.5]", "'a' in x", "x in x", "!(x in {'a': 1})", "1 in x.items", "'k' in x.labels",
        "!x", "!(x == 1)", "!x.flag", "!x.labels", "[x, 'a'].exists(v, v in ['a', 'b'] && !(v in x.items))",
        "(1 / 0) in x", "x in [1 / 0]", "!(1 / 0 == 1)", "x.missing in [1]", "!x.missing", "x in null",
    ]
    private let values: [CELValue] = [
        .int(1), .string("a"), .bool(true), .null, .list(CELList([.string("a"), .int(1)])),
        .map(CELMap(["a": .int(1), "labels": .string("text"), "items": .list(CELList([.int(1)])), "flag": .int(0)])),
    ]

    /// `expression` compiled with the built-in operators, or with host functions that do what
    /// they do (and so are planned as calls).
    private func compile(_ expression: String, _ hostOperators: Bool) throws -> CELProgram {
        let functions = !hostOperators ? [] : [
            CELFunction(name: "@in", kind: .global, arity: 2) { Semantics.contains($0[1], $0[0]) },
            CELFunction(name: "!_", kind: .global, arity: 1) { arguments in
                if case .bool(let value) = arguments[0] { return .bool(!value) }
                return noSuchOverload("!_", arguments)
            },
        ]
        return try CELEnvironment(declaredVariables: ["x", "y"], functions: functions).compile(expression)
    }

    func testOperatorNodesAgreeWithTheCalls() throws {
        for expression in expressions { try assertPlannedAgreesWithCalled(expression, values: values, compile: compile) }
    }

    /// `x == C` keeps the constant `C` in its node: it agrees with `x == y` where `y` holds the
    /// value of `C`, on results and errors, and costs as much and what `C` costs (nothing for a
    /// literal scalar, a node for a list or map literal).
    func testComparisonsWithAConstantAgreeWithComparisonsOfAVariable() throws {
        let environment = CELEnvironment(declaredVariables: ["x", "y"])
        for constant in ["1", "1.0", "1u", "'a'", "null", "true", "[1, 'a']", "{'a': 1}", "int"] {
            let (value, constantCost) = try environment.compile(constant).evaluateWithCost(CELDictionaryActivation([:]))
            for template in ["x == C", "C == x", "x != C", "C != x", "x.missing == C", "(1 / 0) != C", "[x] == [C]"] {
                let withConstant = try environment.compile(template.replacingOccurrences(of: "C", with: constant))
                let withVariable = try environment.compile(template.replacingOccurrences(of: "C", with: "y"))
                for x in values {
                    let activation = CELDictionaryActivation(["x": x, "y": value])
                    let (fast, fastCost) = withConstant.evaluateWithCost(activation)
                    let (slow, slowCost) = withVariable.evaluateWithCost(activation)
                    let context = "\(template) with C = \(constant), x = \(CELFormatterHelper.render(x))"
                    XCTAssertEqual(CELFormatterHelper.render(fast), CELFormatterHelper.render(slow), context)
                    // `C` is not evaluated once the operand before it has failed.
                    let constantEvaluated = template.hasPrefix("C") || !fast.isError
                    XCTAssertEqual(fastCost, slowCost + (constantEvaluated ? constantCost : 0), context)
                }
            }
        }
        XCTAssertEqual(CELFormatterHelper.render(try environment.compile("x == 1.0").evaluate(["x": .int(1)])), "true")
        XCTAssertEqual(CELFormatterHelper.render(try environment.compile("'b' != x").evaluate(["x": .string("b")])), "false")
    }

    func testKnownResultsPlacesAndCosts() throws {
        let labels = CELValue.map(CELMap(["labels": .string("text")]))
        guard case .error(let error) = try compile("'k' in x.labels", false).evaluate(["x": labels]) else {
            return XCTFail("membership in a string must be an error")
        }
        XCTAssertTrue(error.message.hasPrefix("no such overload: @in(string, string)"), error.message)
        XCTAssertEqual(error.offset, 4)
        XCTAssertEqual(error.key.map(CELFormatterHelper.render), "\"labels\"")
        XCTAssertEqual(CELFormatterHelper.render(try compile("!(x in y)", false).evaluate(["x": .int(2), "y": .list(CELList([.int(1)]))])), "true")

        // A 20-character string and a list of 30: a tenth of 50 on top of the call's own cost.
        let activation = CELDictionaryActivation(["x": .string(String(repeating: "a", count: 20)), "y": .list(CELList(Array(repeating: .int(0), count: 30)))])
        let planned = try compile("x in y", false).evaluateWithCost(activation)
        let called = try compile("x in y", true).evaluateWithCost(activation)
        XCTAssertEqual(CELFormatterHelper.render(planned.value), "false")
        XCTAssertEqual(planned.cost, called.cost + 5)
    }
}
