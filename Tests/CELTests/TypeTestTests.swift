import CEL
import XCTest

/// `type(x) == T` is planned as a direct type test; a host that replaces `type` gets the plain
/// call and comparison. Both must agree on every value, error and cost.
final class TypeTestTests: XCTestCase {
    private let expressions = [
        "type(x) == int", "type(x) != int", "int == type(x)", "string != type(x)",
        "type(x) == map || type(x) == list", "type(x) == type(x)", "type(x) == 'int'",
        "[1, 'a', 2.5, null, {}, []].map(v, type(v) == int || type(v) == double || (type(v) == string && v != ''))",
        "[1, 'a'].exists(v, type(v) == string) && type(x) == null_type",
        "type(x.missing) == int", "type(1 / 0) == int || true", "type(x) == google.protobuf.Duration",
    ]
    private let values: [CELValue] = [.int(1), .string("a"), .double(1.5), .null, .bool(true), .map(CELMap([String: CELValue]())), .list(CELList([]))]

    private func compile(_ expression: String, _ hostType: Bool) throws -> CELProgram {
        var functions: [CELFunction] = []
        if hostType { functions.append(CELFunction(name: "type", kind: .global, arity: 1) { .type($0[0].celType) }) }
        return try CELEnvironment(declaredVariables: ["x"], functions: functions).compile(expression)
    }

    func testTypeTestsAgreeWithTheCallAndComparison() throws {
        for expression in expressions { try assertPlannedAgreesWithCalled(expression, values: values, compile: compile) }
    }

    func testKnownResults() throws {
        let program = try compile("type(x) == int", false)
        XCTAssertEqual(CELFormatterHelper.render(program.evaluate(["x": .int(3)])), "true")
        XCTAssertEqual(CELFormatterHelper.render(program.evaluate(["x": .uint(3)])), "false")
        let negated = try compile("string != type(x)", false)
        XCTAssertEqual(CELFormatterHelper.render(negated.evaluate(["x": .string("s")])), "false")
        guard case .error(let error) = try compile("type(x.f) == int", false).evaluate(["x": .int(1)]) else {
            return XCTFail("selecting a field of an int must be an error")
        }
        XCTAssertTrue(error.message.contains("no such overload"), error.message)
    }
}
