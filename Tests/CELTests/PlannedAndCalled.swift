import CEL
import XCTest

/// Asserts that two compilations of `expression`, one with a node the planner specializes and one
/// with a host function that the planner leaves a plain call, agree for every value of `x`: on the
/// result, the cost, and for an error on where it points (its offset, and the container and key
/// of the value it is about).
func assertPlannedAgreesWithCalled(
    _ expression: String, values: [CELValue], compile: (_ expression: String, _ hostFunctions: Bool) throws -> CELProgram,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    let planned = try compile(expression, false)
    let called = try compile(expression, true)
    for value in values {
        let activation = CELDictionaryActivation(["x": value])
        let (fast, fastCost) = planned.evaluateWithCost(activation)
        let (slow, slowCost) = called.evaluateWithCost(activation)
        let context = "\(expression) with x = \(CELFormatterHelper.render(value))"
        XCTAssertEqual(CELFormatterHelper.render(fast), CELFormatterHelper.render(slow), context, file: file, line: line)
        XCTAssertEqual(fastCost, slowCost, context, file: file, line: line)
        guard case .error(let fastError) = fast, case .error(let slowError) = slow else { continue }
        XCTAssertEqual(fastError.offset, slowError.offset, context, file: file, line: line)
        XCTAssertEqual(fastError.map.map(CELFormatterHelper.render), slowError.map.map(CELFormatterHelper.render), context, file: file, line: line)
        XCTAssertEqual(fastError.key.map(CELFormatterHelper.render), slowError.key.map(CELFormatterHelper.render), context, file: file, line: line)
    }
}
