@testable import AirlockCore
import XCTest

/// A path written as text: dotted keys, an index as a key or in brackets after its list.
final class DottedPathTests: XCTestCase {
    func testIndicesMayBeWrittenInBrackets() {
        XCTAssertEqual(DottedPath.keys("spec.containers.1.image"), ["spec", "containers", "1", "image"])
        XCTAssertEqual(DottedPath.keys("spec.containers[1].image"), ["spec", "containers", "1", "image"])
        XCTAssertEqual(DottedPath.keys("a[0][12].b"), ["a", "0", "12", "b"])
        XCTAssertEqual(DottedPath.keys("[3].x"), ["3", "x"])
        // A bracket holding anything but digits is part of its key.
        XCTAssertEqual(DottedPath.keys("a[x].b[].c[1"), ["a[x]", "b[]", "c[1"])
        XCTAssertEqual(DottedPath.keys(""), [])
    }
}
