import AirlockCore
import XCTest

final class MessageLengthTests: XCTestCase {
    /// A message of up to 2,048 bytes is kept whole, so its fingerprint does not change.
    func testMessagesUpToTheLimitAreKeptWhole() {
        let message = String(repeating: "x", count: 2048)
        XCTAssertEqual(MessageLength.bounded(message), message)
        let finding = Finding(ruleID: "r", category: .general, severity: .low, message: message, location: nil)
        XCTAssertEqual(finding.message, message)
        XCTAssertEqual(Diagnostic(kind: .input, message: message, location: nil).message, message)
    }

    /// A longer one keeps its first 1,536 and last 256 bytes, cut before a character they would split.
    func testALongerMessageKeepsItsStartAndEnd() {
        XCTAssertEqual(MessageLength.bounded(String(repeating: "x", count: 2049)),
                       String(repeating: "x", count: 1536) + "…(257 bytes left out)…" + String(repeating: "x", count: 256))
        // "é" is two bytes: the head would end, and the tail start, in the middle of one.
        let message = String(repeating: "x", count: 1535) + String(repeating: "é", count: 600) + "y"
        XCTAssertEqual(MessageLength.bounded(message),
                       String(repeating: "x", count: 1535) + "…(944 bytes left out)…" + String(repeating: "é", count: 128) + "y")
        let finding = Finding(ruleID: "r", category: .general, severity: .low, message: message, location: nil)
        XCTAssertEqual(finding.message, MessageLength.bounded(message))
    }

    /// Each field of a finding's object keeps at most 512 bytes: its first 384 and last 64.
    func testAnObjectsFieldsAreBounded() {
        let longest = String(repeating: "n", count: 512)
        let ref = ResourceRef(apiVersion: "v1", kind: "Pod", namespace: longest, name: longest + "é")
        XCTAssertEqual(ref.namespace, longest)
        XCTAssertEqual(ref.name, String(repeating: "n", count: 384) + "…(66 bytes left out)…" + String(repeating: "n", count: 62) + "é")
        XCTAssertEqual(ref.qualifiedNameByteCount, ref.qualifiedName.utf8.count)
    }
}
