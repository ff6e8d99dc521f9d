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

    /// A key holding dots is quoted in brackets, as a ValidatingAdmissionPolicy's `fieldPath`
    /// writes it: it was cut at its dots, so the finding fell back to the object's first line.
    func testAKeyHoldingDotsMayBeQuotedInBrackets() {
        XCTAssertEqual(DottedPath.keys("metadata.labels['app.kubernetes.io/name']"), ["metadata", "labels", "app.kubernetes.io/name"])
        XCTAssertEqual(DottedPath.keys("data['a.b'].c"), ["data", "a.b", "c"])
        XCTAssertEqual(DottedPath.keys("['a.b'][2]['c']"), ["a.b", "2", "c"])
        XCTAssertEqual(DottedPath.keys("limits['']"), ["limits", ""])
        // An unclosed quote leaves the segment one key, as any other bracket does.
        XCTAssertEqual(DottedPath.keys("a['b.c"), ["a['b.c"])
        XCTAssertEqual(DottedPath.keys("a['b']x.c"), ["a['b']x", "c"])
    }

    /// Keys written back as a path read as the same keys.
    func testKeysAreWrittenAsAPathThatReadsBackTheSame() {
        for keys in [["metadata", "labels", "app.kubernetes.io/name"], ["spec", "containers", "1", "image"], ["a.b", "c"], ["x[0]"]] {
            XCTAssertEqual(DottedPath.keys(DottedPath.text(keys)), keys, DottedPath.text(keys))
        }
        XCTAssertEqual(DottedPath.text(["metadata", "labels", "app.kubernetes.io/name"]), "metadata.labels['app.kubernetes.io/name']")
        XCTAssertEqual(DottedPath.text(["spec", "replicas"]), "spec.replicas")
    }
}
