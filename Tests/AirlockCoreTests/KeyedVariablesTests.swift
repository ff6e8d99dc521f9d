@testable import AirlockCore
import CEL
import XCTest

/// What keys a keyed variable's value: scalars of their own type and strings by their bytes, so
/// that values CEL tells apart (`1`, `1u`, `true`, `'1'`, `K` and the Kelvin sign) are never taken
/// for one another.
final class KeyedVariablesTests: XCTestCase {
    func testScalarsOfDifferentTypesAreDifferentInputs() {
        let inputs: [CELValue] = [.int(1), .uint(1), .bool(true), .string("1"), .null]
        let keys = inputs.compactMap { KeyedVariables.input(0, $0) }
        XCTAssertEqual(keys.count, inputs.count)
        XCTAssertEqual(Set(keys).count, inputs.count)
        XCTAssertNotEqual(KeyedVariables.input(0, .string("K")), KeyedVariables.input(0, .string("\u{212A}")), "the Kelvin sign is not K to CEL")
        XCTAssertNotEqual(KeyedVariables.input(0, .string("\u{E9}")), KeyedVariables.input(0, .string("e\u{301}")))
        XCTAssertNil(KeyedVariables.input(0, .double(1)), "1.0 would read as the map key 1")
        XCTAssertNil(KeyedVariables.input(0, .list(CELList([]))))
        XCTAssertNil(KeyedVariables.input(0, .err("no such key")))
    }
}
