@testable import CEL
import XCTest

/// `x in c` and `!x` are planned as nodes of their own; a host that replaces `@in` or `!_` gets
/// the plain call of its function. Both must agree on every value and error, and on where an
/// error points; and cost the same, but for the tenth of its arguments' sizes that the built-in
/// `@in` charges and a host function does not.
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
